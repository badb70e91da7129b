import type { Flag, Rule } from './flag.js';
import type { CaseHistory, OnwardReferralItem } from './history.js';
import { severityForRisk } from './risk.js';
import { openCaseAt } from './time-context.js';
import { agencyName, formatDate } from './words.js';

/** A referral to another agency (another service) made on or after `since`: the need taken elsewhere. */
function referredElsewhereSince(view: CaseHistory, declined: OnwardReferralItem, since: Date): boolean {
  return view.onwardReferrals.some((o) => o.agency !== declined.agency && o.referredAt.getTime() >= since.getTime());
}

/**
 * ONWARD_REFERRAL_DECLINED: the agency refused the referral, so the child is no longer waiting for
 * it, yet still needs that help. Fires from the day it was declined, on an open case, until an
 * onward referral to another agency is made on or after that day; the supervisor who acknowledges
 * its alert has taken it on (the flag stays while nothing else was arranged). The explanation names
 * the agency and the dates, never the reason the agency gave.
 */
export const onwardReferralDeclined: Rule = (history, asOf) => {
  const view = openCaseAt(history, asOf);
  if (!view) return [];
  return view.onwardReferrals.flatMap((o): Flag[] => {
    const declined = o.declined;
    if (!declined || referredElsewhereSince(view, o, declined.declinedAt)) return [];
    return [
      {
        rule: 'ONWARD_REFERRAL_DECLINED',
        severity: severityForRisk(view),
        explanation: `The referral to ${agencyName(o.agency)} made on ${formatDate(o.referredAt)} was declined on ${formatDate(declined.declinedAt)}; the child still needs that help: refer on to another service or arrange the support another way.`,
        evidence: [o.eventId, declined.eventId],
        key: `ONWARD_REFERRAL_DECLINED:${o.onwardReferralId}`,
      },
    ];
  });
};
