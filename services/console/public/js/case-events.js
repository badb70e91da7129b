import { h } from './h.js';
import { eventName, ruleWords, words } from './words.js';

const DOMAIN_TIME = ['receivedAt', 'openedAt', 'referredAt', 'startedAt', 'deliveredAt', 'occurredAt', 'assessedAt', 'requestedAt', 'closedAt', 'reopenedAt'];

/** When a fact happened (its domain time), else when it was recorded: back-dated entries sit where they belong. */
export function eventTime(e) {
  for (const key of DOMAIN_TIME) if (typeof e.data?.[key] === 'string') return e.data[key];
  return e.time;
}

const yesNo = (b) => (b ? 'yes' : 'no');

/** What an event says, as text nodes; free text (notes, summaries, rationales) in its own paragraph. */
export function eventDetail(e) {
  const d = e.data ?? {};
  const free = (label, text) => (text ? h('p', { class: 'detail free-text' }, h('span', { class: 'label' }, `${label}: `), text) : null);
  switch (eventName(e.type)) {
    case 'referral.received':
      return [h('p', { class: 'detail' }, `From ${words(d.sourceAgency)}; concerns: ${(d.concerns ?? []).map(words).join(', ')}; risk ${d.riskLevel}${d.reReferral ? '; a re-referral' : ''}.`), free('Reason', d.reason)];
    case 'case.opened':
      return [h('p', { class: 'detail' }, `Child ${d.childId} · area ${d.area}`)];
    case 'case.allocated':
      return [h('p', { class: 'detail' }, `To ${d.allocatedTo} by ${d.allocatedBy}${d.previouslyAllocatedTo ? `; before: ${d.previouslyAllocatedTo}` : ''}.`), free('Note', d.note)];
    case 'onward-referral.made':
      return [h('p', { class: 'detail' }, `To ${words(d.agency)}.`), free('Reason', d.reason)];
    case 'onward-referral.started':
      return [h('p', { class: 'detail' }, `Onward referral ${String(d.onwardReferralId).slice(0, 8)} started.`)];
    case 'onward-referral.declined':
      return [h('p', { class: 'detail' }, `Onward referral ${String(d.onwardReferralId).slice(0, 8)} declined by the agency.`), free('Reason', d.reason)];
    case 'onward-referral.withdrawn':
      return [h('p', { class: 'detail' }, `Onward referral ${String(d.onwardReferralId).slice(0, 8)} withdrawn.`), free('Reason', d.reason)];
    case 'onward-referral.ended':
      return [h('p', { class: 'detail' }, `Onward referral ${String(d.onwardReferralId).slice(0, 8)} ended: ${words(d.outcome)}.`), free('Note', d.reason)];
    case 'intervention.logged':
      return [h('p', { class: 'detail' }, `${words(d.kind)} by ${words(d.agency)}, ${d.durationMinutes} min · with the child: ${yesNo(d.withChild)} · with the family: ${yesNo(d.withFamily)}`), free('Notes', d.notes), free('The child said', d.childViews), free('The family said', d.familyViews)];
    case 'incident.recorded':
      return [h('p', { class: 'detail' }, `${words(d.kind)}, severity ${d.severity}.`), free('What happened', d.description)];
    case 'risk.assessed': {
      const harm = d.harmOutsideHome?.length ? `; harm outside the home: ${d.harmOutsideHome.map(words).join(', ')}` : d.extraFamilialHarm ? '; harm outside the home recorded' : '';
      return [h('p', { class: 'detail' }, `Risk ${d.riskLevel}${harm}.`), free('Why', d.rationale), free('The child said', d.childViews), free('The family said', d.familyViews)];
    }
    case 'closure.requested':
      return [h('p', { class: 'detail' }, `Reason: ${words(d.reason)}.`), free('Summary', d.summary)];
    case 'closure.assessed':
    case 'closure.held':
      return [h('p', { class: 'detail' }, d.flags?.length ? `Flags: ${d.flags.map((f) => ruleWords(f.rule)).join('; ')}.` : 'No flags.')];
    case 'case.closed':
      return [h('p', { class: 'detail' }, `Reason: ${words(d.reason)}${d.approvedBy ? `; approved by ${d.approvedBy}` : ''}.`), free('Rationale', d.rationale)];
    case 'closure.rejected':
      return [h('p', { class: 'detail' }, `Rejected by ${d.rejectedBy}.`), free('Rationale', d.rationale)];
    case 'case.reopened':
      return [free('Reason', d.reason)];
    case 'record.amended':
      // The record as first written stays above, in its own place; this is what it reads now, and why.
      return [h('p', { class: 'detail' }, `The ${words(d.field)} of the ${words(String(d.recordType ?? '').replace(/\.v\d+$/, '').replace(/[.-]/g, ' '))} (event ${String(d.recordId).slice(0, 8)}) corrected by ${e.actor?.sub ?? 'someone'}.`), free('Now reads', d.text), free('Why', d.reason)];
    case 'child.erased':
      return [h('p', { class: 'detail' }, `By ${d.erasedBy}; legal basis: ${words(d.legalBasis)}. The child's free texts read as [erased]; flags, dates and agencies remain.`), free('Reason', d.reason)];
    default:
      return [];
  }
}
