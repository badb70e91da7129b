import { describe, expect, it } from 'vitest';
import { buildCaseHistory, evaluateTimeRules } from '../rules/index.js';
import { DEFAULT_THRESHOLDS } from '@syv/area-config';
import { DAY_MS } from '../rules/days.js';
import { caseStory } from '../testing/case-story.js';
import { nextSweepAt } from './next-due.js';

const START = new Date('2024-03-04T10:00:00Z');

describe('nextSweepAt', () => {
  it('given a CAMHS referral waiting, when asked on day 10, then it is due just after day 2 + 28 (or sooner, daily)', () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(1);
    s.onward(2, 'camhs');
    s.intervention(9);
    const history = buildCaseHistory(s.events);
    expect(nextSweepAt(history, s.day(10), DEFAULT_THRESHOLDS)).toEqual(s.day(11));
    expect(nextSweepAt(history, s.day(29.5), DEFAULT_THRESHOLDS).getTime()).toBe(s.day(30).getTime() + 1);
  });

  it('given any case, when no time rule fires at asOf, then none fires before the instant it names', () => {
    const s = caseStory(START);
    s.referral(0);
    s.onward(3, 'housing');
    s.intervention(12);
    s.intervention(40, { withChild: false });
    const history = buildCaseHistory(s.events);
    for (let t = 0; t < 120; t += 0.25) {
      const asOf = s.day(t);
      const due = nextSweepAt(history, asOf, DEFAULT_THRESHOLDS);
      const now = evaluateTimeRules(history, asOf, DEFAULT_THRESHOLDS).map((f) => f.key);
      const justBefore = evaluateTimeRules(history, new Date(due.getTime() - 1), DEFAULT_THRESHOLDS).map((f) => f.key);
      expect(justBefore, `asOf day ${t}`).toEqual(now.filter((k) => justBefore.includes(k)));
      expect(justBefore.filter((k) => !now.includes(k)), `a flag started before the sweep was due (day ${t})`).toEqual([]);
      expect(due.getTime() - asOf.getTime()).toBeLessThanOrEqual(DAY_MS);
    }
  });
});
