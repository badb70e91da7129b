import type { OnwardReferralItem } from './history.js';

// Where an onward referral stands, in one place for the rules, the case summary and the statistics.

export type OnwardStatus = 'waiting' | 'started' | 'declined' | 'withdrawn' | 'ended';

/** What of a referral's life is known: a start, a refusal, a withdrawal, an end (present or not). */
type OnwardParts = { [K in 'started' | 'declined' | 'withdrawn' | 'ended']?: unknown };

/** Ended once its support ended; else declined, withdrawn, started, or still waiting. */
export function onwardStatus(o: OnwardParts): OnwardStatus {
  if (o.ended) return 'ended';
  if (o.declined) return 'declined';
  if (o.withdrawn) return 'withdrawn';
  if (o.started) return 'started';
  return 'waiting';
}

/**
 * Still waiting for the agency: not started, not declined by it, not withdrawn. Only these count
 * for LONG_WAIT and CLOSURE_PENDING_ONWARD_REFERRAL; a refusal is ONWARD_REFERRAL_DECLINED's.
 */
export function isWaiting(o: OnwardReferralItem): boolean {
  return onwardStatus(o) === 'waiting';
}

/** When the wait ended: the start, the refusal or the withdrawal; undefined while waiting. */
export function waitEndedAt(o: OnwardReferralItem): Date | undefined {
  return o.started?.startedAt ?? o.declined?.declinedAt ?? o.withdrawn?.withdrawnAt;
}
