import type { CaseHistory, OnwardReferralItem } from './history.js';

// As-of semantics: a fact counts when its domain time is at or before `asOf`. Asking about a
// past date therefore sees the case as it was, and a back-dated record is placed where it belongs.

function notAfter(at: Date): (t: Date) => boolean {
  return (t) => t.getTime() <= at.getTime();
}

/** Whether a start or outcome of the referral is dated after `at`, so that part does not count yet. */
function partLaterThan(o: OnwardReferralItem, at: Date): boolean {
  const later = (t: Date | undefined) => t !== undefined && t.getTime() > at.getTime();
  return later(o.started?.startedAt) || later(o.declined?.declinedAt) || later(o.withdrawn?.withdrawnAt) || later(o.ended?.endedAt);
}

function onwardAsOf(o: OnwardReferralItem, at: Date): OnwardReferralItem {
  if (!partLaterThan(o, at)) return o;
  const counts = notAfter(at);
  const { started, declined, withdrawn, ended, ...made } = o;
  return {
    ...made,
    ...(started && counts(started.startedAt) ? { started } : {}),
    ...(declined && counts(declined.declinedAt) ? { declined } : {}),
    ...(withdrawn && counts(withdrawn.withdrawnAt) ? { withdrawn } : {}),
    ...(ended && counts(ended.endedAt) ? { ended } : {}),
  };
}

/**
 * The facts counted at `at`. Every list of a history is in domain-time order, so what counts is a
 * prefix: found from the end, and the list itself (no copy) when all of it counts, as it does when
 * the rules are asked at the time of the latest fact.
 */
function prefix<T>(list: readonly T[], time: (item: T) => Date, at: Date): T[] {
  const limit = at.getTime();
  let n = list.length;
  while (n > 0 && time(list[n - 1]!).getTime() > limit) n--;
  return n === list.length ? (list as T[]) : list.slice(0, n);
}

const lastNotAfter = <T>(list: readonly T[], time: (item: T) => Date, limit: number) => list.length === 0 || time(list[list.length - 1]!).getTime() <= limit;

/** Whether every fact of the history counts at `at`: then the history is its own view, as it is when the rules are asked at the latest fact. */
function whollyCounted(h: CaseHistory, at: Date): boolean {
  const limit = at.getTime();
  return (
    (h.openedAt === undefined || h.openedAt.getTime() <= limit) &&
    lastNotAfter(h.referrals, (r) => r.receivedAt, limit) &&
    lastNotAfter(h.interventions, (i) => i.deliveredAt, limit) &&
    lastNotAfter(h.incidents, (i) => i.occurredAt, limit) &&
    lastNotAfter(h.riskAssessments, (r) => r.assessedAt, limit) &&
    lastNotAfter(h.onwardReferrals, (o) => o.referredAt, limit) &&
    lastNotAfter(h.closureRequests, (c) => c.requestedAt, limit) &&
    lastNotAfter(h.closures, (c) => c.closedAt, limit) &&
    lastNotAfter(h.reopenings, (r) => r.reopenedAt, limit) &&
    h.onwardReferrals.every((o) => !partLaterThan(o, at))
  );
}

export function historyAsOf(history: CaseHistory, at: Date): CaseHistory {
  if (whollyCounted(history, at)) return history;
  const counts = notAfter(at);
  const openedAt = history.openedAt !== undefined && counts(history.openedAt) ? history.openedAt : undefined;
  const { openedAt: _opened, ...rest } = history;
  const onward = prefix(history.onwardReferrals, (o) => o.referredAt, at);
  return {
    ...rest,
    ...(openedAt === undefined ? {} : { openedAt }),
    referrals: prefix(history.referrals, (r) => r.receivedAt, at),
    interventions: prefix(history.interventions, (i) => i.deliveredAt, at),
    incidents: prefix(history.incidents, (i) => i.occurredAt, at),
    riskAssessments: prefix(history.riskAssessments, (r) => r.assessedAt, at),
    onwardReferrals: onward.some((o) => partLaterThan(o, at)) ? onward.map((o) => onwardAsOf(o, at)) : onward,
    closureRequests: prefix(history.closureRequests, (c) => c.requestedAt, at),
    closures: prefix(history.closures, (c) => c.closedAt, at),
    reopenings: prefix(history.reopenings, (r) => r.reopenedAt, at),
  };
}
