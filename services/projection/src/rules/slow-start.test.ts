import { describe, expect, it } from 'vitest';
import { slowStart } from './slow-start.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

// Contact on day 14 is in time, so at exactly 14 days without contact the rule does not fire yet.
describe('SLOW_START (14 days)', () => {
  it('given a referral 13 days ago and no contact, when swept, then nothing fires', () => {
    const c = ruleStory();
    c.referral(0);
    expect(slowStart(c.history(), day(13), thresholds())).toEqual([]);
  });

  it('given exactly 14 days without contact, when swept, then nothing fires yet', () => {
    const c = ruleStory();
    c.referral(0);
    expect(slowStart(c.history(), day(14), thresholds())).toEqual([]);
  });

  it('given 15 days without contact with the child, when swept, then it fires naming the referrer, the date and the days', () => {
    const c = ruleStory();
    const referral = c.referral(0, { sourceAgency: 'police', riskLevel: 'high' });
    c.intervention(3, { withChild: false, kind: 'family_support' });
    expect(slowStart(c.history(), day(15), thresholds())).toEqual([
      {
        rule: 'SLOW_START',
        severity: 'high',
        explanation: 'No intervention with the child has been recorded in the 15 days since the referral from police on 4 March 2024, more than the 14 days allowed; arrange a first direct contact now.',
        evidence: [referral.id],
        key: `SLOW_START:${referral.data.referralId}`,
      },
    ]);
  });

  it('given the child was seen on day 3, when swept on day 15, then nothing fires', () => {
    const c = ruleStory();
    c.referral(0);
    c.intervention(3);
    expect(slowStart(c.history(), day(15), thresholds())).toEqual([]);
  });

  it('given the first contact is dated day 20, when swept as of day 15, then it fires because the contact had not happened yet', () => {
    const c = ruleStory();
    c.referral(0);
    c.intervention(20);
    expect(slowStart(c.history(), day(15), thresholds())).toHaveLength(1);
    expect(slowStart(c.history(), day(21), thresholds())).toEqual([]);
  });

  it('given the case was closed before the sweep, when swept, then time rules do not fire', () => {
    const c = ruleStory();
    c.referral(0);
    const r = c.requestClosure(5, 'no_further_action');
    c.close(5, r.data.closureRequestId, { reason: 'no_further_action' });
    expect(slowStart(c.history(), day(30), thresholds())).toEqual([]);
  });
});
