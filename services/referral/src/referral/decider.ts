import { accept, type Decider, type Decision } from '@syv/decider';
import type { Agency, Concern, DomainEvent, RiskLevel } from '@syv/contracts';

// One stream per child per area: every referral of that child in that area and every case opened
// for them. Two referrals of the same child arriving at once meet on this stream's version, so
// exactly one case is opened and the other referral joins it.

export type ChildEvent = DomainEvent<'case.opened.v1' | 'referral.received.v1'>;

/** What the case-closure service has said about this child's cases (from the local case view). */
export interface KnownCaseStatus {
  caseId: string;
  status: 'open' | 'closed';
  closedAt?: string;
}

export interface ReceiveReferral {
  kind: 'receive';
  referralId: string;
  /** Used only when no open case exists. */
  newCaseId: string;
  childId: string;
  area: string;
  sourceAgency: Agency;
  concerns: Concern[];
  riskLevel: RiskLevel;
  receivedAt: string;
  caseStatuses: KnownCaseStatus[];
}

export interface ChildState {
  /** Case ids opened for this child in this area, oldest first. */
  cases: string[];
}

/** A referral is always accepted: it joins the open case or opens one. */
export type ReferralRejection = never;

/** DfE's re-referral measure: a new referral within 12 months of the previous case closing. */
export const RE_REFERRAL_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

function evolve(state: ChildState, event: ChildEvent): ChildState {
  return event.type === 'case.opened.v1' ? { cases: [...state.cases, event.data.caseId] } : state;
}

function decide(command: ReceiveReferral, state: ChildState): Decision<ChildEvent, ReferralRejection> {
  const statuses = new Map(command.caseStatuses.map((c) => [c.caseId, c]));
  // A case we opened but whose closure the view has not heard of is open.
  const openCase = state.cases.find((id) => statuses.get(id)?.status !== 'closed');
  const base = {
    referralId: command.referralId,
    childId: command.childId,
    area: command.area,
    sourceAgency: command.sourceAgency,
    concerns: command.concerns,
    riskLevel: command.riskLevel,
    receivedAt: command.receivedAt,
  };
  if (openCase) {
    return accept({ type: 'referral.received.v1', data: { ...base, caseId: openCase, reReferral: false } });
  }
  const received = Date.parse(command.receivedAt);
  const reReferral = state.cases.some((id) => {
    const closedAt = statuses.get(id)?.closedAt;
    if (!closedAt) return false;
    const since = received - Date.parse(closedAt);
    return since >= 0 && since <= RE_REFERRAL_WINDOW_DAYS * DAY_MS;
  });
  return accept(
    {
      type: 'case.opened.v1',
      data: { caseId: command.newCaseId, childId: command.childId, area: command.area, referralId: command.referralId, openedAt: command.receivedAt },
    },
    { type: 'referral.received.v1', data: { ...base, caseId: command.newCaseId, reReferral } },
  );
}

export const childReferralsDecider: Decider<ReceiveReferral, ChildEvent, ChildState, ReferralRejection> = {
  initialState: () => ({ cases: [] }),
  evolve,
  decide,
};

export function childStreamId(area: string, childId: string): string {
  return `child-${area}-${childId}`;
}
