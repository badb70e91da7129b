import { h, mount } from '../h.js';
import { session } from '../api.js';
import { errorBox, heading, homeFor } from '../ui.js';

const looksLikeJwt = (t) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(t.trim());

/** Sign in by pasting a token; locally, a clearly marked button fetches a development token. */
export function signInView(main, { navigate }) {
  const tokenInput = h('textarea', { id: 'token', name: 'token', rows: '4', required: true, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'token-hint' });
  const problem = h('div', { 'aria-live': 'polite' });
  const done = () => {
    navigate(homeFor(session.claims()?.role));
  };

  const pasteForm = h(
    'form',
    {
      class: 'card',
      onsubmit: (e) => {
        e.preventDefault();
        if (!looksLikeJwt(tokenInput.value)) {
          mount(problem, errorBox(new Error('That does not look like a token: it should be three parts separated by dots.')));
          tokenInput.focus();
          return;
        }
        session.signIn(tokenInput.value);
        done();
      },
    },
    h('h2', {}, 'Sign in with your token'),
    h('label', { for: 'token' }, 'Bearer token'),
    h('p', { id: 'token-hint', class: 'hint' }, 'Paste the token your identity provider issued. It stays in this browser tab and is sent only to this system’s API.'),
    tokenInput,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );

  const devSection = h('div');
  mount(main, heading('Sign in', 'Social workers: your cases, their alerts and records. Supervisors and auditors: alerts, held closures, case histories, replays. Data protection officers: subject access, retention and erasure.'), problem, pasteForm, devSection);

  // The button exists only when the console runs with CONSOLE_DEV_TOKENS=1 (npm start); elsewhere
  // /dev-token answers 404 and nothing is shown.
  void fetch('/dev-token', { cache: 'no-store' }).then((res) => {
    if (res.status === 404) return;
    const role = h('select', { id: 'dev-role', name: 'role' }, h('option', { value: 'supervisor' }, 'supervisor'), h('option', { value: 'auditor' }, 'auditor'), h('option', { value: 'social_worker' }, 'social worker'), h('option', { value: 'data_protection_officer' }, 'data protection officer'));
    const areas = h('input', { id: 'dev-areas', name: 'areas', value: 'E09000001', required: true, pattern: '[A-Za-z0-9_\\-]{1,16}(,[A-Za-z0-9_\\-]{1,16})*', 'aria-describedby': 'dev-areas-hint' });
    mount(
      devSection,
      h(
        'form',
        {
          class: 'card dev-only',
          'aria-labelledby': 'dev-title',
          onsubmit: async (e) => {
            e.preventDefault();
            try {
              const q = new URLSearchParams({ role: role.value, areas: areas.value.replace(/\s+/g, '') });
              const r = await fetch(`/dev-token?${q}`, { cache: 'no-store' });
              const body = await r.json();
              if (!r.ok) throw Object.assign(new Error(body.detail ?? `HTTP ${r.status}`), { status: r.status, body });
              session.signIn(body.token);
              done();
            } catch (err) {
              mount(problem, errorBox(err));
            }
          },
        },
        h('h2', { id: 'dev-title' }, h('span', { class: 'badge dev-badge' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'Development only'), ' Get a development token'),
        h('p', {}, 'This console was started for local development: it will sign a token for any role. A real deployment does not offer this.'),
        h('label', { for: 'dev-role' }, 'Role'),
        role,
        h('label', { for: 'dev-areas' }, 'Areas'),
        h('p', { id: 'dev-areas-hint', class: 'hint' }, 'Local-authority codes, separated by commas.'),
        areas,
        h('button', { type: 'submit', id: 'dev-token-button' }, 'Get a development token (development only)'),
      ),
    );
  });
}
