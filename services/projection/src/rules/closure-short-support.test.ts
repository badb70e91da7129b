import { describe, expect, it } from 'vitest';
import type { Concern } from './contract.js';
import { closureShortSupport } from './closure-short-support.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

// "Shorter than 84 days" is strict: exactly 84 days of support has met the 12-week minimum.
function supportOf(days: number, concerns: Concern[] = ['criminal_exploitation']) {
  const c = ruleStory();
  const referral = c.referral(0, { concerns });
  const first = c.intervention(5, { kind: 'mentoring', agency: 'youth_service' });
  c.intervention(5 + days - 1);
  const request = c.requestClosure(5 + days);
  return { history: c.history(), at: day(5 + days), referral, first, request };
}

describe('CLOSURE_SHORT_SUPPORT (84 days)', () => {
  it('given 83 days of support on an exploitation case, when closure is requested, then it fires with the days and the concern', () => {
    const { history, at, referral, first, request } = supportOf(83);
    const [flag] = closureShortSupport(history, at, thresholds());
    expect(flag).toMatchObject({ rule: 'CLOSURE_SHORT_SUPPORT', severity: 'medium', evidence: [referral.id, first.id, request.id] });
    expect(flag?.explanation).toContain('Support lasted 83 days (first intervention on 9 March 2024');
    expect(flag?.explanation).toContain('less than the 84-day minimum on a case with concerns of criminal exploitation');
  });

  it.each([84, 85])('given %i days of support, when closure is requested, then the minimum is met and nothing fires', (days) => {
    const { history, at } = supportOf(days);
    expect(closureShortSupport(history, at, thresholds())).toEqual([]);
  });

  it('given six weeks of mentoring on a violence case closed as support completed, when assessed, then it fires', () => {
    const { history, at } = supportOf(42, ['serious_youth_violence_victim', 'weapon_carrying', 'mental_health']);
    expect(closureShortSupport(history, at, thresholds())[0]?.explanation).toContain('42 days');
    expect(closureShortSupport(history, at, thresholds())[0]?.explanation).toContain('serious youth violence victim and weapon carrying');
  });

  it('given a case without violence or exploitation concerns, when closed after 10 days, then this rule does not apply', () => {
    const { history, at } = supportOf(10, ['mental_health', 'school_exclusion']);
    expect(closureShortSupport(history, at, thresholds())).toEqual([]);
  });

  it('given no intervention at all on an exploitation case, when closure is requested, then it fires saying so', () => {
    const c = ruleStory();
    c.referral(0, { concerns: ['sexual_exploitation'] });
    c.requestClosure(30);
    expect(closureShortSupport(c.history(), day(30), thresholds())[0]?.explanation).toContain('with no intervention recorded');
  });

  it('given a 12-day minimum, when support lasted 20 days, then nothing fires', () => {
    const { history, at } = supportOf(20);
    expect(closureShortSupport(history, at, thresholds({ closureShortSupportDays: 12 }))).toEqual([]);
  });
});
