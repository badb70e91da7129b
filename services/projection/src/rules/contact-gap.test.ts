import { describe, expect, it } from 'vitest';
import { contactGap } from './contact-gap.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

function lastSeenOnDay10() {
  const c = ruleStory();
  c.referral(0, { riskLevel: 'medium' });
  const seen = c.intervention(10, { kind: 'mentoring', agency: 'vcs' });
  return { c, seen };
}

// Contact exactly 28 days ago is in time; the gap fires once more than 28 days have passed.
describe('CONTACT_GAP (28 days)', () => {
  it('given the child last seen 27 days ago, when swept, then nothing fires', () => {
    const { c } = lastSeenOnDay10();
    expect(contactGap(c.history(), day(37), thresholds())).toEqual([]);
  });

  it('given the child last seen exactly 28 days ago, when swept, then nothing fires', () => {
    const { c } = lastSeenOnDay10();
    expect(contactGap(c.history(), day(38), thresholds())).toEqual([]);
  });

  it('given the child last seen 29 days ago, when swept, then it fires naming the last contact', () => {
    const { c, seen } = lastSeenOnDay10();
    expect(contactGap(c.history(), day(39), thresholds())).toEqual([
      {
        rule: 'CONTACT_GAP',
        severity: 'medium',
        explanation: 'The child has not been seen for 29 days: the last intervention with the child was mentoring by the voluntary sector on 14 March 2024, more than the 28 days allowed; arrange contact with the child.',
        evidence: [seen.id],
        key: `CONTACT_GAP:${seen.data.interventionId}`,
      },
    ]);
  });

  it('given a new contact ends one gap and a second gap follows, when swept, then the second gap has its own key', () => {
    const { c } = lastSeenOnDay10();
    const first = contactGap(c.history(), day(39), thresholds());
    c.intervention(45);
    expect(contactGap(c.history(), day(60), thresholds())).toEqual([]);
    const second = contactGap(c.history(), day(80), thresholds());
    expect(second).toHaveLength(1);
    expect(second[0]?.key).not.toBe(first[0]?.key);
  });

  it('given the case was closed, when swept, then time rules do not fire', () => {
    const { c } = lastSeenOnDay10();
    const r = c.requestClosure(20);
    c.close(20, r.data.closureRequestId);
    expect(contactGap(c.history(), day(100), thresholds())).toEqual([]);
  });

  it('given the case was reopened after months closed, when swept, then the clock starts at the reopening', () => {
    const { c } = lastSeenOnDay10();
    const r = c.requestClosure(20);
    c.close(20, r.data.closureRequestId);
    const reopened = c.reopen(200);
    expect(contactGap(c.history(), day(210), thresholds())).toEqual([]);
    const [flag] = contactGap(c.history(), day(229), thresholds());
    expect(flag?.evidence).toEqual([reopened.id]);
    expect(flag?.explanation).toContain('in the 29 days since the case was reopened on');
  });

  it('given the child was never seen, when swept, then the silence is left to SLOW_START', () => {
    const c = ruleStory();
    c.referral(0);
    expect(contactGap(c.history(), day(100), thresholds())).toEqual([]);
  });
});
