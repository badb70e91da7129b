import { describe, expect, it } from 'vitest';
import { evaluateClosure, evaluateTimeRules } from './index.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

// The report's child: "I was waiting for CAMHS since I was 11 and I've only started receiving
// CAMHS support when I was 13". Here the case is about to close while the wait goes on.
describe('given a child waiting for CAMHS', () => {
  const c = ruleStory('child-camhs');
  c.referral(0, { sourceAgency: 'school', concerns: ['criminal_exploitation', 'mental_health'], riskLevel: 'medium' });
  c.risk(5, 'medium');
  for (let d = 3; d <= 120; d += 7) c.intervention(d, { agency: d % 3 === 0 ? 'youth_service' : 'social_care', kind: 'direct_work' });
  const camhs = c.onward(10, 'camhs');
  const request = c.requestClosure(121);
  const history = c.history();

  it('when the sweep runs 29 days after the CAMHS referral, then LONG_WAIT fires', () => {
    expect(evaluateTimeRules(history, day(39), thresholds())).toEqual([
      expect.objectContaining({ rule: 'LONG_WAIT', key: `LONG_WAIT:${camhs.data.onwardReferralId}`, evidence: [camhs.id] }),
    ]);
  });

  it('when the sweep runs again on day 90, then it is the same flag (one alert)', () => {
    expect(evaluateTimeRules(history, day(90), thresholds()).map((f) => f.key)).toEqual([`LONG_WAIT:${camhs.data.onwardReferralId}`]);
  });

  it('when closure is requested, then it is held for CLOSURE_PENDING_ONWARD_REFERRAL naming the 111-day wait', () => {
    const flags = evaluateClosure(history, request.data.closureRequestId, thresholds());
    expect(flags.map((f) => f.rule)).toEqual(['CLOSURE_PENDING_ONWARD_REFERRAL']);
    expect(flags[0]?.explanation).toContain('the referral to CAMHS made on 14 March 2024 has not started after 111 days');
    expect(flags[0]?.evidence).toEqual([camhs.id, request.id]);
  });
});
