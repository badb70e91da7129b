import type { LabellingMatcher } from './labelling-language.js';
import { ERASED_TEXT, isSealedText, isUsedEvent, UNREADABLE_TEXT, type Agency, type AnyCaseEvent, type ClosureReason, type Concern, type HarmOutsideHomeKind, type IncidentKind, type InterventionKind, type RiskLevel, type SupportOutcome } from './contract.js';

// One case as the rules read it: facts grouped by kind, each in domain-time order, each keeping
// the id of the event that recorded it so a flag can cite it. Times are the times the data gives
// (deliveredAt, occurredAt, ...): an intervention recorded late still happened when it happened.

export interface ReferralItem {
  eventId: string;
  referralId: string;
  childId: string;
  area: string;
  sourceAgency: Agency;
  concerns: Concern[];
  riskLevel: RiskLevel;
  receivedAt: Date;
  reReferral: boolean;
  /** Labelling language in the reason, as found when the referral arrived (the reason is not kept). */
  labelling?: readonly LabellingFinding[];
}

export interface InterventionItem {
  eventId: string;
  interventionId: string;
  agency: Agency;
  kind: InterventionKind;
  deliveredAt: Date;
  withChild: boolean;
  withFamily: boolean;
  durationMinutes: number;
  /** Labelling language the notes and the views used, as found when the intervention was recorded (the texts are not kept). */
  labelling: readonly LabellingFinding[];
  /** The child's views were recorded with it (non-blank childViews); absent when they were not. */
  childViewsRecorded?: true;
}

/** The free-text fields of a case's events that are read for labelling language, by the field's name in its event. */
export type TextField = 'notes' | 'reason' | 'description' | 'rationale' | 'childViews' | 'familyViews' | 'summary';

export interface LabellingFinding {
  /** The field the phrase is in; absent in findings stored before other fields than the notes were read: the notes. */
  field?: TextField;
  phrase: string;
  suggestion: string;
}

export interface IncidentItem {
  eventId: string;
  incidentId: string;
  kind: IncidentKind;
  severity: RiskLevel;
  occurredAt: Date;
  /** Labelling language in the description (the description is not kept). */
  labelling?: readonly LabellingFinding[];
}

export interface RiskAssessmentItem {
  eventId: string;
  assessmentId: string;
  riskLevel: RiskLevel;
  extraFamilialHarm: boolean;
  assessedAt: Date;
  /** The kinds of harm outside the home found; absent when the assessment did not record them. */
  harmOutsideHome?: HarmOutsideHomeKind[];
  /** Labelling language in the rationale and the views (the texts are not kept). */
  labelling?: readonly LabellingFinding[];
  /** The child's views were recorded with it (non-blank childViews); absent when they were not. */
  childViewsRecorded?: true;
}

export interface OnwardReferralItem {
  eventId: string;
  onwardReferralId: string;
  agency: Agency;
  reason: string;
  referredAt: Date;
  started?: { eventId: string; startedAt: Date };
  /** Refused by the receiving agency; the reason it gave is not kept (rules never quote it). */
  declined?: { eventId: string; declinedAt: Date; labelling?: readonly LabellingFinding[] };
  /** Withdrawn by the referrer; the reason is not kept, only the labelling language found in it. */
  withdrawn?: { eventId: string; withdrawnAt: Date; labelling?: readonly LabellingFinding[] };
  /** The agency's support ended, after it started; the note is not kept, only the labelling language found in it. */
  ended?: { eventId: string; endedAt: Date; outcome: SupportOutcome; labelling?: readonly LabellingFinding[] };
  /** Labelling language in the reason for the referral. */
  labelling?: readonly LabellingFinding[];
}

/** How an onward referral ended, as its item keeps it: declined, withdrawn or ended. */
export type OnwardOutcome = Pick<OnwardReferralItem, 'declined' | 'withdrawn' | 'ended'>;

export interface ClosureRequestItem {
  eventId: string;
  closureRequestId: string;
  reason: ClosureReason;
  requestedAt: Date;
  /** Labelling language in the closing summary (the summary is not kept). */
  labelling?: readonly LabellingFinding[];
}

export interface ClosureItem {
  eventId: string;
  caseId: string;
  closureRequestId: string;
  reason: ClosureReason;
  closedAt: Date;
  approvedBy?: string;
  /** Labelling language in the rationale of a supervisor who closed despite the flags. */
  labelling?: readonly LabellingFinding[];
}

