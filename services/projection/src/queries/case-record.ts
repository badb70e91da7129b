import type { CaseEvent, SupportOutcome } from '@syv/contracts';
import { domainTimeOf } from '../fold/domain-time.js';
import { labellingAt, matcherOf, onwardStatus, type LabellingMatcher, type OnwardStatus, type TextField } from '../rules/index.js';
import { wholeDaysBetween } from '../rules/days.js';
import { withCorrections, type Correction } from './corrections.js';

/** A labelling phrase in one of a record's texts: the field, where in it, and the wording to use instead. */
export interface RecordLanguageFlag {
  field: TextField;
  phrase: string;
  position: number;
  suggestion: string;
}

/** An onward referral's outcome as the record shows it: its fields, the event, the labelling language in its text and its corrections. */
type OnwardOutcomeRecord<T> = T & { eventId: string; languageFlags: RecordLanguageFlag[]; corrections: readonly Correction[] };

/** What every record with texts carries: its event, the labelling language in its texts, and the corrections of them. */
type Written = { eventId: string; languageFlags: RecordLanguageFlag[]; corrections: readonly Correction[] };

const daysFrom = (from: string, to: string | null | undefined) => (to ? wholeDaysBetween(new Date(from), new Date(to)) : null);

/**
 * A case's record read back, one list per kind of record, each in the order it happened (domain
 * time), from the events as they were published. Each record carries its texts as written (notes,
 * reasons, descriptions, rationales, what the child and the family said; absent where not recorded)
 * and the labelling language found in them, naming the field, so the worker who takes a case over
 * reads the child's story in the words it was recorded in and sees what should be reworded. A text
 * corrected since reads as corrected, and its record lists the corrections (field, when, who, why).
 * Pure: the caller loads the events.
 */
