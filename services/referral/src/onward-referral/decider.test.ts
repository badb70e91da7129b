import { describe, expect, it } from 'vitest';
import { spec } from '@syv/decider/testing';
import { onwardReferralDecider, type OnwardEvent } from './decider.js';

const id = '33333333-3333-4333-8333-333333333333';
const caseId = '11111111-1111-4111-8111-111111111111';
const made: OnwardEvent = {
  type: 'onward-referral.made.v1',
  data: { onwardReferralId: id, caseId, agency: 'camhs', reason: 'Low mood and sleep problems after the assault', referredAt: '2026-01-10T10:00:00.000Z' },
};
const given = spec(onwardReferralDecider).given;

describe('onward referral', () => {
  it('is made once', () => {
    given([])
      .when({ kind: 'make', onwardReferralId: id, caseId, agency: 'camhs', reason: 'Low mood and sleep problems after the assault', referredAt: '2026-01-10T10:00:00.000Z' })
      .then([made]);
    given([made])
      .when({ kind: 'make', onwardReferralId: id, caseId, agency: 'camhs', reason: 'again', referredAt: '2026-01-10T10:00:00.000Z' })
      .thenRejects('ONWARD_REFERRAL_EXISTS');
  });
  it('starts on or after the day it was made', () => {
    given([made])
      .when({ kind: 'start', onwardReferralId: id, startedAt: '2026-01-10T10:00:00.000Z' })
      .then([{ type: 'onward-referral.started.v1', data: { onwardReferralId: id, caseId, startedAt: '2026-01-10T10:00:00.000Z' } }]);
  });
  it('cannot start before the referral was made', () => {
    given([made]).when({ kind: 'start', onwardReferralId: id, startedAt: '2026-01-10T09:59:59.000Z' }).thenRejects('STARTED_BEFORE_REFERRAL');
  });
  it('cannot start twice', () => {
    const started: OnwardEvent = { type: 'onward-referral.started.v1', data: { onwardReferralId: id, caseId, startedAt: '2026-02-01T10:00:00.000Z' } };
    given([made, started]).when({ kind: 'start', onwardReferralId: id, startedAt: '2026-02-02T10:00:00.000Z' }).thenRejects('ALREADY_STARTED');
  });
  it('cannot start when it was never made', () => {
    given([]).when({ kind: 'start', onwardReferralId: id, startedAt: '2026-02-02T10:00:00.000Z' }).thenRejects('NOT_FOUND');
  });
});

const started: OnwardEvent = { type: 'onward-referral.started.v1', data: { onwardReferralId: id, caseId, startedAt: '2026-02-01T10:00:00.000Z' } };
const declined: OnwardEvent = {
  type: 'onward-referral.declined.v1',
  data: { onwardReferralId: id, caseId, reason: 'Does not meet the threshold for a specialist service', declinedAt: '2026-01-20T10:00:00.000Z' },
};
const withdrawn: OnwardEvent = {
  type: 'onward-referral.withdrawn.v1',
  data: { onwardReferralId: id, caseId, reason: 'The family asked for the school counsellor instead', withdrawnAt: '2026-01-21T10:00:00.000Z' },
};
const ended: OnwardEvent = { type: 'onward-referral.ended.v1', data: { onwardReferralId: id, caseId, endedAt: '2026-03-01T10:00:00.000Z', outcome: 'completed' } };
const decline = (declinedAt: string) => ({ kind: 'decline' as const, onwardReferralId: id, reason: 'Does not meet the threshold for a specialist service', declinedAt });
const withdraw = (withdrawnAt: string) => ({ kind: 'withdraw' as const, onwardReferralId: id, reason: 'The family asked for the school counsellor instead', withdrawnAt });
const end = (endedAt: string, reason?: string) => ({ kind: 'end' as const, onwardReferralId: id, outcome: 'disengaged' as const, endedAt, reason });

describe('onward referral declined by the receiving agency', () => {
  it('given a referral waiting, when the agency declines it on or after the day it was made, then it is declined', () => {
    given([made]).when(decline('2026-01-20T10:00:00.000Z')).then([declined]);
    given([made])
      .when(decline('2026-01-10T10:00:00.000Z'))
      .then([{ ...declined, data: { ...declined.data, declinedAt: '2026-01-10T10:00:00.000Z' } } as OnwardEvent]);
  });
  it('given a referral waiting, when the decline is dated before the referral, then it is refused', () => {
    given([made]).when(decline('2026-01-10T09:59:59.000Z')).thenRejects('OUTCOME_BEFORE_REFERRAL');
  });
  it('given a referral that started, when the agency declines it, then it is refused: its support ends instead', () => {
    given([made, started]).when(decline('2026-02-02T10:00:00.000Z')).thenRejects('ONWARD_REFERRAL_STARTED');
  });
  it('given a referral declined or withdrawn, when it is declined again, then it is refused', () => {
    given([made, declined]).when(decline('2026-01-22T10:00:00.000Z')).thenRejects('OUTCOME_ALREADY_RECORDED');
    given([made, withdrawn]).when(decline('2026-01-22T10:00:00.000Z')).thenRejects('OUTCOME_ALREADY_RECORDED');
  });
  it('given no referral, when it is declined, then it is not found', () => {
    given([]).when(decline('2026-01-22T10:00:00.000Z')).thenRejects('NOT_FOUND');
  });
});

