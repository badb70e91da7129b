import { h, mount } from '../h.js';
import { api } from '../api.js';
import { caseLink, errorBox, heading, statusLine } from '../ui.js';
import { CLOSURE_RULES, ruleWords, severityBadge, timeEl, words } from '../words.js';
import { evidenceLinks } from './alerts.js';

const MIN_RATIONALE = 20; // the case-closure service refuses shorter rationales

/**
 * Closure requests held for a supervisor. Found through the public API only: open cases carrying a
 * closure flag (projection, one list per closure rule), each case's current closure request
 * (projection summary), and that request's status and flags (case-closure service).
 */
export async function closuresView(main, { signal }) {
  const list = h('div', { class: 'closures' });
  const state = statusLine('Looking for held closures…');
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  mount(main, heading('Held closures', 'Closure requests the rules flagged. Read the flags, then approve or reject with your reasons.'), state, announce, list);

  try {
    const pages = await Promise.all(CLOSURE_RULES.map((flag) => api('projection', `/v1/cases?status=open&limit=200&flag=${flag}`, { signal })));
    const caseIds = [...new Set(pages.flatMap((p) => p.items.map((c) => c.caseId)))];
    const summaries = await Promise.all(caseIds.map((id) => api('projection', `/v1/cases/${id}`, { signal })));
    const held = summaries.filter((s) => s.closure?.status === 'held_for_review');
    const requests = await Promise.all(held.map((s) => api('case-closure', `/v1/closure-requests/${s.closure.closureRequestId}`, { signal }).then((r) => ({ ...r, summary: s }))));
    const open = requests.filter((r) => r.status === 'held_for_review').sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    state.textContent = open.length ? `${open.length} closure request${open.length === 1 ? '' : 's'} waiting for a decision, oldest first.` : 'No closure requests are waiting for a decision.';
    mount(list, open.map((r) => heldItem(r)));
  } catch (err) {
    if (!signal.aborted) mount(list, errorBox(err));
  }

  function heldItem(r) {
    const id = r.closureRequestId;
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
        mount(form, h('p', { class: 'decided', role: 'status', 'data-status': answer.status }, h('span', { 'aria-hidden': 'true' }, '✓ '), text));
        announce.textContent = text;
      } catch (err) {
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
      h('p', { class: 'meta' }, 'Requested ', timeEl(r.requestedAt), ` by ${r.requestedBy} · reason: ${words(r.reason)} · area ${r.summary.area}`),
      h('h3', {}, `Why it was held (${r.flags.length} flag${r.flags.length === 1 ? '' : 's'})`),
      h('ul', { class: 'flags' }, r.flags.map((f) => h('li', { 'data-rule': f.rule }, severityBadge(f.severity), ' ', h('strong', {}, ruleWords(f.rule)), h('p', {}, f.explanation), evidenceLinks(r.caseId, f.evidence)))),
      form,
    );
  }
}