export function caseRecord(recorded: readonly CaseEvent[], lexicon: LabellingMatcher) {
  const { events, corrections } = withCorrections(recorded, lexicon);
  const correctionsOf = (e: CaseEvent) => corrections.get(e.id) ?? [];
  const record = {
    referrals: [] as (Extract<CaseEvent, { type: 'referral.received.v1' }>['data'] & Written)[],
    allocations: [] as (Extract<CaseEvent, { type: 'case.allocated.v1' }>['data'] & { eventId: string; corrections: readonly Correction[] })[],
    onwardReferrals: [] as {
      onwardReferralId: string;
      agency: string;
      reason: string;
      referredAt: string;
      startedAt: string | null;
      eventId: string;
      languageFlags: RecordLanguageFlag[];
      corrections: readonly Correction[];
      /** The referral's whole life, from its events: where it stands, and its outcome with the words written. */
      status: OnwardStatus;
      declined: OnwardOutcomeRecord<{ declinedAt: string; reason: string }> | null;
      withdrawn: OnwardOutcomeRecord<{ withdrawnAt: string; reason: string }> | null;
      ended: OnwardOutcomeRecord<{ endedAt: string; outcome: SupportOutcome; reason?: string }> | null;
      /** Whole days from the referral to its start, refusal or withdrawal; null while it waits. */
      waitDays: number | null;
      /** Whole days from the start to the end; null until both are known. */
      supportDays: number | null;
    }[],
    interventions: [] as (Extract<CaseEvent, { type: 'intervention.logged.v1' }>['data'] & Written)[],
    incidents: [] as (Extract<CaseEvent, { type: 'incident.recorded.v1' }>['data'] & Written)[],
    riskAssessments: [] as (Extract<CaseEvent, { type: 'risk.assessed.v1' }>['data'] & Written)[],
  };
  // A start may be published before the referral it starts (each service relays its own outbox).
  const started = new Map<string, string>();
  const declined = new Map<string, OnwardOutcomeRecord<{ declinedAt: string; reason: string }>>();
  const withdrawn = new Map<string, OnwardOutcomeRecord<{ withdrawnAt: string; reason: string }>>();
  const ended = new Map<string, OnwardOutcomeRecord<{ endedAt: string; outcome: SupportOutcome; reason?: string }>>();
  // In the order things happened (an allocation, a decision about the case, where it was recorded);
  // the sort is stable, so facts of one instant keep their log order.
  const happened = (e: CaseEvent) => Date.parse(domainTimeOf(e) ?? e.time);
  for (const e of [...events].sort((a, b) => happened(a) - happened(b))) {
    const match = matcherOf(e, lexicon);
    switch (e.type) {
      case 'referral.received.v1':
        record.referrals.push({ ...e.data, eventId: e.id, languageFlags: labellingAt({ reason: e.data.reason }, match), corrections: correctionsOf(e) });
        break;
      case 'case.allocated.v1':
        record.allocations.push({ ...e.data, eventId: e.id, corrections: correctionsOf(e) });
        break;
      case 'onward-referral.made.v1':
        record.onwardReferrals.push({
          ...e.data,
          startedAt: null,
          eventId: e.id,
          languageFlags: labellingAt({ reason: e.data.reason }, match),
          corrections: correctionsOf(e),
          status: 'waiting',
          declined: null,
          withdrawn: null,
          ended: null,
          waitDays: null,
          supportDays: null,
        });
        break;
      case 'onward-referral.started.v1':
        started.set(e.data.onwardReferralId, e.data.startedAt);
        break;
      case 'onward-referral.declined.v1':
        declined.set(e.data.onwardReferralId, { declinedAt: e.data.declinedAt, reason: e.data.reason, eventId: e.id, languageFlags: labellingAt({ reason: e.data.reason }, match), corrections: correctionsOf(e) });
        break;
      case 'onward-referral.withdrawn.v1':
        withdrawn.set(e.data.onwardReferralId, { withdrawnAt: e.data.withdrawnAt, reason: e.data.reason, eventId: e.id, languageFlags: labellingAt({ reason: e.data.reason }, match), corrections: correctionsOf(e) });
        break;
      case 'onward-referral.ended.v1':
        ended.set(e.data.onwardReferralId, {
          endedAt: e.data.endedAt,
          outcome: e.data.outcome,
          ...(e.data.reason === undefined ? {} : { reason: e.data.reason }),
          eventId: e.id,
          languageFlags: labellingAt({ reason: e.data.reason }, match),
          corrections: correctionsOf(e),
        });
        break;
      case 'intervention.logged.v1':
        record.interventions.push({ ...e.data, eventId: e.id, languageFlags: labellingAt({ notes: e.data.notes, childViews: e.data.childViews, familyViews: e.data.familyViews }, match), corrections: correctionsOf(e) });
        break;
      case 'incident.recorded.v1':
        record.incidents.push({ ...e.data, eventId: e.id, languageFlags: labellingAt({ description: e.data.description }, match), corrections: correctionsOf(e) });
        break;
      case 'risk.assessed.v1':
        record.riskAssessments.push({
          ...e.data,
          eventId: e.id,
          languageFlags: labellingAt({ rationale: e.data.rationale, childViews: e.data.childViews, familyViews: e.data.familyViews }, match),
          corrections: correctionsOf(e),
        });
        break;
    }
  }
  for (const o of record.onwardReferrals) {
    const id = o.onwardReferralId;
    o.startedAt = started.get(id) ?? null;
    o.declined = declined.get(id) ?? null;
    o.withdrawn = withdrawn.get(id) ?? null;
    o.ended = ended.get(id) ?? null;
    o.status = onwardStatus({ started: o.startedAt ?? undefined, declined: o.declined ?? undefined, withdrawn: o.withdrawn ?? undefined, ended: o.ended ?? undefined });
    o.waitDays = daysFrom(o.referredAt, o.startedAt ?? o.declined?.declinedAt ?? o.withdrawn?.withdrawnAt);
    o.supportDays = o.startedAt ? daysFrom(o.startedAt, o.ended?.endedAt) : null;
  }
  return record;
}
