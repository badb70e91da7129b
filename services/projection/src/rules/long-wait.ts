import { longWaitDaysFor } from '@syv/area-config';
import { daysBetween, wholeDaysBetween } from './days.js';
import type { Flag, Rule } from './flag.js';
import { isWaiting } from './onward.js';
import { severityForRisk } from './risk.js';
import { openCaseAt } from './time-context.js';
import { agencyName, formatDate, plural } from './words.js';

/**
 * LONG_WAIT: "I was waiting for CAMHS since I was 11". The limit depends on the agency
 * referred to. A referral not started on the Nth day is still in time; it fires after that.
 */
export const longWait: Rule = (history, asOf, thresholds) => {
  const view = openCaseAt(history, asOf);
  if (!view) return [];
  return view.onwardReferrals
    .filter((o) => isWaiting(o) && daysBetween(o.referredAt, asOf) > longWaitDaysFor(thresholds, o.agency))
    .map(
      (o): Flag => ({
        rule: 'LONG_WAIT',
        severity: severityForRisk(view),
        explanation: `The referral to ${agencyName(o.agency)} made on ${formatDate(o.referredAt)} has not started after ${plural(wholeDaysBetween(o.referredAt, asOf), 'day')}, more than the ${longWaitDaysFor(thresholds, o.agency)} days expected; chase ${agencyName(o.agency)} and arrange support while the child waits.`,
        evidence: [o.eventId],
        key: `LONG_WAIT:${o.onwardReferralId}`,
      }),
    );
};
