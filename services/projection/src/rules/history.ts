import { isUsedEvent, type Agency, type AnyCaseEvent, type ClosureReason, type Concern, type IncidentKind, type InterventionKind, type RiskLevel } from './contract.js';

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
  notes: string;
}

export interface IncidentItem {
  eventId: string;
  incidentId: string;
  kind: IncidentKind;
  severity: RiskLevel;
  occurredAt: Date;
}

export interface RiskAssessmentItem {
  eventId: string;
  assessmentId: string;
  riskLevel: RiskLevel;
  extraFamilialHarm: boolean;
  assessedAt: Date;
}

export interface OnwardReferralItem {
  eventId: string;
  onwardReferralId: string;
  agency: Agency;
  reason: string;
  referredAt: Date;
  started?: { eventId: string; startedAt: Date };
}

export interface ClosureRequestItem {
  eventId: string;
  closureRequestId: string;
  reason: ClosureReason;
  requestedAt: Date;
}

export interface ClosureItem {
  eventId: string;
  caseId: string;
  closureRequestId: string;
  reason: ClosureReason;
  closedAt: Date;
  approvedBy?: string;
}

export interface ReopeningItem {
  eventId: string;
  reason: string;
  reopenedAt: Date;
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

// A fact placed at the wrong time would silently change what a rule says about a child, so an
// unreadable time is an error the caller sees, not a skipped event.
function domainTime(event: HistoryInput, field: string, value: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new Error(`event ${event.id} (${event.type}) has no valid ${field}: ${JSON.stringify(value)}`);
  return at;
}

function byTime<T>(time: (item: T) => Date): (a: T, b: T) => number {
  // Array.prototype.sort is stable, so facts with the same time stay in log order.
  return (a, b) => time(a).getTime() - time(b).getTime();
}

export function emptyHistory(caseId: string): CaseHistory {
  return { caseId, referrals: [], interventions: [], incidents: [], riskAssessments: [], onwardReferrals: [], closureRequests: [], closures: [], reopenings: [] };
}

/**
 * Builds one case's history from its events. Events delivered twice (same id) count once; events
 * the rules do not use are passed over; events of another case are refused, since mixing two
 * children's facts would be worse than failing. `caseId` names the case when there may be no
 * events yet.
 */
export function buildCaseHistory(events: readonly HistoryInput[], caseId?: string): CaseHistory {
  const seen = new Set<string>();
  const starts = new Map<string, { eventId: string; startedAt: Date }>();
  let history: CaseHistory | undefined = caseId === undefined ? undefined : emptyHistory(caseId);

  for (const event of events) {
    if (seen.has(event.id) || !isUsedEvent(event)) continue;
    seen.add(event.id);
    const id = event.data.caseId;
    history ??= emptyHistory(id);
    if (id !== history.caseId) throw new Error(`event ${event.id} belongs to case ${id}, not to case ${history.caseId}`);
    const h = history;

    switch (event.type) {
      case 'referral.received.v1': {
        const d = event.data;
        h.referrals.push({
          eventId: event.id,
          referralId: d.referralId,
          childId: d.childId,
          area: d.area,
          sourceAgency: d.sourceAgency,
          concerns: [...d.concerns],
          riskLevel: d.riskLevel,
          receivedAt: domainTime(event, 'receivedAt', d.receivedAt),
          reReferral: d.reReferral,
        });
        h.childId ??= d.childId;
        h.area ??= d.area;
        break;
      }
      case 'case.opened.v1': {
        const d = event.data;
        h.childId = d.childId;
        h.area = d.area;
        h.openedAt = domainTime(event, 'openedAt', d.openedAt);
        break;
      }
      case 'onward-referral.made.v1': {
        const d = event.data;
        h.onwardReferrals.push({ eventId: event.id, onwardReferralId: d.onwardReferralId, agency: d.agency, reason: d.reason, referredAt: domainTime(event, 'referredAt', d.referredAt) });
        break;
      }
      case 'onward-referral.started.v1':
        starts.set(event.data.onwardReferralId, { eventId: event.id, startedAt: domainTime(event, 'startedAt', event.data.startedAt) });
        break;
      case 'intervention.logged.v1': {
        const d = event.data;
        h.interventions.push({
          eventId: event.id,
          interventionId: d.interventionId,
          agency: d.agency,
          kind: d.kind,
          deliveredAt: domainTime(event, 'deliveredAt', d.deliveredAt),
          withChild: d.withChild,
          withFamily: d.withFamily,
          durationMinutes: d.durationMinutes,
          notes: d.notes,
        });
        break;
      }
      case 'incident.recorded.v1': {
        const d = event.data;
        h.incidents.push({ eventId: event.id, incidentId: d.incidentId, kind: d.kind, severity: d.severity, occurredAt: domainTime(event, 'occurredAt', d.occurredAt) });
        break;
      }
      case 'risk.assessed.v1': {
        const d = event.data;
        h.riskAssessments.push({ eventId: event.id, assessmentId: d.assessmentId, riskLevel: d.riskLevel, extraFamilialHarm: d.extraFamilialHarm, assessedAt: domainTime(event, 'assessedAt', d.assessedAt) });
        break;
      }
      case 'closure.requested.v1': {
        const d = event.data;
        h.closureRequests.push({ eventId: event.id, closureRequestId: d.closureRequestId, reason: d.reason, requestedAt: domainTime(event, 'requestedAt', d.requestedAt) });
        break;
      }
      case 'case.closed.v1': {
        const d = event.data;
        h.closures.push({
          eventId: event.id,
          caseId: d.caseId,
          closureRequestId: d.closureRequestId,
          reason: d.reason,
          closedAt: domainTime(event, 'closedAt', d.closedAt),
          ...(d.approvedBy === undefined ? {} : { approvedBy: d.approvedBy }),
        });
        break;
      }
      case 'case.reopened.v1': {
        const d = event.data;
        h.reopenings.push({ eventId: event.id, reason: d.reason, reopenedAt: domainTime(event, 'reopenedAt', d.reopenedAt) });
        break;
      }
    }
  }

  if (history === undefined) throw new Error('cannot build a case history from no case events without a case id');
  const h = history;
  // A start is attached once both halves are known, whatever order they arrived in; a start
  // without its referral cannot be placed and is left out.
  h.onwardReferrals = h.onwardReferrals.map((o) => {
    const started = starts.get(o.onwardReferralId);
    return started ? { ...o, started } : o;
  });
  h.referrals.sort(byTime((r) => r.receivedAt));
  h.interventions.sort(byTime((i) => i.deliveredAt));
  h.incidents.sort(byTime((i) => i.occurredAt));
  h.riskAssessments.sort(byTime((r) => r.assessedAt));
  h.onwardReferrals.sort(byTime((o) => o.referredAt));
  h.closureRequests.sort(byTime((c) => c.requestedAt));
  h.closures.sort(byTime((c) => c.closedAt));
  h.reopenings.sort(byTime((r) => r.reopenedAt));
  return h;
}
