import { describe, expect, it } from 'vitest';
import { closureHighRisk } from './closure-high-risk.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

describe('CLOSURE_HIGH_RISK', () => {
  it('given a latest risk assessment rated high, when closure is requested, then it flags with the assessment date as evidence', () => {
    const c = ruleStory();
    c.referral(0, { riskLevel: 'medium' });
    const assessed = c.risk(20, 'high');
    const request = c.requestClosure(60);
    const [flag, ...rest] = closureHighRisk(c.history(), day(60), thresholds());
    expect(rest).toEqual([]);
    expect(flag).toMatchObject({ rule: 'CLOSURE_HIGH_RISK', severity: 'high', evidence: [assessed.id, request.id], key: `CLOSURE_HIGH_RISK:${request.data.closureRequestId}` });
    expect(flag?.explanation).toContain('the risk assessment of 24 March 2024 rates the risk high');
    expect(flag?.explanation).toContain('Closure was requested on 3 May 2024');
  });

  it('given a medium risk that records harm outside the home, when closure is requested, then it flags', () => {
    const c = ruleStory();
    c.referral(0);
    c.risk(20, 'medium', true);
    c.requestClosure(60);
    const flags = closureHighRisk(c.history(), day(60), thresholds());
    expect(flags[0]?.explanation).toContain('records harm outside the home');
  });

  it('given an earlier high assessment and a later low one, when closure is requested, then the latest judgement stands and nothing fires', () => {
    const c = ruleStory();
    c.referral(0);
    c.risk(10, 'high', true);
    c.risk(50, 'low', false);
    c.requestClosure(60);
    expect(closureHighRisk(c.history(), day(60), thresholds())).toEqual([]);
  });

  it('given no assessment and a high-risk referral, when closure is requested, then the referral speaks and says no assessment was made', () => {
    const c = ruleStory();
    const referral = c.referral(0, { riskLevel: 'high' });
    const request = c.requestClosure(60);
    const [flag] = closureHighRisk(c.history(), day(60), thresholds());
    expect(flag?.evidence).toEqual([referral.id, request.id]);
    expect(flag?.explanation).toContain('not yet risk-assessed');
  });

  it('given a high assessment dated after the request, when the request is assessed, then it does not count', () => {
    const c = ruleStory();
    c.referral(0, { riskLevel: 'low' });
    c.requestClosure(60);
    c.risk(61, 'high');
    expect(closureHighRisk(c.history(), day(60), thresholds())).toEqual([]);
  });

  it('given no closure request, when asked, then closure rules say nothing', () => {
    const c = ruleStory();
    c.referral(0, { riskLevel: 'high' });
    expect(closureHighRisk(c.history(), day(60), thresholds())).toEqual([]);
  });
});
