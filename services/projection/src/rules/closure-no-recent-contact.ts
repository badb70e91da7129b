import { closureContext, closureKey } from './closure-context.js';
import { daysBetween, wholeDaysBetween } from './days.js';
import type { Rule } from './flag.js';
import { agencyName, formatDate, humanise, plural } from './words.js';

/**
 * CLOSURE_NO_RECENT_CONTACT. Only interventions with the child count: work with the family
 * alone does not tell anyone how the child is. Contact exactly N days before the request is
 * within the window and does not fire.
 */
export const closureNoRecentContact: Rule = (history, asOf, thresholds) => {
  const ctx = closureContext(history, asOf);
  if (!ctx) return [];
  const { request } = ctx;
  const window = thresholds.closureNoRecentContactDays;
  const last = ctx.view.interventions.filter((i) => i.withChild).at(-1);
  if (last && daysBetween(last.deliveredAt, request.requestedAt) <= window) return [];
  const explanation = last
    ? `Closure was requested on ${formatDate(request.requestedAt)} but the child was last seen ${plural(wholeDaysBetween(last.deliveredAt, request.requestedAt), 'day')} earlier (${humanise(last.kind)} by ${agencyName(last.agency)} on ${formatDate(last.deliveredAt)}), more than ${window} days; see the child before closing.`
    : `Closure was requested on ${formatDate(request.requestedAt)} but no intervention with the child has been recorded on this case; see the child before closing.`;
  return [
    {
      rule: 'CLOSURE_NO_RECENT_CONTACT',
      severity: 'medium',
      explanation,
      evidence: [...(last ? [last.eventId] : []), request.eventId],
      key: closureKey('CLOSURE_NO_RECENT_CONTACT', request),
    },
  ];
};
