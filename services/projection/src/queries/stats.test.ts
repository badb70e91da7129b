import { describe, expect, it } from 'vitest';
import { agencyStats, statsRows, type AgencyRow, type AreaStats } from './stats.js';

const row = (changes: Partial<AgencyRow> = {}): AgencyRow => ({
  agency: 'camhs',
  median_wait: 20.04,
  referrals: '4',
  started: '2',
  waiting: '0',
  declined: '1',
  withdrawn: '1',
  ended: '2',
  median_support: 35.25,
  ...changes,
});

describe('per-agency onward referral statistics', () => {
  it('given four CAMHS referrals, one declined, when answered, then the share declined is a quarter and the medians are rounded', () => {
    expect(agencyStats(row())).toEqual({
      agency: 'camhs',
      medianWaitDays: 20,
      started: 2,
      waiting: 0,
      declined: 1,
      withdrawn: 1,
      shareDeclined: 0.25,
      ended: 2,
      medianSupportDays: 35.3,
    });
  });

  it('given no support ended yet, when answered, then the median length of support is null, not 0', () => {
    expect(agencyStats(row({ ended: '0', median_support: null })).medianSupportDays).toBeNull();
  });

  it('given three referrals of which one was declined, when answered, then the share is rounded to three places', () => {
    expect(agencyStats(row({ referrals: '3', declined: '1' })).shareDeclined).toBe(0.333);
  });
});

describe('statistics as CSV rows', () => {
  const area: AreaStats = {
    area: 'E09000001',
    openCases: 3,
    medianSupportDays: 40,
    waitsByAgency: [agencyStats(row())],
    closures: 1,
    closuresFlagged: 0,
    shareOfClosuresFlagged: 0,
    closuresFlaggedApprovedAnyway: 0,
    shareOfClosuresFlaggedApprovedAnyway: 0,
    closuresFollowedByReReferral: 0,
    referrals: 4,
    reReferrals: 0,
    reReferralRate: 0,
  };

  it("given an agency's figures, when written as rows, then the share declined and the median length of support are rows of that agency", () => {
    const rows = statsRows([area]);
    const ofCamhs = rows.filter((r) => r[2] === 'camhs').map((r) => [r[1], r[3]]);
    expect(ofCamhs).toEqual([
      ['medianWaitDays', 20],
      ['started', 2],
      ['waiting', 0],
      ['declined', 1],
      ['withdrawn', 1],
      ['shareDeclined', 0.25],
      ['ended', 2],
      ['medianSupportDays', 35.3],
    ]);
  });
});
