import { describe, expect, it } from 'vitest';
import { findLabellingLanguage } from '@syv/contracts';
import { caseStory } from '../testing/case-story.js';
import { caseRecord } from './case-record.js';

const START = new Date('2024-03-04T09:00:00Z');

describe("a case's record read back", () => {
  it('given facts published out of order, when read back, then each list is in the order things happened', () => {
    const s = caseStory(START);
    s.referral(0);
    const late = s.intervention(20, { notes: 'Walked to college together.' });
    const early = s.intervention(5, { notes: 'J. keeps putting themselves at risk.' });
    const record = caseRecord(s.events, findLabellingLanguage);
    expect(record.interventions.map((i) => i.eventId)).toEqual([early.id, late.id]);
    expect(record.interventions[0]!.languageFlags.map((f) => f.phrase)).toEqual(['putting themselves at risk']);
    expect(record.interventions[1]!.languageFlags).toEqual([]);
  });

  it('given narrative texts on each kind of record, when read back, then each record shows its texts as written and the labelling in them by field', () => {
    const s = caseStory(START);
    s.referral(0, { reason: 'Missing from school; described as a lifestyle choice.' });
    s.intervention(2, { notes: 'Walked to college.', childViews: 'I want to finish my course.', familyViews: 'Mum says he is streetwise.' });
    s.incident(3, { description: 'Robbed of his phone near the station.' });
    s.risk(4, 'high', true, { harmOutsideHome: ['exploitation'], rationale: 'Older boys keep contacting him.', childViews: 'I owe them money.' });
    s.intervention(5);
    const record = caseRecord(s.events, findLabellingLanguage);
    expect(record.referrals[0]).toMatchObject({ reason: 'Missing from school; described as a lifestyle choice.', languageFlags: [{ field: 'reason', phrase: 'lifestyle choice', position: 36 }] });
    expect(record.interventions[0]).toMatchObject({ childViews: 'I want to finish my course.', familyViews: 'Mum says he is streetwise.', languageFlags: [{ field: 'familyViews', phrase: 'streetwise', position: 'Mum says he is '.length }] });
    expect(record.interventions[1]).not.toHaveProperty('childViews');
    expect(record.incidents[0]).toMatchObject({ description: 'Robbed of his phone near the station.', languageFlags: [] });
    expect(record.riskAssessments[0]).toMatchObject({ harmOutsideHome: ['exploitation'], rationale: 'Older boys keep contacting him.', childViews: 'I owe them money.', languageFlags: [] });
  });

  it('given a start published before the referral it starts, when read back, then the referral shows its start', () => {
    const s = caseStory(START);
    s.referral(0);
    const made = s.onward(2, 'camhs');
    const start = s.started(30, made.data.onwardReferralId);
    const waiting = s.onward(3, 'housing');
    const published = [s.events[0]!, start, made, waiting];
    const record = caseRecord(published, findLabellingLanguage);
    expect(record.onwardReferrals.map((o) => [o.agency, o.startedAt])).toEqual([
      ['camhs', start.data.startedAt],
      ['housing', null],
    ]);
  });
});
