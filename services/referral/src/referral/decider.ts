import { accept, reject, type Decider, type Decision } from '@syv/decider';
import type { Agency, Concern, DomainEvent, RiskLevel } from '@syv/contracts';
import type { ProblemCode } from '@syv/service-kit';

// One stream per child per area: every referral of that child in that area, every case opened
// for them and who each case is allocated to. Two referrals of the same child arriving at once meet
// on this stream's version, so exactly one case is opened and the other referral joins it; two
// workers taking one case at once meet there too, so exactly one gets it. A data protection
// officer's erasure of the child is recorded here as well (`../erasure/decider.ts`), so it meets a
// referral opening a new case on the same version; this decider passes over it.

export type ChildEvent = DomainEvent<'case.opened.v1' | 'referral.received.v1' | 'case.allocated.v1' | 'child.erased.v1'>;

/** Who asks: a social worker may allocate a case only to themselves, a supervisor to anyone. */
export interface Allocator {
  sub: string;
  role: 'social_worker' | 'supervisor';
}

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
  /** Why, in the referrer's words; recorded only when written. */
  reason?: string;
  caseStatuses: KnownCaseStatus[];
  /**
   * The area's re-referral window: a new case opened this many days after the child's previous
   * case there closed, or fewer, is a re-referral. The same per-area threshold the projection's
   * REREFERRAL_AFTER_CLOSURE reads, so the two never disagree.
   */
  reReferralWindowDays: number;
  /** Allocate the case to this worker, when it has nobody yet. */
  allocateTo?: string;
  by: Allocator;
  /** When the command is recorded (the allocation's time; the referral has its own). */
  at: string;
}

export interface AllocateCase {
  kind: 'allocate';
  caseId: string;
  area: string;
  allocatedTo: string;
  by: Allocator;
  at: string;
  note?: string;
}

export type ChildCommand = ReceiveReferral | AllocateCase;

export interface ChildState {
  /** Case ids opened for this child in this area, oldest first. */
  cases: string[];
  /** Case id → the worker it is allocated to now. */
  allocatedTo: Record<string, string>;
}

/** A referral joins the open case or opens one; only an allocation it asks for can be refused. */
export type ReferralRejection = Extract<ProblemCode, 'FORBIDDEN' | 'CASE_ALREADY_ALLOCATED' | 'CASE_NOT_FOUND'>;

const DAY_MS = 86_400_000;

function evolve(state: ChildState, event: ChildEvent): ChildState {
  switch (event.type) {
    case 'case.opened.v1':
      return { ...state, cases: [...state.cases, event.data.caseId] };
    case 'case.allocated.v1':
      return { ...state, allocatedTo: { ...state.allocatedTo, [event.data.caseId]: event.data.allocatedTo } };
    default:
      return state;
  }
}

const ONLY_THEMSELVES = 'A social worker can allocate a case only to themselves; a supervisor allocates it to someone else.';

/**
 * The allocation a command asks for on a case, or why not. `quietIfTaken`: a referral that names a
 * worker for a case that already has one joins it without changing who has it.
 */
function allocation(
  state: ChildState,
  c: { caseId: string; area: string; allocatedTo: string; by: Allocator; at: string; note?: string },
  quietIfTaken: boolean,
): Decision<ChildEvent, ReferralRejection> {
  if (c.by.role === 'social_worker' && c.allocatedTo !== c.by.sub) return reject('FORBIDDEN', ONLY_THEMSELVES);
  const current = state.allocatedTo[c.caseId];
  if (current !== undefined && quietIfTaken) return accept();
  if (current === c.allocatedTo) return reject('CASE_ALREADY_ALLOCATED', `This case is already allocated to ${current}.`);
  if (current !== undefined && c.by.role === 'social_worker') {
    return reject('CASE_ALREADY_ALLOCATED', `This case is allocated to ${current}; a supervisor can hand it over.`);
  }
  return accept({
    type: 'case.allocated.v1',
    data: {
      caseId: c.caseId,
      area: c.area,
      allocatedTo: c.allocatedTo,
      previouslyAllocatedTo: current ?? null,
      allocatedBy: c.by.sub,
      allocatedAt: c.at,
      ...(c.note === undefined ? {} : { note: c.note }),
    },
  });
}

function decide(command: ChildCommand, state: ChildState): Decision<ChildEvent, ReferralRejection> {
  if (command.kind === 'allocate') {
    if (!state.cases.includes(command.caseId)) return reject('CASE_NOT_FOUND', 'There is no case with this id in your areas.');
    return allocation(state, command, false);
  }
  const referred = receive(command, state);
  if (!referred.ok || command.allocateTo === undefined) return referred;
  const caseId = referred.events.find((e) => e.type === 'referral.received.v1')!.data.caseId;
  const allocated = allocation(state, { caseId, area: command.area, allocatedTo: command.allocateTo, by: command.by, at: command.at }, true);
  return allocated.ok ? accept(...referred.events, ...allocated.events) : allocated;
}

function receive(command: ReceiveReferral, state: ChildState): Decision<ChildEvent, ReferralRejection> {
  const statuses = new Map(command.caseStatuses.map((c) => [c.caseId, c]));
  // A case this stream opened but whose closure the view has not heard of is open.
  const openCase = state.cases.find((id) => statuses.get(id)?.status !== 'closed');
  const base = {
    referralId: command.referralId,
    childId: command.childId,
    area: command.area,
    sourceAgency: command.sourceAgency,
    concerns: command.concerns,
    riskLevel: command.riskLevel,
    receivedAt: command.receivedAt,
    ...(command.reason === undefined ? {} : { reason: command.reason }),
  };
  if (openCase) {
    return accept({ type: 'referral.received.v1', data: { ...base, caseId: openCase, reReferral: false } });
  }
  const received = Date.parse(command.receivedAt);
  const reReferral = state.cases.some((id) => {
    const closedAt = statuses.get(id)?.closedAt;
    if (!closedAt) return false;
    const since = received - Date.parse(closedAt);
    return since >= 0 && since <= command.reReferralWindowDays * DAY_MS;
  });
  return accept(
    {
      type: 'case.opened.v1',
      data: { caseId: command.newCaseId, childId: command.childId, area: command.area, referralId: command.referralId, openedAt: command.receivedAt },
    },
    { type: 'referral.received.v1', data: { ...base, caseId: command.newCaseId, reReferral } },
  );
}

export const childReferralsDecider: Decider<ChildCommand, ChildEvent, ChildState, ReferralRejection> = {
  initialState: () => ({ cases: [], allocatedTo: {} }),
  evolve,
  decide,
};

export function childStreamId(area: string, childId: string): string {
  return `child-${area}-${childId}`;
}
