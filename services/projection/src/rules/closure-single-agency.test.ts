import { describe, expect, it } from 'vitest';
import { closureSingleAgency } from './closure-single-agency.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

describe('CLOSURE_SINGLE_AGENCY', () => {
  it('given a high-risk case seen by social care only, when closure is requested, then it fires naming the agency and the count', () => {
    const c = ruleStory();
    c.referral(0, { riskLevel: 'medium' });
    const risk = c.risk(3, 'high');
    const a = c.intervention(5);
    const b = c.intervention(40);
    const request = c.requestClosure(100);
    const [flag] = closureSingleAgency(c.history(), day(100), thresholds());
    expect(flag).toMatchObject({ rule: 'CLOSURE_SINGLE_AGENCY', severity: 'high', evidence: [risk.id, a.id, b.id, request.id] });
    expect(flag?.explanation).toContain('for a high-risk case, as the risk assessment of 7 March 2024 rates it, on which only social care has worked (2 interventions)');
  });

  it('given a second agency delivered an intervention, when closure is requested, then nothing fires', () => {
    const c = ruleStory();
    c.referral(0, { riskLevel: 'high' });
    c.intervention(5);
    c.intervention(6, { agency: 'youth_service', withChild: false });
    c.requestClosure(100);
    expect(closureSingleAgency(c.history(), day(100), thresholds())).toEqual([]);
  });

  it('given an onward referral to CAMHS that started, when closure is requested, then CAMHS counts as a second agency', () => {
    const c = ruleStory();
    c.referral(0, { riskLevel: 'high' });
    c.intervention(5);
    const camhs = c.onward(6, 'camhs');
    c.started(30, camhs.data.onwardReferralId);
    c.requestClosure(100);
    expect(closureSingleAgency(c.history(), day(100), thresholds())).toEqual([]);
  });

  it('given no risk assessment and a medium-risk referral, when closure is requested, then the referral risk applies', () => {
    const c = ruleStory();
    c.referral(0, { riskLevel: 'medium' });
    c.intervention(5);
    c.requestClosure(100);
    const [flag] = closureSingleAgency(c.history(), day(100), thresholds());
    expect(flag?.severity).toBe('medium');
    expect(flag?.explanation).toContain('medium-risk case, as the referral of 4 March 2024 (not yet risk-assessed) rates it');
  });

  it('given a medium referral later assessed low, when closure is requested, then nothing fires', () => {
    const c = ruleStory();
    c.referral(0, { riskLevel: 'medium' });
    c.risk(10, 'low');
    c.intervention(5);
    c.requestClosure(100);
    expect(closureSingleAgency(c.history(), day(100), thresholds())).toEqual([]);
  });
});
