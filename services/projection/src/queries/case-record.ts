import type { CaseEvent } from '@syv/contracts';
import { domainTimeOf } from '../fold/domain-time.js';
import { labellingAt, type LabellingMatcher, type TextField } from '../rules/index.js';

/** A labelling phrase in one of a record's texts: the field, where in it, and the wording to use instead. */
export interface RecordLanguageFlag {
  field: TextField;
  phrase: string;
  position: number;
  suggestion: string;
}

/**
 * A case's record read back, one list per kind of record, each in the order it happened (domain
 * time), from the events as they were published. Each record carries its texts as written (notes,
 * reasons, descriptions, rationales, what the child and the family said; absent where not recorded)
 * and the labelling language found in them, naming the field, so the worker who takes a case over
 * reads the child's story in the words it was recorded in and sees what should be reworded. Pure:
 * the caller loads the events.
 */
export function caseRecord(events: readonly CaseEvent[], match: LabellingMatcher) {
  const record = {
    referrals: [] as (Extract<CaseEvent, { type: 'referral.received.v1' }>['data'] & { eventId: string; languageFlags: RecordLanguageFlag[] })[],
    allocations: [] as (Extract<CaseEvent, { type: 'case.allocated.v1' }>['data'] & { eventId: string })[],
    onwardReferrals: [] as {
      onwardReferralId: string;
      agency: string;
      reason: string;
      referredAt: string;
      startedAt: string | null;
      eventId: string;
      languageFlags: RecordLanguageFlag[];
    }[],
    interventions: [] as (Extract<CaseEvent, { type: 'intervention.logged.v1' }>['data'] & {
      eventId: string;
      languageFlags: RecordLanguageFlag[];
    })[],
    incidents: [] as (Extract<CaseEvent, { type: 'incident.recorded.v1' }>['data'] & { eventId: string; languageFlags: RecordLanguageFlag[] })[],
    riskAssessments: [] as (Extract<CaseEvent, { type: 'risk.assessed.v1' }>['data'] & { eventId: string; languageFlags: RecordLanguageFlag[] })[],
  };
  // A start may be published before the referral it starts (each service relays its own outbox).
  const started = new Map<string, string>();
  // In the order things happened (an allocation, a decision about the case, where it was recorded);
  // the sort is stable, so facts of one instant keep their log order.
  const happened = (e: CaseEvent) => Date.parse(domainTimeOf(e) ?? e.time);
  for (const e of [...events].sort((a, b) => happened(a) - happened(b))) {
    switch (e.type) {
      case 'referral.received.v1':
        record.referrals.push({ ...e.data, eventId: e.id, languageFlags: labellingAt({ reason: e.data.reason }, match) });
        break;
      case 'case.allocated.v1':
        record.allocations.push({ ...e.data, eventId: e.id });
        break;
      case 'onward-referral.made.v1':
        record.onwardReferrals.push({ ...e.data, startedAt: null, eventId: e.id, languageFlags: labellingAt({ reason: e.data.reason }, match) });
        break;
      case 'onward-referral.started.v1':
        started.set(e.data.onwardReferralId, e.data.startedAt);
        break;
      case 'intervention.logged.v1':
        record.interventions.push({ ...e.data, eventId: e.id, languageFlags: labellingAt({ notes: e.data.notes, childViews: e.data.childViews, familyViews: e.data.familyViews }, match) });
        break;
      case 'incident.recorded.v1':
        record.incidents.push({ ...e.data, eventId: e.id, languageFlags: labellingAt({ description: e.data.description }, match) });
        break;
      case 'risk.assessed.v1':
        record.riskAssessments.push({
          ...e.data,
          eventId: e.id,
          languageFlags: labellingAt({ rationale: e.data.rationale, childViews: e.data.childViews, familyViews: e.data.familyViews }, match),
        });
        break;
    }
  }
  for (const o of record.onwardReferrals) o.startedAt = started.get(o.onwardReferralId) ?? null;
  return record;
}
