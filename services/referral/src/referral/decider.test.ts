import { describe, expect, it } from 'vitest';
import { spec } from '@syv/decider/testing';
import { childReferralsDecider, type ChildEvent, type ReceiveReferral } from './decider.js';

const area = 'E09000001';
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
});
