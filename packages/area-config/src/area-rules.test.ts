import { describe, expect, it } from 'vitest';
import { areaRulesOf } from './for-area.js';
import { loadThresholds } from './load.js';

const config = loadThresholds({
  defaults: { labellingPhrases: [{ phrases: ['non-compliant'], suggestion: 'describe what got in the way of the visit' }] },
  areas: {
    E09000001: { labellingPhrases: [{ phrases: ['on the radar'], suggestion: 'name the harm and who is causing it' }], rereferralWindowDays: 180 },
    E09000002: { slowStartDays: 10 },
  },
});
const rulesFor = areaRulesOf(config);
const phrases = (area: string, text: string) => rulesFor(area).matchLanguage(text).map((f) => f.phrase);

describe("given an area's own labelling phrases", () => {
  it('when its workers write the phrase, then it is flagged with the suggestion the area gave', () => {
    expect(rulesFor('E09000001').matchLanguage('He has been on the radar of the police since May.')).toEqual([
      { phrase: 'on the radar', position: 12, matched: 'on the radar', suggestion: 'name the harm and who is causing it' },
    ]);
  });

  it('when another area writes the same words, then they are not flagged there', () => {
    expect(phrases('E09000002', 'He has been on the radar of the police since May.')).toEqual([]);
    expect(phrases('E06000001', 'He has been on the radar of the police since May.')).toEqual([]);
  });

  it("when the area writes the product's phrases or the phrases every area added, then those are still flagged: an area adds, never removes", () => {
    const text = 'Described as streetwise and non-compliant.';
    expect(phrases('E09000001', text)).toEqual(['streetwise', 'non-compliant']);
    expect(phrases('E09000002', text)).toEqual(['streetwise', 'non-compliant']);
  });

  it("then the area's other thresholds come with it, and unconfigured areas share the defaults", () => {
    expect(rulesFor('E09000001').thresholds.rereferralWindowDays).toBe(180);
    expect(rulesFor('E09000002').thresholds.rereferralWindowDays).toBe(365);
    expect(rulesFor('E06000001')).toBe(rulesFor('E06000002'));
  });
});
