import { describe, expect, it } from 'vitest';
import { loadThresholds, thresholdsFor } from '@syv/area-config';
import type { SupportOutcome } from './contract.js';
import { supportEndedEarly } from './support-ended-early.js';
import { AREA, day, ruleStory, thresholds } from '../testing/rule-story.js';

/** CAMHS referred on day 5, started on day 10, ended `after` days later with `outcome`. */
function supportEnded(after: number, outcome: SupportOutcome = 'disengaged') {
  const c = ruleStory();
  c.referral(0);
  const camhs = c.onward(5, 'camhs');
  const started = c.started(10, camhs.data.onwardReferralId);
  const ended = c.ended(10 + after, camhs.data.onwardReferralId, outcome);
  return { c, camhs, started, ended, end: 10 + after };
}

describe('SUPPORT_ENDED_EARLY (42 days)', () => {
  it('given CAMHS support ended as disengaged after 20 days, when asked from the end, then it fires naming CAMHS, the dates and the days', () => {
    const { c, camhs, started, ended } = supportEnded(20);
    expect(supportEndedEarly(c.history(), day(30), thresholds())).toEqual([
      {
        rule: 'SUPPORT_ENDED_EARLY',
        severity: 'medium',
        explanation:
          "Support from CAMHS started on 14 March 2024 and ended on 3 April 2024 after 20 days because the child disengaged, within the 42 days that count as early; offer support for longer, at the child's pace.",
        evidence: [camhs.id, started.id, ended.id],
        key: `SUPPORT_ENDED_EARLY:${camhs.data.onwardReferralId}`,
      },
    ]);
    expect(supportEndedEarly(c.history(), day(29), thresholds())).toEqual([]);
  });

  it('given support ended as disengaged on exactly the 42nd day, when asked, then it fires; on the 43rd, nothing', () => {
    const at42 = supportEnded(42);
    expect(supportEndedEarly(at42.c.history(), day(at42.end), thresholds())).toHaveLength(1);
    const at43 = supportEnded(43);
    expect(supportEndedEarly(at43.c.history(), day(at43.end), thresholds())).toEqual([]);
  });

  it('given support ended early but completed, moved or other, when asked, then nothing fires', () => {
    for (const outcome of ['completed', 'moved', 'other'] as const) {
      const { c, end } = supportEnded(10, outcome);
      expect(supportEndedEarly(c.history(), day(end), thresholds())).toEqual([]);
    }
  });

  it('given a new onward referral made on or after the end, when asked, then it is resolved', () => {
    const { c } = supportEnded(20);
    c.onward(35, 'camhs');
    expect(supportEndedEarly(c.history(), day(34), thresholds())).toHaveLength(1);
    expect(supportEndedEarly(c.history(), day(35), thresholds())).toEqual([]);
  });

  it('given the case was closed, when asked, then nothing fires', () => {
    const { c } = supportEnded(20);
    const r = c.requestClosure(40);
    c.close(40, r.data.closureRequestId);
    expect(supportEndedEarly(c.history(), day(50), thresholds())).toEqual([]);
  });

  it('given an area that counts 90 days as early, when support ended after 60 days, then it fires there only', () => {
    const config = loadThresholds({ areas: { [AREA]: { supportEndedEarlyDays: 90 } } });
    const { c, end } = supportEnded(60);
    expect(supportEndedEarly(c.history(), day(end), thresholdsFor(config, AREA))).toHaveLength(1);
    expect(supportEndedEarly(c.history(), day(end), thresholdsFor(config, 'E09000002'))).toEqual([]);
  });
});
