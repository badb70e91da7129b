import { describe, it } from 'vitest';
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