describe('onward referral withdrawn by the referrer', () => {
  it('given a referral waiting, when the referrer withdraws it, then it is withdrawn', () => {
    given([made]).when(withdraw('2026-01-21T10:00:00.000Z')).then([withdrawn]);
  });
  it('given a referral waiting, when the withdrawal is dated before the referral, then it is refused', () => {
    given([made]).when(withdraw('2026-01-09T10:00:00.000Z')).thenRejects('OUTCOME_BEFORE_REFERRAL');
  });
  it('given a referral that started, when it is withdrawn, then it is refused', () => {
    given([made, started]).when(withdraw('2026-02-02T10:00:00.000Z')).thenRejects('ONWARD_REFERRAL_STARTED');
  });
  it('given a referral declined, when it is withdrawn, then it is refused: it has its outcome', () => {
    given([made, declined]).when(withdraw('2026-01-22T10:00:00.000Z')).thenRejects('OUTCOME_ALREADY_RECORDED');
  });
});

describe('no start after a refusal or a withdrawal', () => {
  it('given a referral declined, when it starts, then it is refused', () => {
    const rejection = given([made, declined]).when({ kind: 'start', onwardReferralId: id, startedAt: '2026-01-25T10:00:00.000Z' }).thenRejects('OUTCOME_ALREADY_RECORDED');
    expect(rejection.message).toContain('declined on 2026-01-20T10:00:00.000Z');
  });
  it('given a referral withdrawn, when it starts, then it is refused', () => {
    given([made, withdrawn]).when({ kind: 'start', onwardReferralId: id, startedAt: '2026-01-25T10:00:00.000Z' }).thenRejects('OUTCOME_ALREADY_RECORDED');
  });
  it('given a referral whose support ended, when it starts again, then it is refused', () => {
    given([made, started, ended]).when({ kind: 'start', onwardReferralId: id, startedAt: '2026-03-02T10:00:00.000Z' }).thenRejects('OUTCOME_ALREADY_RECORDED');
  });
});

describe("onward referral's support ended", () => {
  it('given a referral that started, when its support ends on or after the start, then it ends with the outcome and the note if any', () => {
    given([made, started])
      .when(end('2026-02-01T10:00:00.000Z'))
      .then([{ type: 'onward-referral.ended.v1', data: { onwardReferralId: id, caseId, endedAt: '2026-02-01T10:00:00.000Z', outcome: 'disengaged' } }]);
    given([made, started])
      .when(end('2026-03-01T10:00:00.000Z', 'Stopped coming after the third session'))
      .then([
        {
          type: 'onward-referral.ended.v1',
          data: { onwardReferralId: id, caseId, endedAt: '2026-03-01T10:00:00.000Z', outcome: 'disengaged', reason: 'Stopped coming after the third session' },
        },
      ]);
  });
  it('given a referral that started, when the end is dated before the start, then it is refused', () => {
    given([made, started]).when(end('2026-02-01T09:59:59.000Z')).thenRejects('ENDED_BEFORE_START');
  });
  it('given a referral still waiting, when its support ends, then it is refused: it never started', () => {
    given([made]).when(end('2026-02-01T10:00:00.000Z')).thenRejects('ONWARD_REFERRAL_NOT_STARTED');
  });
  it('given a referral declined, withdrawn or ended, when it ends, then it is refused', () => {
    given([made, declined]).when(end('2026-02-01T10:00:00.000Z')).thenRejects('OUTCOME_ALREADY_RECORDED');
    given([made, withdrawn]).when(end('2026-02-01T10:00:00.000Z')).thenRejects('OUTCOME_ALREADY_RECORDED');
    given([made, started, ended]).when(end('2026-03-05T10:00:00.000Z')).thenRejects('OUTCOME_ALREADY_RECORDED');
  });
  it('given no referral, when it ends, then it is not found', () => {
    given([]).when(end('2026-03-05T10:00:00.000Z')).thenRejects('NOT_FOUND');
  });
});
