import { randomUUID } from 'node:crypto';
import { makeEvent, SOURCES, type Agency, type CaseEvent, type ClosureReason, type Concern, type EventData, type EventOf, type IncidentKind, type InterventionKind, type RiskLevel, type Source, type SupportOutcome } from '@syv/contracts';
import { addDays } from '../rules/days.js';
import { buildCaseHistory, type CaseHistory } from '../rules/history.js';
import type { LabellingMatcher } from '../rules/labelling-language.js';

// Test support: one child's case written as the command services would publish it, on days
// counted from a start date, so a test reads "day 40" rather than timestamps. The rules' tests
// read the same events as a history; the projection's tests publish them or fold them.

export interface CaseStory {
  caseId: string;
  childId: string;
  area: string;
  events: CaseEvent[];
  day(n: number): Date;
  referral(day: number, o?: { concerns?: Concern[]; riskLevel?: RiskLevel; sourceAgency?: Agency; reReferral?: boolean; opens?: boolean; reason?: string }): EventOf<'referral.received.v1'>;
  /** The case allocated to `worker` (by themselves unless `by` says who), after whoever had it before in this story. */
  allocate(day: number, worker: string, o?: { by?: string; note?: string }): EventOf<'case.allocated.v1'>;
  intervention(day: number, o?: { agency?: Agency; withChild?: boolean; kind?: InterventionKind; notes?: string; childViews?: string; familyViews?: string }): EventOf<'intervention.logged.v1'>;
  incident(day: number, o?: { kind?: IncidentKind; severity?: RiskLevel; description?: string }): EventOf<'incident.recorded.v1'>;
  /** `o` adds the fields a risk assessment may leave out (the kinds of harm outside the home, the rationale, the views). */
  risk(day: number, riskLevel: RiskLevel, extraFamilialHarm?: boolean, o?: Partial<Pick<EventData<'risk.assessed.v1'>, 'harmOutsideHome' | 'rationale' | 'childViews' | 'familyViews'>>): EventOf<'risk.assessed.v1'>;
  onward(day: number, agency: Agency): EventOf<'onward-referral.made.v1'>;
  started(day: number, onwardReferralId: string): EventOf<'onward-referral.started.v1'>;
  declined(day: number, onwardReferralId: string, reason?: string): EventOf<'onward-referral.declined.v1'>;
  withdrawn(day: number, onwardReferralId: string): EventOf<'onward-referral.withdrawn.v1'>;
  ended(day: number, onwardReferralId: string, outcome?: SupportOutcome, note?: string): EventOf<'onward-referral.ended.v1'>;
  requestClosure(day: number, reason?: ClosureReason): EventOf<'closure.requested.v1'>;
  close(day: number, closureRequestId: string, o?: { reason?: ClosureReason; approvedBy?: string }): EventOf<'case.closed.v1'>;
  reopen(day: number): EventOf<'case.reopened.v1'>;
  /** A correction of `field` of `record` on `day`, published by the service that recorded it. */
  amend(day: number, record: CaseEvent, field: string, text: string, reason?: string): EventOf<'record.amended.v1'>;
  /** The case as the rules read it; `match` finds labelling in its notes (none without it). */
  history(match?: LabellingMatcher): CaseHistory;
}

interface CaseStoryOptions {
  area?: string;
  childId?: string;
  caseId?: string;
  /** Where every id comes from: random by default; a sequence makes a failing test name the same ids every run. */
  ids?: () => string;
}

