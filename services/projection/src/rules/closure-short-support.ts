import { closureContext, closureKey } from './closure-context.js';
import { violenceOrExploitationConcerns } from './concerns.js';
import { daysBetween, wholeDaysBetween } from './days.js';
import type { Rule } from './flag.js';
import { formatDate, humanise, listOf, plural } from './words.js';

/**
 * CLOSURE_SHORT_SUPPORT: keyworker programmes run at least 12 weeks. "Shorter than N days"
 * is strict: support of exactly N days has met the minimum and does not fire. A case with no
 * intervention at all has had no support and fires.
 */
export const closureShortSupport: Rule = (history, asOf, thresholds) => {
  const ctx = closureContext(history, asOf);
  if (!ctx) return [];
  const { request, view } = ctx;
  const { concerns, referrals } = violenceOrExploitationConcerns(view);
  if (concerns.length === 0) return [];
  const minimum = thresholds.closureShortSupportDays;
  const first = view.interventions[0];
  if (first && daysBetween(first.deliveredAt, request.requestedAt) >= minimum) return [];
  const why = `on a case with concerns of ${listOf(concerns.map(humanise))}`;
  const explanation = first
    ? `Support lasted ${plural(wholeDaysBetween(first.deliveredAt, request.requestedAt), 'day')} (first intervention on ${formatDate(first.deliveredAt)}, closure requested on ${formatDate(request.requestedAt)}), less than the ${minimum}-day minimum ${why}; consider continuing support.`
    : `Closure was requested on ${formatDate(request.requestedAt)} with no intervention recorded ${why}, where support should last at least ${minimum} days; consider starting support instead.`;
  return [
    {
      rule: 'CLOSURE_SHORT_SUPPORT',
      severity: 'medium',
      explanation,
      evidence: [...referrals.map((r) => r.eventId), ...(first ? [first.eventId] : []), request.eventId],
      key: closureKey('CLOSURE_SHORT_SUPPORT', request),
    },
  ];
};
