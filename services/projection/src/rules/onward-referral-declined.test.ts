import { describe, expect, it } from 'vitest';
import { onwardReferralDeclined } from './onward-referral-declined.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

function declinedCamhs() {
  const c = ruleStory();
  c.referral(0);
  const camhs = c.onward(5, 'camhs');
  const declined = c.declined(20, camhs.data.onwardReferralId);
  return { c, camhs, declined };
}

describe('ONWARD_REFERRAL_DECLINED', () => {
  it('given CAMHS declined the referral, when asked from that day, then it fires naming CAMHS and both dates, never the reason', () => {
    const { c, camhs, declined } = declinedCamhs();
    const flags = onwardReferralDeclined(c.history(), day(20), thresholds());
    expect(flags).toEqual([
      {
        rule: 'ONWARD_REFERRAL_DECLINED',
        severity: 'medium',
        explanation:
          'The referral to CAMHS made on 9 March 2024 was declined on 24 March 2024; the child still needs that help: refer on to another service or arrange the support another way.',
        evidence: [camhs.id, declined.id],
        key: `ONWARD_REFERRAL_DECLINED:${camhs.data.onwardReferralId}`,
      },
    ]);
    expect(flags[0]?.explanation).not.toContain(declined.data.reason);
  });

  it('given the decline, when asked the day before it, then nothing fires (as of that day the child was waiting)', () => {
    const { c } = declinedCamhs();
    expect(onwardReferralDeclined(c.history(), day(19), thresholds())).toEqual([]);
  });

  it('given a high-risk case, when the referral was declined, then the flag is high', () => {
    const { c } = declinedCamhs();
    c.risk(10, 'high');
    expect(onwardReferralDeclined(c.history(), day(30), thresholds())[0]?.severity).toBe('high');
  });

  it('given a referral to another agency made after the decline, when asked, then it is resolved from that day', () => {
    const { c } = declinedCamhs();
    c.onward(25, 'vcs');
    expect(onwardReferralDeclined(c.history(), day(24), thresholds())).toHaveLength(1);
    expect(onwardReferralDeclined(c.history(), day(25), thresholds())).toEqual([]);
  });

  it('given a new referral to the same agency, or one to another agency made before the decline, when asked, then it still fires', () => {
    const { c } = declinedCamhs();
    c.onward(10, 'housing');
    c.onward(26, 'camhs');
    expect(onwardReferralDeclined(c.history(), day(30), thresholds())).toHaveLength(1);
  });

  it('given a referral withdrawn, when asked, then nothing fires: the referrer chose to', () => {
    const c = ruleStory();
    const camhs = c.onward(5, 'camhs');
    c.withdrawn(20, camhs.data.onwardReferralId);
    expect(onwardReferralDeclined(c.history(), day(30), thresholds())).toEqual([]);
  });

  it('given the case was closed, when asked, then nothing fires', () => {
    const { c } = declinedCamhs();
    const r = c.requestClosure(30);
    c.close(30, r.data.closureRequestId);
    expect(onwardReferralDeclined(c.history(), day(40), thresholds())).toEqual([]);
  });
});
