import { daysBetween, wholeDaysBetween } from './days.js';
import type { Rule } from './flag.js';
import { severityForRisk } from './risk.js';
import { openCaseAt } from './time-context.js';
import { agencyName, formatDate, plural } from './words.js';

/**
 * SLOW_START: "interventions are needed earlier". Measured from the referral that started
 * the case; later referrals join a case already under way, where CONTACT_GAP watches the silence.
 * Contact on the Nth day is in time, so the rule fires only once more than N days have passed. It
 * stops firing once the child has been seen; the alert it raised stays.
 */
export const slowStart: Rule = (history, asOf, thresholds) => {
  const view = openCaseAt(history, asOf);
  const referral = view?.referrals[0];
  if (!view || !referral) return [];
  const limit = thresholds.slowStartDays;
  const waited = daysBetween(referral.receivedAt, asOf);
  const seen = view.interventions.some((i) => i.withChild && i.deliveredAt.getTime() >= referral.receivedAt.getTime());
  if (seen || waited <= limit) return [];
  return [
    {
      rule: 'SLOW_START',
      severity: severityForRisk(view),
      explanation: `No intervention with the child has been recorded in the ${plural(wholeDaysBetween(referral.receivedAt, asOf), 'day')} since the referral from ${agencyName(referral.sourceAgency)} on ${formatDate(referral.receivedAt)}, more than the ${limit} days allowed; arrange a first direct contact now.`,
      evidence: [referral.eventId],
      key: `SLOW_START:${referral.referralId}`,
    },
  ];
};
