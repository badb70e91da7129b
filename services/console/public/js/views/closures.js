import { h, mount, reconcile } from '../h.js';
import { api, query } from '../api.js';
import { caseLink, errorBox, heading, statusLine } from '../ui.js';
import { plural, ruleWords, severityBadge, timeEl, words } from '../words.js';
import { evidenceLinks } from './alerts.js';

const MIN_RATIONALE = 20; // the case-closure service refuses shorter rationales
const PAGE = 200;
const REFRESH_MS = 4000;
const FOUR_EYES = 'You asked for this closure: another supervisor must decide it.';

/**
 * Closure requests held for a supervisor, from the case-closure service
 * (GET /v1/closure-requests?status=held_for_review, every page), longest waiting first. The list is
 * read again every few seconds: a request held since appears, one decided elsewhere says so. A
 * request already on the page keeps its element, so a rationale being written is never lost.
 */
export function closuresView(main, { signal, claims }) {
  const list = h('div', { class: 'closures' });
  const state = statusLine('Looking for held closures…');
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const problems = h('div');
  const shown = new Map(); // closureRequestId → { el, request, decided }
  let first = true;
  let timer;
  mount(main, heading('Held closures', 'Closure requests the rules flagged. Read the flags, then approve or reject with your reasons. New ones appear here as they are held.'), state, problems, announce, list);
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

  async function refresh() {
    try {
      const held = [];
      for (let offset = 0; offset !== null;) {
        const page = await api('case-closure', `/v1/closure-requests${query({ status: 'held_for_review', limit: PAGE, offset })}`, { signal });
        held.push(...page.items);
        offset = page.next;
      }
      const heldIds = new Set(held.map((r) => r.closureRequestId));
      const fresh = held.filter((r) => !shown.has(r.closureRequestId));
      for (const r of fresh) shown.set(r.closureRequestId, { el: heldItem(r), request: r, decided: false });
      // Gone from the held list without a decision made here: someone else decided it.
      for (const [id, item] of shown) if (!heldIds.has(id) && !item.decided) decidedElsewhere(item);
      const waiting = held.length;
      state.textContent = waiting ? `${plural(waiting, 'closure request')} waiting for a decision, longest waiting first.` : 'No closure requests are waiting for a decision.';
      reconcile(list, [...shown.values()].sort((a, b) => a.request.requestedAt.localeCompare(b.request.requestedAt) || a.request.closureRequestId.localeCompare(b.request.closureRequestId)).map((i) => i.el));
      if (!first && fresh.length) announce.textContent = `${plural(fresh.length, 'new closure request')} held for review.`;
      first = false;
      problems.replaceChildren();
    } catch (err) {
      if (signal.aborted) return;
      mount(problems, errorBox(err));
    }
    if (!signal.aborted) timer = setTimeout(() => void refresh(), REFRESH_MS);
  }
  void refresh();

  function decidedElsewhere(item) {
    item.decided = true;
    const form = item.el.querySelector('form.decision');
    if (form) mount(form, h('p', { class: 'decided elsewhere', role: 'status', 'data-status': 'decided-elsewhere' }, 'No longer waiting: another supervisor has decided it.'));
  }

  function heldItem(r) {
    const id = r.closureRequestId;
    const mine = claims?.sub !== undefined && r.requestedBy === claims.sub;
    const rationale = h('textarea', { id: `rationale-${id}`, name: 'rationale', rows: '3', required: true, minlength: String(MIN_RATIONALE), maxlength: '5000', 'aria-describedby': `rationale-hint-${id}` });
    const result = h('div', { 'aria-live': 'polite' });
    rationale.addEventListener('input', () => result.replaceChildren());
    const decide = async (decision, form) => {
      if (rationale.value.trim().length < MIN_RATIONALE) {
        mount(result, errorBox(new Error(`Write your reasons (at least ${MIN_RATIONALE} characters) before you ${decision}.`)));
        rationale.focus();
        return;
      }
      for (const b of form.querySelectorAll('button')) b.disabled = true;
      try {
        const answer = await api('case-closure', `/v1/closure-requests/${id}/decision`, { method: 'POST', body: { decision, rationale: rationale.value } });
        const text = answer.status === 'closed' ? 'Approved: the case is closed.' : answer.status === 'rejected' ? 'Rejected: the case stays open.' : `Recorded (${words(answer.status)}).`;
        const item = shown.get(id);
        if (item) item.decided = true;
        mount(form, h('p', { class: 'decided', role: 'status', 'data-status': answer.status }, h('span', { 'aria-hidden': 'true' }, '✓ '), text));
        announce.textContent = text;
      } catch (err) {
        if (err.body?.code === 'FOUR_EYES') {
          // Not a fault to retry: the decision belongs to someone else, so the buttons stay off.
          mount(result, h('div', { class: 'error four-eyes', role: 'alert', 'data-code': 'FOUR_EYES' }, h('p', {}, h('strong', {}, FOUR_EYES))));
          return;
        }
        for (const b of form.querySelectorAll('button')) b.disabled = false;
        mount(result, errorBox(err));
      }
    };
    const form = h(
      'form',
      { class: 'decision', onsubmit: (e) => e.preventDefault() },
      h('label', { for: `rationale-${id}` }, 'Your reasons (required)'),
      h('p', { id: `rationale-hint-${id}`, class: 'hint' }, `Recorded with the decision and shown to auditors. At least ${MIN_RATIONALE} characters.`),
      rationale,
      result,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'primary approve', onclick: (e) => decide('approve', e.currentTarget.form) }, 'Approve closure'),
        h('button', { type: 'button', class: 'reject', onclick: (e) => decide('reject', e.currentTarget.form) }, 'Reject closure'),
      ),
    );
    return h(
      'section',
      { class: 'card held', 'data-closure-request-id': id, 'data-case-id': r.caseId, 'aria-labelledby': `held-${id}` },
      h('h2', { id: `held-${id}` }, 'Closure of ', caseLink(r.caseId)),
      h('p', { class: 'meta' }, 'Requested ', timeEl(r.requestedAt), ` by ${r.requestedBy}${mine ? ' (you)' : ''} · reason: ${words(r.reason)} · area ${r.area}`),
      h('h3', {}, `Why it was held (${plural(r.flags.length, 'flag')})`),
      h('ul', { class: 'flags' }, r.flags.map((f) => h('li', { 'data-rule': f.rule }, severityBadge(f.severity), ' ', h('strong', {}, ruleWords(f.rule)), h('p', {}, f.explanation), evidenceLinks(r.caseId, f.evidence)))),
      form,
    );
  }
}
