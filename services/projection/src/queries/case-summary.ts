import type { CaseEvent, ClosureRequestStatus } from '@syv/contracts';
import { agenciesOfCase, childViewsLastRecordedAt, currentRisk, historyAsOf, isClosed, type CaseHistory } from '../rules/index.js';
import { wholeDaysBetween } from '../rules/days.js';
import { onwardStatus, waitEndedAt, type OnwardStatus } from '../rules/onward.js';
import type { OnwardReferralItem } from '../rules/history.js';

export interface OnwardReferralView {
  onwardReferralId: string;
  agency: string;
  status: OnwardStatus;
  referredAt: string;
  startedAt: string | null;
  declinedAt: string | null;
  withdrawnAt: string | null;
  endedAt: string | null;
  /** How the support ended; null until it has. */
  outcome: string | null;
  /** Days from referral to start, refusal or withdrawal, or to the summary's point in time (or the closure) while still waiting. */
  waitDays: number;
  /** Days from the start to the end, or to the summary's point in time (or the closure) while support goes on; null when it never started. */
  supportDays: number | null;
  waiting: boolean;
}

/** One onward referral's life as it stood at `asOf` (the view is cut there), counted up to `end` where it goes on. */
function onwardView(o: OnwardReferralItem, end: Date): OnwardReferralView {
  const status = onwardStatus(o);
  return {
    onwardReferralId: o.onwardReferralId,
    agency: o.agency,
    status,
    referredAt: o.referredAt.toISOString(),
    startedAt: o.started?.startedAt.toISOString() ?? null,
    declinedAt: o.declined?.declinedAt.toISOString() ?? null,
    withdrawnAt: o.withdrawn?.withdrawnAt.toISOString() ?? null,
    endedAt: o.ended?.endedAt.toISOString() ?? null,
    outcome: o.ended?.outcome ?? null,
    waitDays: wholeDaysBetween(o.referredAt, waitEndedAt(o) ?? end),
    supportDays: o.started ? wholeDaysBetween(o.started.startedAt, o.ended?.endedAt ?? end) : null,
    waiting: status === 'waiting',
  };
}

export interface CaseSummary {
  caseId: string;
  area: string;
  childId: string | null;
  status: 'open' | 'closed';
  asOf: string;
  openedAt: string | null;
  closedAt: string | null;
  closureReason: string | null;
  riskLevel: string | null;
  extraFamilialHarm: boolean;
  /** The kinds of harm outside the home the latest risk assessment found; null when it did not record them. */
  harmOutsideHome: string[] | null;
  /** Whole days from the first intervention to the closure, or to asOf while open. */
  supportDays: number | null;
  firstInterventionAt: string | null;
  interventions: number;
  /** The agencies working with the child, as CLOSURE_SINGLE_AGENCY counts them: see agenciesOfCase. */
  agencies: string[];
  onwardReferrals: OnwardReferralView[];
  lastContactWithChild: { at: string; daysAgo: number; agency: string; kind: string } | null;
  /** When the child's views were last recorded (an intervention or a risk assessment with childViews); null when never. */
  childViewsLastRecordedAt: string | null;
  incidents: number;
  closure: { closureRequestId: string; requestedAt: string; reason: string; status: ClosureRequestStatus } | null;
}


/**
 * The closure request a case had at `asOf` and where it stood. Holding and rejecting have no
 * domain time, so they count from when they were recorded.
 */
function closureAt(view: CaseHistory, events: readonly CaseEvent[], asOf: Date): CaseSummary['closure'] {
  const request = view.closureRequests.at(-1);
  if (!request) return null;
  const recorded = (e: CaseEvent) => Date.parse(e.time) <= asOf.getTime();
  const about = (type: CaseEvent['type']) => events.some((e) => e.type === type && recorded(e) && (e.data as { closureRequestId?: string }).closureRequestId === request.closureRequestId);
  const status: ClosureRequestStatus = view.closures.some((c) => c.closureRequestId === request.closureRequestId)
    ? 'closed'
    : about('closure.rejected.v1')
      ? 'rejected'
      : about('closure.held.v1')
        ? 'held_for_review'
        : 'pending_assessment';
  return { closureRequestId: request.closureRequestId, requestedAt: request.requestedAt.toISOString(), reason: request.reason, status };
}

/** What a supervisor sees of a case at `asOf`: the facts dated at or before it, and the numbers they make. */
export function summariseCase(history: CaseHistory, events: readonly CaseEvent[], asOf: Date): CaseSummary {
  const view = historyAsOf(history, asOf);
  const closed = isClosed(view);
  const closure = closed ? view.closures.at(-1) : undefined;
  const first = view.interventions[0];
  const end = closure?.closedAt ?? asOf;
  const contact = view.interventions.filter((i) => i.withChild).at(-1);
  const risk = currentRisk(view);
  return {
    caseId: history.caseId,
    area: history.area ?? events[0]?.area ?? '',
    childId: history.childId ?? null,
    status: closed ? 'closed' : 'open',
    asOf: asOf.toISOString(),
    openedAt: (view.openedAt ?? view.referrals[0]?.receivedAt)?.toISOString() ?? null,
    closedAt: closure?.closedAt.toISOString() ?? null,
    closureReason: closure?.reason ?? null,
    riskLevel: risk?.level ?? null,
    extraFamilialHarm: risk?.extraFamilialHarm ?? false,
    harmOutsideHome: risk?.harmOutsideHome ? [...risk.harmOutsideHome] : null,
    supportDays: first ? wholeDaysBetween(first.deliveredAt, end) : null,
    firstInterventionAt: first?.deliveredAt.toISOString() ?? null,
    interventions: view.interventions.length,
    agencies: agenciesOfCase(view),
    onwardReferrals: view.onwardReferrals.map((o) => onwardView(o, end)),
    lastContactWithChild: contact ? { at: contact.deliveredAt.toISOString(), daysAgo: wholeDaysBetween(contact.deliveredAt, asOf), agency: contact.agency, kind: contact.kind } : null,
    childViewsLastRecordedAt: childViewsLastRecordedAt(view)?.toISOString() ?? null,
    incidents: view.incidents.length,
    closure: closureAt(view, events, asOf),
  };
}
