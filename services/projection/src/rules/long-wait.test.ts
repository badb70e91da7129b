import { describe, expect, it } from 'vitest';
import { loadThresholds, thresholdsFor } from '@syv/area-config';
import type { Agency } from './contract.js';
import { longWait } from './long-wait.js';
import { AREA, day, ruleStory, thresholds } from '../testing/rule-story.js';

function waitingFor(agency: Agency) {
  const c = ruleStory();
  c.referral(0);
  const made = c.onward(5, agency);
  return { c, made };
}

describe('LONG_WAIT (CAMHS 28 days, others 42)', () => {
  it('given a CAMHS referral 27 or exactly 28 days old, when swept, then nothing fires', () => {
    const { c } = waitingFor('camhs');
    expect(longWait(c.history(), day(32), thresholds())).toEqual([]);
    expect(longWait(c.history(), day(33), thresholds())).toEqual([]);
  });

  it('given a CAMHS referral 29 days old, when swept, then it fires naming CAMHS, the date and the days', () => {
    const { c, made } = waitingFor('camhs');
    expect(longWait(c.history(), day(34), thresholds())).toEqual([
      {
        rule: 'LONG_WAIT',
        severity: 'medium',
        explanation: 'The referral to CAMHS made on 9 March 2024 has not started after 29 days, more than the 28 days expected; chase CAMHS and arrange support while the child waits.',
        evidence: [made.id],
        key: `LONG_WAIT:${made.data.onwardReferralId}`,
      },
    ]);
  });

  it('given a housing referral, when swept at 41 and 43 days, then only the second fires', () => {
    const { c } = waitingFor('housing');
    expect(longWait(c.history(), day(46), thresholds())).toEqual([]);
    expect(longWait(c.history(), day(48), thresholds())[0]?.explanation).toContain('after 43 days, more than the 42 days expected');
  });

  it('given the referral started, when swept, then nothing fires', () => {
    const { c, made } = waitingFor('camhs');
    c.started(40, made.data.onwardReferralId);
    expect(longWait(c.history(), day(60), thresholds())).toEqual([]);
    expect(longWait(c.history(), day(39), thresholds())).toHaveLength(1);
  });

  it('given the case was closed, when swept, then time rules do not fire', () => {
    const { c } = waitingFor('camhs');
    const r = c.requestClosure(20);
    c.close(20, r.data.closureRequestId);
    expect(longWait(c.history(), day(60), thresholds())).toEqual([]);
  });

  it('given an area that expects CAMHS within 21 days, when swept at 25 days, then it fires there only, and other agencies keep the default', () => {
    const config = loadThresholds({ areas: { [AREA]: { longWaitDays: { camhs: 21 } } } });
    const { c } = waitingFor('camhs');
    expect(longWait(c.history(), day(30), thresholdsFor(config, AREA))).toHaveLength(1);
    expect(longWait(c.history(), day(30), thresholdsFor(config, 'E09000002'))).toEqual([]);
    expect(thresholdsFor(config, AREA).longWaitDays.default).toBe(42);
  });

  it('given the CAMHS referral was declined, when swept past the limit, then nothing fires; before the decline it did', () => {
    const { c, made } = waitingFor('camhs');
    c.declined(40, made.data.onwardReferralId);
    expect(longWait(c.history(), day(60), thresholds())).toEqual([]);
    expect(longWait(c.history(), day(39), thresholds())).toHaveLength(1);
  });

  it('given the referral was withdrawn, when swept past the limit, then nothing fires', () => {
    const { c, made } = waitingFor('housing');
    c.withdrawn(20, made.data.onwardReferralId);
    expect(longWait(c.history(), day(60), thresholds())).toEqual([]);
  });
});
