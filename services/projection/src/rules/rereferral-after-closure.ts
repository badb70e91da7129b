import type { Thresholds } from '@syv/area-config';
import { daysBetween, wholeDaysBetween } from './days.js';
import type { Flag } from './flag.js';
import type { ClosureItem, ReferralItem } from './history.js';
import { agencyName, formatDate, humanise, plural } from './words.js';

/** What the rule reads of a referral. */
export type ReferralFacts = Pick<ReferralItem, 'eventId' | 'receivedAt' | 'sourceAgency'>;

/**
 * REREFERRAL_AFTER_CLOSURE, across two cases: a new referral of a child, and the closures
 * of that child's earlier cases (the projection finds them by child and area). The flag belongs
 * to the earlier closure, retrospectively: its key names that closure, so however many referrals
 * follow it, it is flagged once. Only the latest closure before the referral is flagged, since
 * that is the support the child came back from. "Within N days" includes the Nth day.
 */
export function rereferralAfterClosure(referral: ReferralFacts, earlierClosures: readonly ClosureItem[], thresholds: Thresholds): Flag[] {
  const received = referral.receivedAt.getTime();
  const before = earlierClosures.filter((c) => c.closedAt.getTime() <= received);
  const latest = before.reduce<ClosureItem | undefined>((top, c) => (top === undefined || c.closedAt.getTime() >= top.closedAt.getTime() ? c : top), undefined);
  const window = thresholds.rereferralWindowDays;
  if (!latest || daysBetween(latest.closedAt, referral.receivedAt) > window) return [];
  return [
    {
      rule: 'REREFERRAL_AFTER_CLOSURE',
      severity: 'medium',
      explanation: `The child was referred again on ${formatDate(referral.receivedAt)} by ${agencyName(referral.sourceAgency)}, ${plural(wholeDaysBetween(latest.closedAt, referral.receivedAt), 'day')} after an earlier case was closed on ${formatDate(latest.closedAt)} (reason: ${humanise(latest.reason)}${latest.approvedBy === undefined ? '' : ', approved over flags'}); review whether that closure was premature.`,
      evidence: [latest.eventId, referral.eventId],
      key: `REREFERRAL_AFTER_CLOSURE:${latest.closureRequestId}`,
    },
  ];
}
