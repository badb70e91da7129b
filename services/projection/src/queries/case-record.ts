import type { CaseEvent } from '@syv/contracts';
import { domainTimeOf } from '../fold/domain-time.js';
import type { LabellingMatcher } from '../rules/index.js';

/**
 * A case's record read back, one list per kind of record, each in the order it happened (domain
 * time), from the events as they were published. Interventions carry their notes and the labelling
 * language found in them, so the worker who takes a case over reads the child's story as written
 * and sees what should be reworded. Pure: the caller loads the events.
 */
export function caseRecord(events: readonly CaseEvent[], match: LabellingMatcher) {
  const record = {
    referrals: [] as (Extract<CaseEvent, { type: 'referral.received.v1' }>['data'] & { eventId: string })[],
    allocations: [] as (Extract<CaseEvent, { type: 'case.allocated.v1' }>['data'] & { eventId: string })[],
    onwardReferrals: [] as {
      onwardReferralId: string;
      agency: string;
      reason: string;
      referredAt: string;
      startedAt: string | null;
      eventId: string;
    }[],
    interventions: [] as (Extract<CaseEvent, { type: 'intervention.logged.v1' }>['data'] & {
      eventId: string;
      languageFlags: { phrase: string; position: number; suggestion: string }[];
    })[],
    incidents: [] as (Extract<CaseEvent, { type: 'incident.recorded.v1' }>['data'] & { eventId: string })[],
    riskAssessments: [] as (Extract<CaseEvent, { type: 'risk.assessed.v1' }>['data'] & { eventId: string })[],
  };
  // A start may be published before the referral it starts (each service relays its own outbox).
  const started = new Map<string, string>();
  // In the order things happened (an allocation, a decision about the case, where it was recorded);
  // the sort is stable, so facts of one instant keep their log order.
  const happened = (e: CaseEvent) => Date.parse(domainTimeOf(e) ?? e.time);
  for (const e of [...events].sort((a, b) => happened(a) - happened(b))) {
    switch (e.type) {
      case 'referral.received.v1':
        record.referrals.push({ ...e.data, eventId: e.id });
        break;
      case 'case.allocated.v1':
        record.allocations.push({ ...e.data, eventId: e.id });
        break;
      case 'onward-referral.made.v1':
        record.onwardReferrals.push({ ...e.data, startedAt: null, eventId: e.id });
        break;
      case 'onward-referral.started.v1':
        started.set(e.data.onwardReferralId, e.data.startedAt);
        break;
      case 'intervention.logged.v1':
        record.interventions.push({ ...e.data, eventId: e.id, languageFlags: match(e.data.notes).map((m) => ({ phrase: m.phrase, position: m.position, suggestion: m.suggestion })) });
        break;
      case 'incident.recorded.v1':
        record.incidents.push({ ...e.data, eventId: e.id });
        break;
      case 'risk.assessed.v1':
        record.riskAssessments.push({ ...e.data, eventId: e.id });
        break;
    }
  }
  for (const o of record.onwardReferrals) o.startedAt = started.get(o.onwardReferralId) ?? null;
  return record;
}
