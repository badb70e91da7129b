import { describe, expect, it } from 'vitest';
import { ERASED_TEXT, findLabellingLanguage } from '@syv/contracts';
import { caseStory } from '../testing/case-story.js';
import { caseRecord } from './case-record.js';
import { withCorrections } from './corrections.js';

const START = new Date('2024-03-04T10:00:00Z');

describe('a record read back after its texts were corrected', () => {
  it('given notes that blamed the child, when corrected, then the record shows the new text, marked with who, when and why, and the phrase is no longer flagged', () => {
    const s = caseStory(START);
    s.referral(0);
    const session = s.intervention(2, { notes: 'She keeps putting herself at risk.', childViews: 'I do not want to go home.' });
    const amendment = s.amend(5, session, 'notes', 'Older boys are exploiting her; she is frightened.', 'The first version blamed her.');
    const record = caseRecord(s.events, findLabellingLanguage);
    expect(record.interventions).toHaveLength(1);
    const [shown] = record.interventions;
    expect(shown).toMatchObject({ eventId: session.id, notes: 'Older boys are exploiting her; she is frightened.', childViews: 'I do not want to go home.', languageFlags: [] });
    expect(shown?.corrections).toEqual([{ field: 'notes', amendmentEventId: amendment.id, amendedAt: s.day(5).toISOString(), amendedBy: 'sw-1', reason: 'The first version blamed her.' }]);
  });

  it('given a clean reason corrected into labelling words, when read back, then the phrase is flagged at its place in the new text', () => {
    const s = caseStory(START);
    const referral = s.referral(0, { reason: 'Stabbed outside school.' });
    s.amend(1, referral, 'reason', 'Stabbed outside school; he is streetwise.');
    const [shown] = caseRecord(s.events, findLabellingLanguage).referrals;
    expect(shown?.reason).toBe('Stabbed outside school; he is streetwise.');
    expect(shown?.languageFlags).toEqual([expect.objectContaining({ field: 'reason', phrase: 'streetwise', position: 'Stabbed outside school; he is '.length })]);
  });

  it('given a record without corrections, when read back, then its texts are as written and its list of corrections is empty', () => {
    const s = caseStory(START);
    s.referral(0);
    s.incident(1, { description: 'Robbed of his phone at the station.' });
    const [incident] = caseRecord(s.events, findLabellingLanguage).incidents;
    expect(incident).toMatchObject({ description: 'Robbed of his phone at the station.', corrections: [] });
  });

  it('given the child erased, when the corrected record is read, then the corrected text and its reason read as erased, and the correction is still marked', () => {
    const s = caseStory(START);
    s.referral(0);
    const session = s.intervention(2, { notes: 'Met at the hub.' });
    s.amend(3, session, 'notes', 'Met at the hub after school.');
    // What a reader sees once the child's key is gone: every sealed text opens as the marker.
    const erased = s.events.map((e) => (e.type === 'record.amended.v1' ? { ...e, data: { ...e.data, text: ERASED_TEXT, reason: ERASED_TEXT } } : e));
    const [shown] = caseRecord(erased, findLabellingLanguage).interventions;
    expect(shown?.notes).toBe(ERASED_TEXT);
    expect(shown?.corrections).toMatchObject([{ field: 'notes', reason: ERASED_TEXT }]);
  });

  it('given a correction of a field the record does not have, or of an event not in the list, then nothing changes', () => {
    const s = caseStory(START);
    s.referral(0);
    const session = s.intervention(2, { notes: 'Met at the hub.' });
    const stray = s.amend(3, session, 'description', 'Not a text of an intervention.');
    const elsewhere = { ...stray, id: 'a3c1e4f2-0000-4000-8000-000000000001', data: { ...stray.data, recordId: 'a3c1e4f2-0000-4000-8000-000000000002' } };
    const { events, corrections } = withCorrections([...s.events, elsewhere], findLabellingLanguage);
    expect(events.find((e) => e.id === session.id)).toEqual(session);
    expect(corrections.size).toBe(0);
  });
});
