import { SPEC_DEFAULTS, type Thresholds } from '../thresholds/index.js';
import type { Agency, ClosureReason, Concern, IncidentKind, InterventionKind, RiskLevel } from './contract.js';
import { addDays } from './days.js';
import { buildCaseHistory, type CaseHistory, type HistoryInput } from './history.js';
import type { LabellingMatcher } from './labelling-language.js';

// Test support: a case written as a script of days since the first referral, so boundary tests
// read as "day 14" and "day 15" rather than timestamps. Ids are deterministic UUIDs, so a failing
// test names the same ids every run.

export const T0 = new Date('2024-03-04T10:00:00Z');
export const AREA = 'E09000001';

export function day(n: number): Date {
  return addDays(T0, n);
}

let counter = 0;
export function nextId(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export function thresholds(changes: Partial<Thresholds> = {}): Thresholds {
  return { ...SPEC_DEFAULTS, ...changes };
}

export interface CaseScript {
  caseId: string;
  childId: string;
  events: HistoryInput[];
  referral(at: number, o?: { concerns?: Concern[]; riskLevel?: RiskLevel; sourceAgency?: Agency }): { eventId: string; referralId: string };
  intervention(at: number, o?: { agency?: Agency; withChild?: boolean; kind?: InterventionKind; notes?: string }): { eventId: string; interventionId: string };
  incident(at: number, o?: { kind?: IncidentKind; severity?: RiskLevel }): { eventId: string; incidentId: string };
  risk(at: number, riskLevel: RiskLevel, extraFamilialHarm?: boolean): { eventId: string; assessmentId: string };
  onward(at: number, agency: Agency): { eventId: string; onwardReferralId: string };
  started(at: number, onwardReferralId: string): { eventId: string };
  requestClosure(at: number, reason?: ClosureReason): { eventId: string; closureRequestId: string };
  close(at: number, closureRequestId: string, o?: { reason?: ClosureReason; approvedBy?: string }): { eventId: string };
  reopen(at: number): { eventId: string };
  /** The case's history; `match` finds labelling in its notes (none without it). */
  history(match?: LabellingMatcher): CaseHistory;
}

export function caseScript(childId = 'child-1'): CaseScript {
  const caseId = nextId();
  const events: HistoryInput[] = [];
  const push = (type: string, data: Record<string, unknown>): string => {
    const id = nextId();
    events.push({ id, type, data: { caseId, ...data } } as HistoryInput);
    return id;
  };
  const iso = (n: number) => day(n).toISOString();

  return {
    caseId,
    childId,
    events,
    referral(at, o = {}) {
      const referralId = nextId();
      const eventId = push('referral.received.v1', {
        referralId,
        childId,
        area: AREA,
        sourceAgency: o.sourceAgency ?? 'police',
        concerns: o.concerns ?? ['criminal_exploitation'],
        riskLevel: o.riskLevel ?? 'medium',
        receivedAt: iso(at),
        reReferral: false,
      });
      return { eventId, referralId };
    },
    intervention(at, o = {}) {
      const interventionId = nextId();
      const eventId = push('intervention.logged.v1', {
        interventionId,
        agency: o.agency ?? 'social_care',
        kind: o.kind ?? 'direct_work',
        deliveredAt: iso(at),
        withChild: o.withChild ?? true,
        withFamily: false,
        durationMinutes: 60,
        notes: o.notes ?? 'Met at school; talked about what feels safe on the way home.',
      });
      return { eventId, interventionId };
    },
    incident(at, o = {}) {
      const incidentId = nextId();
      const eventId = push('incident.recorded.v1', { incidentId, kind: o.kind ?? 'violence_victim', severity: o.severity ?? 'high', occurredAt: iso(at) });
      return { eventId, incidentId };
    },
    risk(at, riskLevel, extraFamilialHarm = false) {
      const assessmentId = nextId();
      const eventId = push('risk.assessed.v1', { assessmentId, riskLevel, extraFamilialHarm, assessedAt: iso(at) });
      return { eventId, assessmentId };
    },
    onward(at, agency) {
      const onwardReferralId = nextId();
      const eventId = push('onward-referral.made.v1', { onwardReferralId, agency, reason: 'Low mood and panic attacks since the stabbing.', referredAt: iso(at) });
      return { eventId, onwardReferralId };
    },
    started(at, onwardReferralId) {
      return { eventId: push('onward-referral.started.v1', { onwardReferralId, startedAt: iso(at) }) };
    },
    requestClosure(at, reason: ClosureReason = 'support_completed') {
      const closureRequestId = nextId();
      const eventId = push('closure.requested.v1', { closureRequestId, reason, summary: 'Engaging well.', requestedAt: iso(at) });
      return { eventId, closureRequestId };
    },
    close(at, closureRequestId, o = {}) {
      return { eventId: push('case.closed.v1', { closureRequestId, reason: o.reason ?? 'support_completed', closedAt: iso(at), ...(o.approvedBy ? { approvedBy: o.approvedBy } : {}) }) };
    },
    reopen(at) {
      return { eventId: push('case.reopened.v1', { reason: 'New incident reported by school.', reopenedAt: iso(at) }) };
    },
    history(match?: LabellingMatcher) {
      return buildCaseHistory(events, undefined, match);
    },
  };
}
