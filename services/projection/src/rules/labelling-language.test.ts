import { describe, expect, it } from 'vitest';
import { evaluateLanguage } from './index.js';
import { labellingLanguage, type LabellingMatcher } from './labelling-language.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

// A stand-in with the shape of the intervention service's findLabellingLanguage.
const match: LabellingMatcher = (text) =>
  [
    { phrase: 'putting themselves at risk', suggestion: 'is at risk of exploitation / may have been groomed' },
    { phrase: 'hard to engage', suggestion: 'adultification risk: describe the behaviour and the need behind it' },
  ].flatMap((p) => {
    const position = text.toLowerCase().indexOf(p.phrase);
    return position < 0 ? [] : [{ ...p, position }];
  });

describe('LABELLING_LANGUAGE', () => {
  it('given notes saying the child is "putting themselves at risk", when checked, then it flags the phrase and the suggestion, not the notes', () => {
    const c = ruleStory();
    c.referral(0);
    const i = c.intervention(4, { kind: 'direct_work', agency: 'social_care', notes: 'Private detail. J keeps Putting Themselves At Risk by going to the estate.' });
    const flags = evaluateLanguage(c.history(match));
    expect(flags).toEqual([
      {
        rule: 'LABELLING_LANGUAGE',
        severity: 'low',
        explanation: 'The notes of the direct work session by social care on 8 March 2024 say "putting themselves at risk" (instead: is at risk of exploitation / may have been groomed); ask the author to reword the record.',
        evidence: [i.id],
        key: `LABELLING_LANGUAGE:${i.data.interventionId}`,
      },
    ]);
    expect(flags[0]?.explanation).not.toContain('Private detail');
  });

  it('given two phrases in one note, when checked, then one flag names both', () => {
    const c = ruleStory();
    c.intervention(4, { notes: 'Hard to engage and putting themselves at risk.' });
    const [flag, ...rest] = evaluateLanguage(c.history(match));
    expect(rest).toEqual([]);
    expect(flag?.explanation).toContain('say "putting themselves at risk" (instead: is at risk of exploitation / may have been groomed) and "hard to engage"');
  });

  it('given labelling in a referral reason, an incident description, a rationale and the views, when checked, then one flag per record and field names the field and the phrase, never the text', () => {
    const words: LabellingMatcher = (text) => {
      const position = text.toLowerCase().indexOf('hard to engage');
      return position < 0 ? [] : [{ phrase: 'hard to engage', position, suggestion: 'describe the behaviour and the need behind it' }];
    };
    const c = ruleStory();
    const r = c.referral(0, { reason: 'Private detail. Hard to engage at school.' });
    const i = c.intervention(2, { notes: 'Hard to engage.', childViews: 'Private detail. They say I am hard to engage.', familyViews: 'All fine.' });
    c.incident(3, { description: 'Private detail. Found out late; hard to engage.' });
    const a = c.risk(4, 'high', true, { rationale: 'Hard to engage.', familyViews: 'Hard to engage, mum says.' });
    const flags = evaluateLanguage(c.history(words));
    expect(flags.map((f) => f.key)).toEqual([
      `LABELLING_LANGUAGE:${r.data.referralId}:reason`,
      `LABELLING_LANGUAGE:${i.data.interventionId}`,
      `LABELLING_LANGUAGE:${i.data.interventionId}:childViews`,
      expect.stringMatching(/^LABELLING_LANGUAGE:.*:description$/),
      `LABELLING_LANGUAGE:${a.data.assessmentId}:rationale`,
      `LABELLING_LANGUAGE:${a.data.assessmentId}:familyViews`,
    ]);
    expect(flags[2]).toMatchObject({ evidence: [i.id], explanation: expect.stringMatching(/^Labelling language in the child's views \(field childViews\) of the direct work session by social care on .*: "hard to engage"/) });
    expect(flags[3]?.explanation).toMatch(/description \(field description\) of the incident/);
    for (const f of flags) expect(f.explanation).not.toContain('Private detail');
  });

  it('given child-centred notes, when checked, then nothing fires', () => {
    const c = ruleStory();
    c.intervention(4, { notes: 'T is being criminally exploited by adults who control where he goes.' });
    expect(evaluateLanguage(c.history(match))).toEqual([]);
  });

  it('given a note dated after asOf, when the rule runs as of an earlier date, then it is not yet there', () => {
    const c = ruleStory();
    c.intervention(10, { notes: 'Hard to engage.' });
    expect(labellingLanguage(c.history(match), day(9), thresholds())).toEqual([]);
    expect(labellingLanguage(c.history(match), day(10), thresholds())).toHaveLength(1);
  });

  it('given a note full of labels, when checked, then the explanation names four and counts the rest, within the contract bound', () => {
    const many: LabellingMatcher = () => ['streetwise', 'resilient', 'aggressive', 'recruited', 'money mule', 'plugging'].map((phrase, position) => ({ phrase, position, suggestion: 'describe the abuse and the adults who are responsible for it'.repeat(2) }));
    const c = ruleStory();
    c.intervention(4, { notes: 'n/a' });
    const [flag] = evaluateLanguage(c.history(many));
    expect(flag?.explanation).toContain('"recruited"');
    expect(flag?.explanation).not.toContain('"money mule"');
    expect(flag?.explanation).toContain('and 2 other labelling phrases;');
    expect(flag?.explanation.length).toBeLessThanOrEqual(1000);
  });

  it("given an agency's refusal and a note on how support ended with labelling phrases, when checked, then each is flagged on its own event, naming the field", () => {
    const c = ruleStory();
    const camhs = c.onward(2, 'camhs');
    const vcs = c.onward(3, 'vcs');
    const declined = c.declined(10, camhs.data.onwardReferralId, 'Private detail. Not for CAMHS: hard to engage.');
    c.started(5, vcs.data.onwardReferralId);
    const ended = c.ended(30, vcs.data.onwardReferralId, 'disengaged', 'Stopped coming, putting themselves at risk again.');
    const flags = evaluateLanguage(c.history(match));
    expect(flags.map((f) => [f.key, f.evidence])).toEqual([
      [`LABELLING_LANGUAGE:${declined.id}:reason`, [declined.id]],
      [`LABELLING_LANGUAGE:${ended.id}:reason`, [ended.id]],
    ]);
    expect(flags[0]?.explanation).toBe(
      'Labelling language in the reason (field reason) of the refusal by CAMHS on 14 March 2024: "hard to engage" (instead: adultification risk: describe the behaviour and the need behind it); ask the author to reword the record.',
    );
    expect(flags.map((f) => f.explanation).join()).not.toContain('Private detail');
  });
});
