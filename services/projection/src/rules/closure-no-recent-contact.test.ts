import { describe, expect, it } from 'vitest';
import { closureNoRecentContact } from './closure-no-recent-contact.js';
import { day, ruleStory, thresholds } from '../testing/rule-story.js';

// The window is inclusive: contact exactly 28 days before the request is recent enough.
function lastSeenDaysBefore(days: number) {
  const c = ruleStory();
  c.referral(0);
  const seen = c.intervention(10, { kind: 'youth_work', agency: 'youth_service' });
  c.intervention(10 + days - 1, { withChild: false, kind: 'family_support' });
  const request = c.requestClosure(10 + days);
  return { history: c.history(), at: day(10 + days), seen, request };
}

describe('CLOSURE_NO_RECENT_CONTACT (28 days)', () => {
  it.each([27, 28])('given the child last seen %i days before (28 is the limit itself), when closure is requested, then nothing fires', (days) => {
    const { history, at } = lastSeenDaysBefore(days);
    expect(closureNoRecentContact(history, at, thresholds())).toEqual([]);
  });

  it('given the child last seen 29 days before (work with the family since does not count), when closure is requested, then it fires naming the last contact', () => {
    const { history, at, seen, request } = lastSeenDaysBefore(29);
    const [flag] = closureNoRecentContact(history, at, thresholds());
    expect(flag).toMatchObject({ rule: 'CLOSURE_NO_RECENT_CONTACT', severity: 'medium', evidence: [seen.id, request.id], key: `CLOSURE_NO_RECENT_CONTACT:${request.data.closureRequestId}` });
    expect(flag?.explanation).toContain('the child was last seen 29 days earlier (youth work by the youth service on 14 March 2024), more than 28 days');
  });

  it('given the child was never seen, when closure is requested, then it fires saying so', () => {
    const c = ruleStory();
    c.referral(0);
    const request = c.requestClosure(5);
    const [flag] = closureNoRecentContact(c.history(), day(5), thresholds());
    expect(flag?.evidence).toEqual([request.id]);
    expect(flag?.explanation).toContain('no intervention with the child has been recorded');
  });
});
