import { describe, expect, it } from 'vitest';
import { evaluateRereferral } from './index.js';
import { rereferralAfterClosure } from './rereferral-after-closure.js';
import { ruleStory, thresholds } from '../testing/rule-story.js';

// Two cases of one child: the first closed on day 100, the second opened by a new referral.
function closedThenReferred(daysLater: number) {
  const earlier = ruleStory('child-9');
  earlier.referral(0);
  const request = earlier.requestClosure(100);
  const closed = earlier.close(100, request.data.closureRequestId, { approvedBy: 'supervisor-1' });
  const later = ruleStory('child-9');
  const referral = later.referral(100 + daysLater, { sourceAgency: 'school' });
  const newReferral = later.history().referrals[0];
  if (!newReferral) throw new Error('no referral');
  return { earlier: earlier.history(), later: later.history(), newReferral, request, closed, referral };
}

describe('REREFERRAL_AFTER_CLOSURE (365 days)', () => {
  it('given a re-referral 364 days after a closure, when evaluated, then it flags the earlier closure', () => {
    const { earlier, newReferral, request, closed, referral } = closedThenReferred(364);
    const [flag, ...rest] = rereferralAfterClosure(newReferral, earlier.closures, thresholds());
    expect(rest).toEqual([]);
    expect(flag).toMatchObject({ rule: 'REREFERRAL_AFTER_CLOSURE', severity: 'medium', evidence: [closed.id, referral.id], key: `REREFERRAL_AFTER_CLOSURE:${request.data.closureRequestId}` });
    expect(flag?.explanation).toContain('364 days after an earlier case was closed on 12 June 2024 (reason: support completed, approved over flags)');
  });

  it('given a re-referral exactly 365 days after, when evaluated, then it fires (within twelve months includes the last day)', () => {
    const { earlier, newReferral } = closedThenReferred(365);
    expect(rereferralAfterClosure(newReferral, earlier.closures, thresholds())).toHaveLength(1);
  });

  it('given a re-referral 366 days after, when evaluated, then nothing fires', () => {
    const { earlier, newReferral } = closedThenReferred(366);
    expect(rereferralAfterClosure(newReferral, earlier.closures, thresholds())).toEqual([]);
  });

  it('given a re-referral four months after closure, when evaluated, then the explanation names the referrer and the days', () => {
    const { earlier, newReferral } = closedThenReferred(122);
    expect(rereferralAfterClosure(newReferral, earlier.closures, thresholds())[0]?.explanation).toMatch(/^The child was referred again on 12 October 2024 by school, 122 days after/);
  });

  it('given two earlier closures, when evaluated, then only the latest before the referral is flagged', () => {
    const first = ruleStory('child-9');
    const r1 = first.requestClosure(10);
    first.close(10, r1.data.closureRequestId);
    const { earlier, newReferral, request } = closedThenReferred(30);
    const flags = rereferralAfterClosure(newReferral, [...earlier.closures, ...first.history().closures], thresholds());
    expect(flags.map((f) => f.key)).toEqual([`REREFERRAL_AFTER_CLOSURE:${request.data.closureRequestId}`]);
  });

  it('given a closure after the referral, when evaluated, then it is not an earlier closure', () => {
    const { earlier, later } = closedThenReferred(-10);
    expect(evaluateRereferral(later, earlier.closures, thresholds())).toEqual([]);
  });

  it('given two referrals on the new case, when evaluated for the case, then the earlier closure is flagged once', () => {
    const { earlier, request } = closedThenReferred(30);
    const later = ruleStory('child-9');
    later.referral(130);
    later.referral(140);
    const flags = evaluateRereferral(later.history(), earlier.closures, thresholds());
    expect(flags).toHaveLength(1);
    expect(flags[0]?.key).toBe(`REREFERRAL_AFTER_CLOSURE:${request.data.closureRequestId}`);
    expect(flags[0]?.explanation).toContain('referred again on 12 July 2024');
  });

  it('given a shorter window for the area, when evaluated, then the area window applies', () => {
    const { earlier, newReferral } = closedThenReferred(200);
    expect(rereferralAfterClosure(newReferral, earlier.closures, thresholds({ rereferralWindowDays: 180 }))).toEqual([]);
  });
});
