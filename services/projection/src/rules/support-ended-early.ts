import { daysBetween, wholeDaysBetween } from './days.js';
import type { Flag, Rule } from './flag.js';
import { openCaseAt } from './time-context.js';
import { agencyName, formatDate, plural } from './words.js';

/**
 * SUPPORT_ENDED_EARLY: "offer support for longer". Another agency's support ended because the
 * child disengaged, N days after it started or sooner (the Nth day is still early). Fires from the
 * end, on an open case, until an onward referral is made on or after that day (the same agency
 * again, or another one); acknowledging its alert takes it on.
 */
export const supportEndedEarly: Rule = (history, asOf, thresholds) => {
  const view = openCaseAt(history, asOf);
  if (!view) return [];
  const limit = thresholds.supportEndedEarlyDays;
  return view.onwardReferrals.flatMap((o): Flag[] => {
    const { started, ended } = o;
    if (!started || ended?.outcome !== 'disengaged' || daysBetween(started.startedAt, ended.endedAt) > limit) return [];
    if (view.onwardReferrals.some((later) => later !== o && later.referredAt.getTime() >= ended.endedAt.getTime())) return [];
    return [
      {
        rule: 'SUPPORT_ENDED_EARLY',
        severity: 'medium',
        explanation: `Support from ${agencyName(o.agency)} started on ${formatDate(started.startedAt)} and ended on ${formatDate(ended.endedAt)} after ${plural(wholeDaysBetween(started.startedAt, ended.endedAt), 'day')} because the child disengaged, within the ${limit} days that count as early; offer support for longer, at the child's pace.`,
        evidence: [o.eventId, started.eventId, ended.eventId],
        key: `SUPPORT_ENDED_EARLY:${o.onwardReferralId}`,
      },
    ];
  });
};
