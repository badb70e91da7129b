import { describe, expect, it } from 'vitest';
import { spec } from '@syv/decider/testing';
import { childReferralsDecider, type AllocateCase, type Allocator, type ChildEvent, type ReceiveReferral } from './decider.js';

const area = 'E09000001';
const worker: Allocator = { sub: 'sw-1', role: 'social_worker' };
const colleague: Allocator = { sub: 'sw-2', role: 'social_worker' };
const supervisor: Allocator = { sub: 'sup-1', role: 'supervisor' };
const childId = 'child-7f3a';
const firstCase = '11111111-1111-4111-8111-111111111111';
const secondCase = '22222222-2222-4222-8222-222222222222';

function referral(overrides: Partial<ReceiveReferral> = {}): ReceiveReferral {
  return {
    kind: 'receive',
    referralId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    newCaseId: secondCase,
    childId,
    area,
    sourceAgency: 'school',
    concerns: ['criminal_exploitation'],
    riskLevel: 'medium',
    receivedAt: '2026-06-01T09:00:00.000Z',
    caseStatuses: [],
    reReferralWindowDays: 365,
    by: worker,
    at: '2026-06-01T09:05:00.000Z',
    ...overrides,
  };
}

const opened: ChildEvent = {
  type: 'case.opened.v1',
  data: { caseId: firstCase, childId, area, referralId: 'r0', openedAt: '2025-01-01T09:00:00.000Z' },
};
const given = spec(childReferralsDecider).given;

describe('a referral', () => {
  it('opens a case for a child with none', () => {
    const events = given([]).when(referral()).events();
    expect(events.map((e) => e.type)).toEqual(['case.opened.v1', 'referral.received.v1']);
    expect(events[0]?.data).toMatchObject({ caseId: secondCase, openedAt: '2026-06-01T09:00:00.000Z' });
    expect(events[1]?.data).toMatchObject({ caseId: secondCase, reReferral: false });
  });
  it("given no case, when the referral gives a reason, then referral.received records it as written", () => {
    const reason = 'Seen with older teenagers near the station; says it is a lifestyle choice.';
    const events = given([]).when(referral({ reason })).events();
    expect(events[1]?.data).toMatchObject({ reason });
  });
  it('given no case, when the referral gives no reason, then referral.received has none (not recorded), as events before the field existed', () => {
    const events = given([]).when(referral()).events();
    expect(events[1]?.data).not.toHaveProperty('reason');
  });
  it("joins the child's open case in that area", () => {
    const events = given([opened]).when(referral({ caseStatuses: [{ caseId: firstCase, status: 'open' }] })).events();
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ caseId: firstCase, reReferral: false });
  });
  it('joins a case this service opened even before the case view has heard of it', () => {
    const events = given([opened]).when(referral({ caseStatuses: [] })).events();
    expect(events[0]?.data).toMatchObject({ caseId: firstCase });
  });
  it('opens a new case marked as a re-referral within 365 days of the last closure', () => {
    const closedAt = '2025-06-01T09:00:00.000Z'; // exactly 365 days before
    const events = given([opened]).when(referral({ caseStatuses: [{ caseId: firstCase, status: 'closed', closedAt }] })).events();
    expect(events.map((e) => e.type)).toEqual(['case.opened.v1', 'referral.received.v1']);
    expect(events[1]?.data).toMatchObject({ caseId: secondCase, reReferral: true });
  });
  it('is not a re-referral a day after the window', () => {
    const closedAt = '2025-05-31T08:59:59.000Z';
    const events = given([opened]).when(referral({ caseStatuses: [{ caseId: firstCase, status: 'closed', closedAt }] })).events();
    expect(events[1]?.data).toMatchObject({ reReferral: false });
  });
  it("given an area whose window is 180 days, when a case closed 200 days ago is followed by a referral, then it is not a re-referral there, as it would be with the default 365", () => {
    const closedAt = '2025-11-13T09:00:00.000Z'; // 200 days before
    const closed = { caseStatuses: [{ caseId: firstCase, status: 'closed' as const, closedAt }] };
    expect(given([opened]).when(referral({ ...closed, reReferralWindowDays: 180 })).events()[1]?.data).toMatchObject({ reReferral: false });
    expect(given([opened]).when(referral({ ...closed, reReferralWindowDays: 365 })).events()[1]?.data).toMatchObject({ reReferral: true });
  });
});

function allocate(overrides: Partial<AllocateCase> = {}): AllocateCase {
  return { kind: 'allocate', caseId: firstCase, area, allocatedTo: worker.sub, by: worker, at: '2026-06-02T10:00:00.000Z', ...overrides };
}

const allocatedTo = (sub: string, previous: string | null = null, by = sub): ChildEvent => ({
  type: 'case.allocated.v1',
  data: { caseId: firstCase, area, allocatedTo: sub, previouslyAllocatedTo: previous, allocatedBy: by, allocatedAt: '2026-06-01T10:00:00.000Z' },
});

describe('allocating a case', () => {
  it('a social worker takes an unallocated case', () => {
    given([opened]).when(allocate()).then([
      {
        type: 'case.allocated.v1',
        data: { caseId: firstCase, area, allocatedTo: worker.sub, previouslyAllocatedTo: null, allocatedBy: worker.sub, allocatedAt: '2026-06-02T10:00:00.000Z' },
      },
    ]);
  });
  it('a social worker cannot allocate a case to someone else', () => {
    given([opened]).when(allocate({ allocatedTo: colleague.sub })).thenRejects('FORBIDDEN');
  });
  it("a social worker cannot take a colleague's case", () => {
    given([opened, allocatedTo(colleague.sub)]).when(allocate()).thenRejects('CASE_ALREADY_ALLOCATED');
  });
  it('a supervisor hands a case over, recording who had it and why', () => {
    const events = given([opened, allocatedTo(colleague.sub)])
      .when(allocate({ by: supervisor, note: 'Handover to the youth team.' }))
      .events();
    expect(events[0]?.data).toMatchObject({ allocatedTo: worker.sub, previouslyAllocatedTo: colleague.sub, allocatedBy: supervisor.sub, note: 'Handover to the youth team.' });
  });
  it('allocating to the worker who has it already is refused, so nothing is recorded twice', () => {
    given([opened, allocatedTo(worker.sub)]).when(allocate({ by: supervisor })).thenRejects('CASE_ALREADY_ALLOCATED');
  });
  it('a case this stream never opened is not found', () => {
    given([]).when(allocate()).thenRejects('CASE_NOT_FOUND');
  });
});

describe('a referral that names a worker', () => {
  it('allocates the case it opens, at the time it is recorded', () => {
    const events = given([]).when(referral({ allocateTo: worker.sub })).events();
    expect(events.map((e) => e.type)).toEqual(['case.opened.v1', 'referral.received.v1', 'case.allocated.v1']);
    expect(events[2]?.data).toMatchObject({ caseId: secondCase, allocatedTo: worker.sub, previouslyAllocatedTo: null, allocatedAt: '2026-06-01T09:05:00.000Z' });
  });
  it('joins an allocated case without changing who has it', () => {
    const events = given([opened, allocatedTo(colleague.sub)])
      .when(referral({ allocateTo: worker.sub, caseStatuses: [{ caseId: firstCase, status: 'open' }] }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['referral.received.v1']);
  });
  it("is refused whole when a social worker names someone else, so nothing is recorded", () => {
    given([]).when(referral({ allocateTo: colleague.sub })).thenRejects('FORBIDDEN');
  });
});
