import { h, mount, reconcile } from '../h.js';
import { api, query } from '../api.js';
import { waitChart } from '../charts.js';
import { errorBox, heading, statusLine } from '../ui.js';
import { plural, ruleWords, severityBadge, timeEl, words } from '../words.js';
import { evidenceLinks, liveAlerts } from './alerts.js';

const PAGE = 100;
const RANK = { high: 3, medium: 2, low: 1 };
const urgency = (c) => Math.max(0, ...c.flags.map((f) => RANK[f.severity] ?? 0));

/**
 * A social worker's own work: the alerts of the cases allocated to them, live, and the caseload
 * (GET /v1/cases?allocatedTo=me), most urgent first, each case with its flags, the days since the
 * child was last seen and the onward referrals still waiting, drawn as on the case page. A new
 * alert reloads the caseload, so the flag it brings shows on its case too.
 */
export function caseloadView(main, { signal }) {
  const state = statusLine('Loading your cases…');
  const list = h('ol', { class: 'caseload', 'aria-label': 'My open cases, most urgent first' });
  const drawn = new Map(); // caseId → { key, el }
  let timer;

  mount(
    main,
    heading('My cases', 'The cases allocated to you, what needs doing on each, and their alerts as the rules raise them.'),
    h('section', { class: 'card', 'aria-labelledby': 'my-alerts-title' },
      h('h2', { id: 'my-alerts-title' }, 'Alerts on my cases'),
      liveAlerts({ signal, headingLevel: 'h3', emptyText: 'No open alerts on your cases. New ones appear here as they are raised.', onRaised: () => reloadSoon() }),
    ),
    h('section', { 'aria-labelledby': 'caseload-title' }, h('h2', { id: 'caseload-title' }, 'My caseload'), state, list),
  );

  function reloadSoon() {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), 1000);
  }
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

  async function load() {
    try {
      const cases = [];
      for (let offset = 0; offset !== null;) {
        const page = await api('projection', `/v1/cases${query({ allocatedTo: 'me', status: 'open', limit: PAGE, offset })}`, { signal });
        cases.push(...page.items);
        offset = page.next;
      }
      cases.sort((a, b) => urgency(b) - urgency(a) || (b.daysSinceContact ?? Infinity) - (a.daysSinceContact ?? Infinity));
      state.textContent = cases.length ? `${plural(cases.length, 'open case')} allocated to you, most urgent first.` : 'No open cases are allocated to you.';
      const asOf = new Date().toISOString();
      reconcile(list, cases.map((c) => {
        const key = JSON.stringify(c);
        const known = drawn.get(c.caseId);
        if (known?.key === key) return known.el;
        const el = caseItem(c, asOf);
        drawn.set(c.caseId, { key, el });
        return el;
      }));
    } catch (err) {
      if (!signal.aborted) mount(state, errorBox(err));
    }
  }
  void load();
}

function caseItem(c, asOf) {
  const id = c.caseId;
  const record = `#/my-cases/${encodeURIComponent(id)}`;
  const seen = c.daysSinceContact === null ? 'not seen since the referral' : c.daysSinceContact === 0 ? 'today' : `${plural(c.daysSinceContact, 'day')} ago`;
  return h(
    'li',
    { class: 'card caseload-case', 'data-case-id': id },
    h('article', { 'aria-labelledby': `case-${id}` },
      h('h3', { id: `case-${id}` }, h('a', { href: record }, `Case ${id.slice(0, 8)}`), c.childId ? ` · child ${c.childId}` : ''),
      h('p', { class: 'meta' }, `Area ${c.area} · risk ${c.riskLevel ?? 'not assessed'} · opened `, timeEl(c.openedAt, true), c.agencies.length ? ` · ${c.agencies.map(words).join(', ')}` : ''),
      h('dl', { class: 'numbers' },
        h('div', {}, h('dt', {}, 'Child last seen'), h('dd', { 'data-field': 'days-since-contact' }, seen)),
        h('div', {}, h('dt', {}, 'Flags'), h('dd', {}, String(c.flags.length))),
        h('div', {}, h('dt', {}, 'Onward referrals waiting'), h('dd', {}, String(c.onwardReferralsWaiting.length))),
      ),
      c.flags.length
        ? h('ul', { class: 'flags' }, c.flags.map((f) => h('li', { 'data-rule': f.rule }, severityBadge(f.severity), ' ', h('strong', {}, ruleWords(f.rule)), h('p', {}, f.explanation), evidenceLinks(id, f.evidence))))
        : h('p', {}, 'No flags.'),
      c.onwardReferralsWaiting.length ? waits(c, asOf) : null,
      h('p', { class: 'buttons' },
        h('a', { href: record }, 'Read the record'),
        h('a', { href: `${record}/intervention` }, 'Log an intervention'),
        h('a', { href: `#/case/${encodeURIComponent(id)}` }, 'Waits and history')),
    ),
  );
}

/** The waiting onward referrals, with the last contact with the child, on the case page's chart. */
function waits(c, asOf) {
  const summary = {
    openedAt: c.openedAt,
    closedAt: null,
    asOf,
    onwardReferrals: c.onwardReferralsWaiting.map((o) => ({ ...o, startedAt: null, waiting: true })),
  };
  return h('div', { class: 'waits' },
    h('h4', {}, 'Waiting'),
    h('p', { class: 'legend' }, h('span', { class: 'swatch wait', 'aria-hidden': 'true' }), ' still waiting (hatched) · dashed line: the wait limit · dot: the last contact with the child'),
    waitChart(summary, c.lastContactWithChildAt ? [c.lastContactWithChildAt] : []));
}
