import { closureContext, closureKey } from './closure-context.js';
import { daysBetween, wholeDaysBetween } from './days.js';
import type { Rule } from './flag.js';
import { higherRisk } from './risk.js';
import { formatDate, incidentName, plural } from './words.js';

/**
 * CLOSURE_RECENT_INCIDENT. "Within N days" includes the Nth day: an incident exactly N days
 * before the request fires, one N days and a moment before does not.
 */
export const closureRecentIncident: Rule = (history, asOf, thresholds) => {
  const ctx = closureContext(history, asOf);
  if (!ctx) return [];
  const { request } = ctx;
  const limit = thresholds.closureRecentIncidentDays;
  const recent = ctx.view.incidents.filter((i) => daysBetween(i.occurredAt, request.requestedAt) <= limit);
  const latest = recent.at(-1);
  if (!latest) return [];
  const others = recent.length > 1 ? ` (${plural(recent.length, 'incident')} in the ${limit} days before)` : '';
  return [
    {
      rule: 'CLOSURE_RECENT_INCIDENT',
      severity: recent.map((i) => i.severity).reduce(higherRisk),
      explanation: `Closure was requested on ${formatDate(request.requestedAt)}, ${plural(wholeDaysBetween(latest.occurredAt, request.requestedAt), 'day')} after a ${latest.severity}-severity incident (${incidentName(latest.kind)}) on ${formatDate(latest.occurredAt)}${others}; review the child's safety since that incident before closing.`,
      evidence: [...recent.map((i) => i.eventId), request.eventId],
      key: closureKey('CLOSURE_RECENT_INCIDENT', request),
    },
  ];
};