export interface ReopeningItem {
  eventId: string;
  reason: string;
  reopenedAt: Date;
  /** Labelling language in the reason. */
  labelling?: readonly LabellingFinding[];
}

export interface CaseHistory {
  caseId: string;
  /** From case.opened or the first referral; absent only for a history without either. */
  childId?: string;
  area?: string;
  openedAt?: Date;
  referrals: ReferralItem[];
  interventions: InterventionItem[];
  incidents: IncidentItem[];
  riskAssessments: RiskAssessmentItem[];
  onwardReferrals: OnwardReferralItem[];
  closureRequests: ClosureRequestItem[];
  closures: ClosureItem[];
  reopenings: ReopeningItem[];
}

/** The input: any events of the case-events topic for one case, in log order. */
export type HistoryInput = AnyCaseEvent;

/** A start whose onward referral has not arrived yet (two services' outboxes): attached when it does. */
export interface PendingStart {
  onwardReferralId: string;
  eventId: string;
  startedAt: Date;
}

/** An outcome whose onward referral has not arrived yet: attached when it does, as a start is. */
export interface PendingOutcome extends OnwardOutcome {
  onwardReferralId: string;
}

/** A case's facts as a fold keeps them between events: the history, and starts and outcomes waiting for their referral. */
export interface FactFold {
  history: CaseHistory;
  pendingStarts: PendingStart[];
  /** Absent until an outcome arrives before its referral (and in states stored before outcomes existed). */
  pendingOutcomes?: PendingOutcome[];
}

// A fact placed at the wrong time would silently change what a rule says about a child, so an
// unreadable time is an error the caller sees, not a skipped event.
function domainTime(event: HistoryInput, field: string, value: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`event ${event.id} (${event.type}) has no valid ${field}: ${JSON.stringify(value)}`);
  return at;
}

/**
 * A new list with `item` placed by its time: after every item at the same time or earlier, so
 * facts with one time stay in log order, and a late fact lands where it happened.
 */
function placed<T>(list: readonly T[], item: T, time: (x: T) => Date): T[] {
  const t = time(item).getTime();
  let i = list.length;
  while (i > 0 && time(list[i - 1]!).getTime() > t) i--;
  return [...list.slice(0, i), item, ...list.slice(i)];
}

function emptyHistory(caseId: string): CaseHistory {
  return { caseId, referrals: [], interventions: [], incidents: [], riskAssessments: [], onwardReferrals: [], closureRequests: [], closures: [], reopenings: [] };
}

export function emptyFold(caseId: string): FactFold {
  return { history: emptyHistory(caseId), pendingStarts: [] };
}

/**
 * The one place a case's free texts meet the labelling matcher: what it finds in each named field
 * (the field, the phrase, where it is and the wording to use instead), in field order then reading
 * order. The fold and the record read back both read texts through here, so an area's own lexicon
 * is swapped in at one place.
 */
export function labellingAt(fields: Partial<Record<TextField, string | undefined>>, match: LabellingMatcher): (LabellingFinding & { field: TextField; position: number })[] {
  const findings: (LabellingFinding & { field: TextField; position: number })[] = [];
  for (const [field, text] of Object.entries(fields) as [TextField, string | undefined][]) {
    if (text) for (const m of match(text)) findings.push({ field, phrase: m.phrase, position: m.position, suggestion: m.suggestion });
  }
  return findings;
}

/**
 * The matcher to read one event's texts with. A text sealed under the child's key cannot be read
 * here, and may be erased one day: what the check found when it was written (`data.labelling`)
 * stands for it, so the flags are the same live, in a rebuild and after an erasure. Events recorded
 * before texts were sealed carry no findings and are read with the area's lexicon.
 */
export function matcherOf(event: { data: unknown }, lexicon: LabellingMatcher): LabellingMatcher {
  const data = event.data as Record<string, unknown> & { labelling?: { field: string; phrase: string; position: number; suggestion: string }[] };
  const recorded = data.labelling;
  if (recorded === undefined) return (text) => (isSealedText(text) ? [] : lexicon(text));
  return (text) => (text === ERASED_TEXT || text === UNREADABLE_TEXT ? [] : recorded.filter((f) => data[f.field] === text));
}