export function caseStory(start: Date, o: CaseStoryOptions = {}): CaseStory {
  const newId = o.ids ?? randomUUID;
  const caseId = o.caseId ?? newId();
  const childId = o.childId ?? `child-${newId().slice(0, 8)}`;
  const area = o.area ?? 'E09000001';
  const correlation = newId();
  const events: CaseEvent[] = [];
  let allocatedTo: string | null = null;
  const day = (n: number) => addDays(start, n);
  const iso = (n: number) => day(n).toISOString();
  function add<T extends CaseEvent['type']>(type: T, source: Source, at: number, data: Omit<EventData<T>, 'caseId'>): EventOf<T> {
    const event = makeEvent(type, { ...data, caseId } as EventData<T>, {
      id: newId(),
      source,
      // Recorded when it happened, as a live system would.
      time: day(at),
      area,
      correlationid: correlation,
      causationid: newId(),
      actor: { sub: 'sw-1', role: 'social_worker' },
    });
    events.push(event as CaseEvent);
    return event;
  }
  return {
    caseId,
    childId,
    area,
    events,
    day,
    referral(at, r = {}) {
      const referralId = newId();
      const e = add('referral.received.v1', SOURCES.referral, at, {
        referralId,
        childId,
        area,
        sourceAgency: r.sourceAgency ?? 'school',
        concerns: r.concerns ?? ['criminal_exploitation'],
        riskLevel: r.riskLevel ?? 'medium',
        receivedAt: iso(at),
        reReferral: r.reReferral ?? false,
        ...(r.reason === undefined ? {} : { reason: r.reason }),
      });
      if (r.opens ?? events.length === 1) add('case.opened.v1', SOURCES.referral, at, { childId, area, referralId, openedAt: iso(at) });
      return e;
    },
    allocate(at, worker, a = {}) {
      const e = add('case.allocated.v1', SOURCES.referral, at, {
        area,
        allocatedTo: worker,
        previouslyAllocatedTo: allocatedTo,
        allocatedBy: a.by ?? worker,
        allocatedAt: iso(at),
        ...(a.note === undefined ? {} : { note: a.note }),
      });
      allocatedTo = worker;
      return e;
    },
    intervention(at, i = {}) {
      return add('intervention.logged.v1', SOURCES.intervention, at, {
        interventionId: newId(),
        agency: i.agency ?? 'social_care',
        kind: i.kind ?? 'direct_work',
        deliveredAt: iso(at),
        withChild: i.withChild ?? true,
        withFamily: false,
        durationMinutes: 60,
        notes: i.notes ?? 'Met after school; talked about getting home safely.',
        ...(i.childViews === undefined ? {} : { childViews: i.childViews }),
        ...(i.familyViews === undefined ? {} : { familyViews: i.familyViews }),
      });
    },
    incident(at, i = {}) {
      return add('incident.recorded.v1', SOURCES.intervention, at, {
        incidentId: newId(),
        kind: i.kind ?? 'violence_victim',
        severity: i.severity ?? 'high',
        occurredAt: iso(at),
        ...(i.description === undefined ? {} : { description: i.description }),
      });
    },
    risk(at, riskLevel, extraFamilialHarm = false, more = {}) {
      return add('risk.assessed.v1', SOURCES.intervention, at, { assessmentId: newId(), riskLevel, extraFamilialHarm, assessedAt: iso(at), ...more });
    },
    onward(at, agency) {
      return add('onward-referral.made.v1', SOURCES.referral, at, { onwardReferralId: newId(), agency, reason: 'Low mood since the assault.', referredAt: iso(at) });
    },
    started(at, onwardReferralId) {
      return add('onward-referral.started.v1', SOURCES.referral, at, { onwardReferralId, startedAt: iso(at) });
    },
    declined(at, onwardReferralId, reason = 'Threshold for the service not met.') {
      return add('onward-referral.declined.v1', SOURCES.referral, at, { onwardReferralId, reason, declinedAt: iso(at) });
    },
    withdrawn(at, onwardReferralId) {
      return add('onward-referral.withdrawn.v1', SOURCES.referral, at, { onwardReferralId, reason: 'No longer needed.', withdrawnAt: iso(at) });
    },
    ended(at, onwardReferralId, outcome = 'completed', note) {
      return add('onward-referral.ended.v1', SOURCES.referral, at, { onwardReferralId, outcome, endedAt: iso(at), ...(note === undefined ? {} : { reason: note }) });
    },
    requestClosure(at, reason = 'support_completed') {
      return add('closure.requested.v1', SOURCES.caseClosure, at, { closureRequestId: newId(), reason, summary: 'Plan completed.', requestedAt: iso(at) });
    },
    close(at, closureRequestId, c = {}) {
      return add('case.closed.v1', SOURCES.caseClosure, at, {
        closureRequestId,
        reason: c.reason ?? 'support_completed',
        closedAt: iso(at),
        ...(c.approvedBy === undefined ? {} : { approvedBy: c.approvedBy }),
      });
    },
    reopen(at) {
      return add('case.reopened.v1', SOURCES.caseClosure, at, { reason: 'School referred again.', reopenedAt: iso(at) });
    },
    amend(at, record, field, text, reason = 'The first version blamed the child.') {
      return add('record.amended.v1', record.source as Source, at, { amendmentId: newId(), area, recordId: record.id, recordType: record.type, field, text, reason, amendedAt: day(at).toISOString() });
    },
    history(match) {
      return buildCaseHistory(events, caseId, match);
    },
  };
}
