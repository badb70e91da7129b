import { describe, expect, it } from 'vitest';
import { findLabellingLanguage } from '@syv/contracts';
import { buildCaseHistory } from '../rules/index.js';
import { caseStory } from '../testing/case-story.js';
import { caseRecord } from './case-record.js';
import { summariseCase } from './case-summary.js';

const START = new Date('2024-03-04T10:00:00Z');

/** A CAMHS referral declined, a housing referral withdrawn, a youth justice referral started and ended, a VCS referral waiting. */
function fourReferrals() {
  const s = caseStory(START);
  s.referral(0);
  const camhs = s.onward(2, 'camhs');
  const housing = s.onward(3, 'housing');
  const yj = s.onward(4, 'youth_justice');
  const vcs = s.onward(30, 'vcs');
  s.declined(16, camhs.data.onwardReferralId);
  s.withdrawn(10, housing.data.onwardReferralId);
  s.started(9, yj.data.onwardReferralId);
  s.ended(40, yj.data.onwardReferralId, 'disengaged');
  return { s, camhs, housing, yj, vcs };
}

describe("each onward referral's whole life in the case summary", () => {
  it('given four referrals, when summarised on day 50, then each shows its status, dates, outcome, wait and length of support', () => {
    const { s } = fourReferrals();
    const summary = summariseCase(buildCaseHistory(s.events), s.events, s.day(50));
    expect(summary.onwardReferrals.map(({ onwardReferralId: _id, referredAt: _at, ...o }) => o)).toEqual([
      { agency: 'camhs', status: 'declined', startedAt: null, declinedAt: s.day(16).toISOString(), withdrawnAt: null, endedAt: null, outcome: null, waitDays: 14, supportDays: null, waiting: false },
      { agency: 'housing', status: 'withdrawn', startedAt: null, declinedAt: null, withdrawnAt: s.day(10).toISOString(), endedAt: null, outcome: null, waitDays: 7, supportDays: null, waiting: false },
      {
        agency: 'youth_justice',
        status: 'ended',
        startedAt: s.day(9).toISOString(),
        declinedAt: null,
        withdrawnAt: null,
        endedAt: s.day(40).toISOString(),
        outcome: 'disengaged',
        waitDays: 5,
        supportDays: 31,
        waiting: false,
      },
      { agency: 'vcs', status: 'waiting', startedAt: null, declinedAt: null, withdrawnAt: null, endedAt: null, outcome: null, waitDays: 20, supportDays: null, waiting: true },
    ]);
  });

  it('given the same case, when summarised as of day 12, then later outcomes do not count: CAMHS still waits and youth justice support goes on', () => {
    const { s } = fourReferrals();
    const summary = summariseCase(buildCaseHistory(s.events), s.events, s.day(12));
    expect(summary.onwardReferrals.map((o) => [o.agency, o.status, o.waitDays, o.supportDays])).toEqual([
      ['camhs', 'waiting', 10, null],
      ['housing', 'withdrawn', 7, null],
      ['youth_justice', 'started', 5, 3],
    ]);
  });
});

describe("each onward referral's whole life in the case record", () => {
  it('given four referrals, when read back, then each shows its outcome with the words written, the wait and the length of support', () => {
    const { s, camhs } = fourReferrals();
    const record = caseRecord(s.events, findLabellingLanguage);
    expect(record.onwardReferrals.map((o) => [o.agency, o.status, o.waitDays, o.supportDays])).toEqual([
      ['camhs', 'declined', 14, null],
      ['housing', 'withdrawn', 7, null],
      ['youth_justice', 'ended', 5, 31],
      ['vcs', 'waiting', null, null],
    ]);
    const declined = s.events.find((e) => e.type === 'onward-referral.declined.v1' && e.data.onwardReferralId === camhs.data.onwardReferralId);
    expect(record.onwardReferrals[0]?.declined).toEqual({ declinedAt: s.day(16).toISOString(), reason: 'Threshold for the service not met.', eventId: declined?.id, languageFlags: [], corrections: [] });
    expect(record.onwardReferrals[2]?.ended).toMatchObject({ endedAt: s.day(40).toISOString(), outcome: 'disengaged' });
    expect(record.onwardReferrals[2]?.startedAt).toBe(s.day(9).toISOString());
  });

  it('given a decline published before its referral, when read back, then the referral shows it', () => {
    const { s } = fourReferrals();
    const record = caseRecord([...s.events].reverse(), findLabellingLanguage);
    expect(record.onwardReferrals.map((o) => o.status)).toEqual(['declined', 'withdrawn', 'ended', 'waiting']);
  });
});
