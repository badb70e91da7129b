import { describe, expect, it } from 'vitest';
import { closurePendingOnwardReferral } from './closure-pending-onward-referral.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

describe('CLOSURE_PENDING_ONWARD_REFERRAL', () => {
  it('given a CAMHS referral not started, when closure is requested, then it flags naming CAMHS, the date and the wait', () => {
    const c = ruleStory();
    c.referral(0);
    const camhs = c.onward(10, 'camhs');
    const request = c.requestClosure(100);
    expect(closurePendingOnwardReferral(c.history(), day(100), thresholds())).toEqual([
      {
        rule: 'CLOSURE_PENDING_ONWARD_REFERRAL',
        severity: 'high',
        explanation: expect.stringContaining('the referral to CAMHS made on 14 March 2024 has not started after 90 days'),
        evidence: [camhs.id, request.id],
        key: `CLOSURE_PENDING_ONWARD_REFERRAL:${request.data.closureRequestId}:${camhs.data.onwardReferralId}`,
      },
    ]);
  });

  it('given the onward referral started before the request, when closure is requested, then nothing fires', () => {
    const c = ruleStory();
    const camhs = c.onward(10, 'camhs');
    c.started(40, camhs.data.onwardReferralId);
    c.requestClosure(100);
    expect(closurePendingOnwardReferral(c.history(), day(100), thresholds())).toEqual([]);
  });

  it('given the start is dated after the request, when the request is assessed, then the referral was still waiting at the request', () => {
    const c = ruleStory();
    const camhs = c.onward(10, 'camhs');
    c.requestClosure(100);
    c.started(101, camhs.data.onwardReferralId);
    expect(closurePendingOnwardReferral(c.history(), day(100), thresholds())).toHaveLength(1);
  });

  it('given two referrals waiting, when closure is requested, then each gets its own flag and key', () => {
    const c = ruleStory();
    c.onward(10, 'camhs');
    c.onward(20, 'housing');
    c.requestClosure(100);
    const flags = closurePendingOnwardReferral(c.history(), day(100), thresholds());
    expect(flags.map((f) => f.explanation.match(/referral to (\w+)/)?.[1])).toEqual(['CAMHS', 'housing']);
    expect(new Set(flags.map((f) => f.key)).size).toBe(2);
  });

  it('given a referral declined or withdrawn before the request, when closure is requested, then nothing fires: the child no longer waits for it', () => {
    const c = ruleStory();
    const camhs = c.onward(10, 'camhs');
    const housing = c.onward(12, 'housing');
    c.declined(30, camhs.data.onwardReferralId);
    c.withdrawn(31, housing.data.onwardReferralId);
    c.requestClosure(100);
    expect(closurePendingOnwardReferral(c.history(), day(100), thresholds())).toEqual([]);
  });

  it('given the decline is dated after the request, when the request is assessed, then the referral was still waiting at the request', () => {
    const c = ruleStory();
    const camhs = c.onward(10, 'camhs');
    c.requestClosure(100);
    c.declined(101, camhs.data.onwardReferralId);
    expect(closurePendingOnwardReferral(c.history(), day(100), thresholds())).toHaveLength(1);
  });
});
