import { h, mount } from './h.js';
import { session } from './api.js';
import { signInView } from './views/signin.js';
import { alertsView } from './views/alerts.js';
import { closuresView } from './views/closures.js';
import { caseView } from './views/case.js';
import { overviewView } from './views/overview.js';
import { auditHistoryView, accessLogView, replayView } from './views/audit.js';
import { caseloadView } from './views/caseload.js';
import { dataProtectionView } from './views/data-protection.js';
import { interventionFormView, recordView } from './views/record.js';
import { homeFor } from './ui.js';

// Hash routes: the console is static files, so every page is index.html and the hash says which view.
const routes = [
  { pattern: /^#\/signin$/, view: signInView, public: true },
  { pattern: /^#\/alerts$/, view: alertsView, title: 'Live alerts' },
  { pattern: /^#\/closures$/, view: closuresView, title: 'Held closures' },
  { pattern: /^#\/overview$/, view: overviewView, title: 'Area overview' },
  { pattern: /^#\/case\/([0-9a-fA-F-]{36})(?:\/event\/([0-9a-fA-F-]{36}))?$/, view: caseView, title: 'Case', params: ['caseId', 'eventId'] },
  { pattern: /^#\/audit$/, view: auditHistoryView, title: 'History' },
  { pattern: /^#\/audit\/replay$/, view: replayView, title: 'Replay' },
  { pattern: /^#\/audit\/access-log$/, view: accessLogView, title: 'Access log' },
  { pattern: /^#\/my-cases$/, view: caseloadView, title: 'My cases' },
  { pattern: /^#\/data-protection$/, view: dataProtectionView, title: 'Data protection' },
  { pattern: /^#\/my-cases\/([0-9a-fA-F-]{36})$/, view: recordView, title: 'Case record', params: ['caseId'] },
  { pattern: /^#\/my-cases\/([0-9a-fA-F-]{36})\/intervention$/, view: interventionFormView, title: 'Log an intervention', params: ['caseId'] },
];

const NAV = {
  supervisor: [['#/alerts', 'Live alerts'], ['#/closures', 'Held closures'], ['#/overview', 'Area overview']],
  auditor: [['#/audit', 'History'], ['#/audit/replay', 'Replay'], ['#/audit/access-log', 'Access log'], ['#/overview', 'Area overview']],
  social_worker: [['#/my-cases', 'My cases']],
  data_protection_officer: [['#/data-protection', 'Data protection']],
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let current; // AbortController of the view on screen: leaving it ends its stream and requests

const navigate = (hash) => {
  if (location.hash === hash) route();
  else location.hash = hash;
};

function renderChrome() {
  const claims = session.claims();
  if (!claims) {
    mount(nav);
    mount(who);
    return;
  }
  const links = NAV[claims.role] ?? [];
  mount(nav, h('ul', {}, links.map(([href, text]) => h('li', {}, h('a', { href, 'aria-current': location.hash === href ? 'page' : false }, text)))));
  mount(
    who,
    h('span', {}, `Signed in as ${claims.sub} (${claims.role.replace(/_/g, ' ')}) · areas ${claims.areas.join(', ')}`),
    ' ',
    h('button', { type: 'button', class: 'link', onclick: () => { session.signOut(); navigate('#/signin'); } }, 'Sign out'),
  );
}

function route() {
  current?.abort();
  current = new AbortController();
  const claims = session.claims();
  const expired = claims && claims.exp && claims.exp * 1000 < Date.now();
  if (expired) session.signOut();
  const hash = location.hash || '#/';
  let match;
  const found = routes.find((r) => (match = r.pattern.exec(hash)));
  if (!session.token() && !found?.public) return navigate('#/signin');
  if (!found) return navigate(homeFor(claims?.role));
  const params = Object.fromEntries((found.params ?? []).map((name, i) => [name, match[i + 1]]));
  renderChrome();
  document.title = `${found.title ?? 'Sign in'} · Case tracking console`;
  void Promise.resolve(found.view(main, { signal: current.signal, params, navigate, claims: session.claims() })).then(() => {
    // Move focus to the new view's heading so keyboard and screen-reader users start there.
    main.querySelector('h1')?.focus({ preventScroll: true });
  });
}

window.addEventListener('hashchange', route);
window.addEventListener('console:unauthenticated', () => {
  session.signOut();
  navigate('#/signin');
});
route();