/** What the fold keeps of the findings: no text and no position, only the field, the phrase and the suggestion. */
function labellingIn(fields: Partial<Record<TextField, string | undefined>>, match: LabellingMatcher): LabellingFinding[] {
  return labellingAt(fields, match).map(({ field, phrase, suggestion }) => ({ field, phrase, suggestion }));
}

/** Findings as an item keeps them: none is no property, so the item of a record without texts is as it was. */
const found = (findings: LabellingFinding[]) => (findings.length === 0 ? {} : { labelling: findings });

/** Whether a text was written: absent, empty or blank is "not recorded". */
const written = (text: string | undefined) => text !== undefined && /\S/.test(text);

/** For histories whose notes nobody checks (most rule tests): finds nothing. */
const NO_LABELLING: LabellingMatcher = () => [];

/**
 * An onward referral's outcome added: to its item when the referral is known, else kept until it
 * arrives (an outcome of the same kind recorded again replaces the earlier one, as a start does).
 */
function withOutcome(fold: FactFold, onwardReferralId: string, outcome: OnwardOutcome): FactFold {
  const h = fold.history;
  if (h.onwardReferrals.some((o) => o.onwardReferralId === onwardReferralId)) {
    return { ...fold, history: { ...h, onwardReferrals: h.onwardReferrals.map((o) => (o.onwardReferralId === onwardReferralId ? { ...o, ...outcome } : o)) } };
  }
  const pending = fold.pendingOutcomes ?? [];
  const had = pending.find((p) => p.onwardReferralId === onwardReferralId);
  const next = had ? pending.map((p) => (p === had ? { ...p, ...outcome } : p)) : [...pending, { onwardReferralId, ...outcome }];
  return { ...fold, pendingOutcomes: next };
}

/**
 * One event added to a case's facts: pure, returning a new fold and sharing what did not change.
 * Events the rules do not use are passed over; an event of another case is refused, since mixing
 * two children's facts would be worse than failing. Notes are read here, once, by `match`; the
 * history keeps what it found, never the notes.
 */
