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
