import type { CaseHistory, OnwardReferralItem } from './history.js';

// As-of semantics: a fact counts when its domain time is at or before `asOf`. Asking about a
// past date therefore sees the case as it was, and a back-dated record is placed where it belongs.

function notAfter(at: Date): (t: Date) => boolean {
  return (t) => t.getTime() <= at.getTime();
}

function onwardAsOf(o: OnwardReferralItem, at: Date): OnwardReferralItem {
  if (o.started === undefined || notAfter(at)(o.started.startedAt)) return o;
  const { started: _later, ...waiting } = o;
  return waiting;
}

export function historyAsOf(history: CaseHistory, at: Date): CaseHistory {
  const counts = notAfter(at);
  const openedAt = history.openedAt !== undefined && counts(history.openedAt) ? history.openedAt : undefined;
  const { openedAt: _opened, ...rest } = history;
  return {
    ...rest,
    ...(openedAt === undefined ? {} : { openedAt }),
    referrals: history.referrals.filter((r) => counts(r.receivedAt)),
    interventions: history.interventions.filter((i) => counts(i.deliveredAt)),
    incidents: history.incidents.filter((i) => counts(i.occurredAt)),
    riskAssessments: history.riskAssessments.filter((r) => counts(r.assessedAt)),
    onwardReferrals: history.onwardReferrals.filter((o) => counts(o.referredAt)).map((o) => onwardAsOf(o, at)),
    closureRequests: history.closureRequests.filter((c) => counts(c.requestedAt)),
    closures: history.closures.filter((c) => counts(c.closedAt)),
    reopenings: history.reopenings.filter((r) => counts(r.reopenedAt)),
  };
}
