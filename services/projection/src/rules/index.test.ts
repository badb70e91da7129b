import { describe, expect, it } from 'vitest';
import { evaluateClosure, evaluateTimeRules } from './index.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

describe('evaluateClosure', () => {
  it('given a clean case, when closure is requested, then no closure rule fires and it may close by itself', () => {
    const c = ruleStory();
    c.referral(0, { concerns: ['criminal_exploitation'], riskLevel: 'medium' });
    c.risk(7, 'low');
    for (let d = 2; d <= 100; d += 7) c.intervention(d, { agency: d % 2 === 0 ? 'social_care' : 'youth_service' });
    const r = c.requestClosure(100);
    expect(evaluateClosure(c.history(), r.data.closureRequestId, thresholds())).toEqual([]);
  });

  it('given a case that was rejected once and requested again, when the first request is assessed, then it sees the case as it was then', () => {
    const c = ruleStory();
    c.referral(0, { concerns: ['mental_health'], riskLevel: 'low' });
    c.intervention(1);
    const first = c.requestClosure(10);
    c.incident(20, { severity: 'high' });
    const second = c.requestClosure(25);
    expect(evaluateClosure(c.history(), first.data.closureRequestId, thresholds())).toEqual([]);
    expect(evaluateClosure(c.history(), second.data.closureRequestId, thresholds()).map((f) => f.rule)).toEqual(['CLOSURE_RECENT_INCIDENT']);
  });

  it('given a high-risk case seen by one agency only, when closure is requested, then CLOSURE_SINGLE_AGENCY is among the flags', () => {
    const c = ruleStory();
    c.referral(0, { concerns: ['mental_health'], riskLevel: 'high' });
    c.risk(3, 'high');
    for (let d = 1; d <= 100; d += 7) c.intervention(d);
    const r = c.requestClosure(100);
    expect(evaluateClosure(c.history(), r.data.closureRequestId, thresholds()).map((f) => f.rule)).toEqual(['CLOSURE_HIGH_RISK', 'CLOSURE_SINGLE_AGENCY']);
  });

  it('given an unknown closure request, when assessed, then it fails rather than let the case close unassessed', () => {
    const c = ruleStory();
    c.referral(0);
    expect(() => evaluateClosure(c.history(), 'missing', thresholds())).toThrow(/missing/);
  });
});

describe('evaluateTimeRules', () => {
  it('given an open case with every kind of silence, when swept, then each time rule fires once', () => {
    const c = ruleStory();
    c.referral(0);
    c.onward(1, 'housing');
    expect(evaluateTimeRules(c.history(), day(50), thresholds()).map((f) => f.rule)).toEqual(['SLOW_START', 'LONG_WAIT']);
    c.intervention(2);
    expect(evaluateTimeRules(c.history(), day(50), thresholds()).map((f) => f.rule)).toEqual(['CONTACT_GAP', 'LONG_WAIT']);
  });

  it('given the same history swept twice, when compared, then the flags and keys are the same (an alert is raised once)', () => {
    const c = ruleStory();
    c.referral(0);
    c.onward(1, 'camhs');
    const a = evaluateTimeRules(c.history(), day(40), thresholds());
    const b = evaluateTimeRules(c.history(), day(41), thresholds());
    expect(b.map((f) => f.key)).toEqual(a.map((f) => f.key));
  });

  it('given a case closed before the sweep, when swept, then nothing fires', () => {
    const c = ruleStory();
    c.referral(0);
    c.onward(1, 'camhs');
    const r = c.requestClosure(3);
    c.close(3, r.data.closureRequestId);
    expect(evaluateTimeRules(c.history(), day(60), thresholds())).toEqual([]);
  });
});