export function addFact(fold: FactFold, event: HistoryInput, lexicon: LabellingMatcher): FactFold {
  if (!isUsedEvent(event)) return fold;
  const match = matcherOf(event, lexicon);
  const h = fold.history;
  if (event.data.caseId !== h.caseId) throw new Error(`event ${event.id} belongs to case ${event.data.caseId}, not to case ${h.caseId}`);
  const next = (history: CaseHistory, pendingStarts = fold.pendingStarts): FactFold => ({ ...fold, history, pendingStarts });

  switch (event.type) {
    case 'referral.received.v1': {
      const d = event.data;
      const item: ReferralItem = {
        eventId: event.id,
        referralId: d.referralId,
        childId: d.childId,
        area: d.area,
        sourceAgency: d.sourceAgency,
        concerns: [...d.concerns],
        riskLevel: d.riskLevel,
        receivedAt: domainTime(event, 'receivedAt', d.receivedAt),
        reReferral: d.reReferral,
        ...found(labellingIn({ reason: d.reason }, match)),
      };
      return next({ ...h, childId: h.childId ?? d.childId, area: h.area ?? d.area, referrals: placed(h.referrals, item, (r) => r.receivedAt) });
    }
    case 'case.opened.v1': {
      const d = event.data;
      return next({ ...h, childId: d.childId, area: d.area, openedAt: domainTime(event, 'openedAt', d.openedAt) });
    }
    case 'onward-referral.made.v1': {
      const d = event.data;
      const waiting = fold.pendingStarts.filter((p) => p.onwardReferralId === d.onwardReferralId).at(-1);
      const outcome = fold.pendingOutcomes?.find((p) => p.onwardReferralId === d.onwardReferralId);
      const item: OnwardReferralItem = {
        eventId: event.id,
        onwardReferralId: d.onwardReferralId,
        agency: d.agency,
        reason: d.reason,
        referredAt: domainTime(event, 'referredAt', d.referredAt),
        ...(waiting ? { started: { eventId: waiting.eventId, startedAt: waiting.startedAt } } : {}),
        ...(outcome ? { ...outcome, onwardReferralId: d.onwardReferralId } : {}),
        ...found(labellingIn({ reason: d.reason }, match)),
      };
      const added = next(
        { ...h, onwardReferrals: placed(h.onwardReferrals, item, (o) => o.referredAt) },
        waiting ? fold.pendingStarts.filter((p) => p.onwardReferralId !== d.onwardReferralId) : fold.pendingStarts,
      );
      return outcome ? { ...added, pendingOutcomes: added.pendingOutcomes!.filter((p) => p !== outcome) } : added;
    }
    case 'onward-referral.started.v1': {
      const d = event.data;
      const started = { eventId: event.id, startedAt: domainTime(event, 'startedAt', d.startedAt) };
      // A start is attached once both halves are known, whatever order they arrived in; the latest start counts.
      if (h.onwardReferrals.some((o) => o.onwardReferralId === d.onwardReferralId)) {
        return next({ ...h, onwardReferrals: h.onwardReferrals.map((o) => (o.onwardReferralId === d.onwardReferralId ? { ...o, started } : o)) });
      }
      return next(h, [...fold.pendingStarts.filter((p) => p.onwardReferralId !== d.onwardReferralId), { onwardReferralId: d.onwardReferralId, ...started }]);
    }
    case 'onward-referral.declined.v1':
      return withOutcome(fold, event.data.onwardReferralId, {
        declined: { eventId: event.id, declinedAt: domainTime(event, 'declinedAt', event.data.declinedAt), ...found(labellingIn({ reason: event.data.reason }, match)) },
      });
    case 'onward-referral.withdrawn.v1':
      return withOutcome(fold, event.data.onwardReferralId, {
        withdrawn: { eventId: event.id, withdrawnAt: domainTime(event, 'withdrawnAt', event.data.withdrawnAt), ...found(labellingIn({ reason: event.data.reason }, match)) },
      });
    case 'onward-referral.ended.v1':
      return withOutcome(fold, event.data.onwardReferralId, {
        ended: { eventId: event.id, endedAt: domainTime(event, 'endedAt', event.data.endedAt), outcome: event.data.outcome, ...found(labellingIn({ reason: event.data.reason }, match)) },
      });
    case 'intervention.logged.v1': {
      const d = event.data;
      const item: InterventionItem = {
        eventId: event.id,
        interventionId: d.interventionId,
        agency: d.agency,
        kind: d.kind,
        deliveredAt: domainTime(event, 'deliveredAt', d.deliveredAt),
        withChild: d.withChild,
        withFamily: d.withFamily,
        durationMinutes: d.durationMinutes,
        labelling: labellingIn({ notes: d.notes, childViews: d.childViews, familyViews: d.familyViews }, match),
        ...(written(d.childViews) ? { childViewsRecorded: true as const } : {}),
      };
      return next({ ...h, interventions: placed(h.interventions, item, (i) => i.deliveredAt) });
    }
    case 'incident.recorded.v1': {
      const d = event.data;
      const item: IncidentItem = {
        eventId: event.id,
        incidentId: d.incidentId,
        kind: d.kind,
        severity: d.severity,
        occurredAt: domainTime(event, 'occurredAt', d.occurredAt),
        ...found(labellingIn({ description: d.description }, match)),
      };
      return next({ ...h, incidents: placed(h.incidents, item, (i) => i.occurredAt) });
    }
    case 'risk.assessed.v1': {
      const d = event.data;
      const item: RiskAssessmentItem = {
        eventId: event.id,
        assessmentId: d.assessmentId,
        riskLevel: d.riskLevel,
        extraFamilialHarm: d.extraFamilialHarm,
        assessedAt: domainTime(event, 'assessedAt', d.assessedAt),
        ...(d.harmOutsideHome === undefined ? {} : { harmOutsideHome: [...d.harmOutsideHome] }),
        ...found(labellingIn({ rationale: d.rationale, childViews: d.childViews, familyViews: d.familyViews }, match)),
        ...(written(d.childViews) ? { childViewsRecorded: true as const } : {}),
      };
      return next({ ...h, riskAssessments: placed(h.riskAssessments, item, (r) => r.assessedAt) });
    }
    case 'closure.requested.v1': {
      const d = event.data;
      const item: ClosureRequestItem = {
        eventId: event.id,
        closureRequestId: d.closureRequestId,
        reason: d.reason,
        requestedAt: domainTime(event, 'requestedAt', d.requestedAt),
        ...found(labellingIn({ summary: d.summary }, match)),
      };
      return next({ ...h, closureRequests: placed(h.closureRequests, item, (c) => c.requestedAt) });
    }
    case 'case.closed.v1': {
      const d = event.data;
      const item: ClosureItem = {
        eventId: event.id,
        caseId: d.caseId,
        closureRequestId: d.closureRequestId,
        reason: d.reason,
        closedAt: domainTime(event, 'closedAt', d.closedAt),
        ...(d.approvedBy === undefined ? {} : { approvedBy: d.approvedBy }),
        ...found(labellingIn({ rationale: d.rationale }, match)),
      };
      return next({ ...h, closures: placed(h.closures, item, (c) => c.closedAt) });
    }
    case 'case.reopened.v1': {
      const d = event.data;
      const item: ReopeningItem = { eventId: event.id, reason: d.reason, reopenedAt: domainTime(event, 'reopenedAt', d.reopenedAt), ...found(labellingIn({ reason: d.reason }, match)) };
      return next({ ...h, reopenings: placed(h.reopenings, item, (r) => r.reopenedAt) });
    }
    case 'record.amended.v1': {
      // The corrected text is read as the field it replaces: what it holds now is all that counts.
      const d = event.data;
      const findings = labellingAt({ [d.field]: d.text } as Partial<Record<TextField, string>>, match).map(({ field, phrase, suggestion }) => ({ field, phrase, suggestion }));
      return next(withCorrectedFindings(h, d.recordId, d.field, findings));
    }
  }
}

/** An item's findings with those of one field replaced: none is no property, as `found` leaves it. */
function refound<T extends { labelling?: readonly LabellingFinding[] | undefined }>(item: T, field: string, findings: readonly LabellingFinding[]): T {
  const kept = (item.labelling ?? []).filter((f) => (f.field ?? 'notes') !== field);
  const labelling = [...kept, ...findings];
  if (labelling.length > 0) return { ...item, labelling };
  const { labelling: _gone, ...rest } = item;
  return rest as T;
}

/**
 * A correction of one field of the record `recordId` (whichever kind it is): its findings in that
 * field become those of the corrected text. A correction of a record the case does not hold (an
 * event the rules do not read, such as an allocation note) changes no fact.
 */
function withCorrectedFindings(h: CaseHistory, recordId: string, field: string, findings: readonly LabellingFinding[]): CaseHistory {
  const fix = <T extends { eventId: string; labelling?: readonly LabellingFinding[] | undefined }>(items: T[]): T[] =>
    items.some((i) => i.eventId === recordId) ? items.map((i) => (i.eventId === recordId ? refound(i, field, findings) : i)) : items;
  const outcome = <T extends { eventId: string; labelling?: readonly LabellingFinding[] | undefined }>(o: T | undefined): T | undefined => (o?.eventId === recordId ? refound(o, field, findings) : o);
  return {
    ...h,
    referrals: fix(h.referrals),
    // An intervention always has its list of findings, empty when there are none.
    interventions: h.interventions.some((i) => i.eventId === recordId)
      ? h.interventions.map((i) => (i.eventId === recordId ? { ...i, labelling: refound(i, field, findings).labelling ?? [] } : i))
      : h.interventions,
    incidents: fix(h.incidents),
    riskAssessments: fix(h.riskAssessments),
    onwardReferrals: fix(h.onwardReferrals).map((o) => {
      const [declined, withdrawn, ended] = [outcome(o.declined), outcome(o.withdrawn), outcome(o.ended)];
      if (declined === o.declined && withdrawn === o.withdrawn && ended === o.ended) return o;
      return { ...o, ...(declined ? { declined } : {}), ...(withdrawn ? { withdrawn } : {}), ...(ended ? { ended } : {}) };
    }),
    closureRequests: fix(h.closureRequests),
    closures: fix(h.closures),
    reopenings: fix(h.reopenings),
  };
}

/**
 * Builds one case's history from its events, as the projection's fold does one event at a time.
 * Events delivered twice (same id) count once. `caseId` names the case when there may be no
 * events yet; without it, the first event the rules use names it.
 */
export function buildCaseHistory(events: readonly HistoryInput[], caseId?: string, match: LabellingMatcher = NO_LABELLING): CaseHistory {
  const seen = new Set<string>();
  let fold: FactFold | undefined = caseId === undefined ? undefined : emptyFold(caseId);
  for (const event of events) {
    if (seen.has(event.id) || !isUsedEvent(event)) continue;
    seen.add(event.id);
    fold = addFact(fold ?? emptyFold(event.data.caseId), event, match);
  }
  if (fold === undefined) throw new Error('cannot build a case history from no case events without a case id');
  return fold.history;
}
