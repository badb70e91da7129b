import { closureContext, closureKey } from './closure-context.js';
import type { Rule } from './flag.js';
import { currentRisk } from './risk.js';
import { agencyName, formatDate, plural } from './words.js';

/**
 * CLOSURE_SINGLE_AGENCY: "work together more collaboratively". An onward referral that
 * has started counts as a second agency working with the child, since that agency's sessions are
 * usually recorded in its own system, not here. A case with no intervention at all is left to
 * CLOSURE_NO_RECENT_CONTACT and CLOSURE_SHORT_SUPPORT.
 */
export const closureSingleAgency: Rule = (history, asOf) => {
  const ctx = closureContext(history, asOf);
  if (!ctx) return [];
  const { request, view } = ctx;
  const risk = currentRisk(view);
  if (!risk || risk.level === 'low') return [];
  const agencies = new Set<string>([...view.interventions.map((i) => i.agency), ...view.onwardReferrals.filter((o) => o.started).map((o) => o.agency)]);
  const only = view.interventions[0]?.agency;
  if (only === undefined || agencies.size !== 1) return [];
  return [
    {
      rule: 'CLOSURE_SINGLE_AGENCY',
      severity: risk.level,
      explanation: `Closure was requested on ${formatDate(request.requestedAt)} for a ${risk.level}-risk case, as ${risk.source} rates it, on which only ${agencyName(only)} has worked (${plural(view.interventions.length, 'intervention')}); check which other agencies should be involved before closing.`,
      evidence: [...risk.evidence, ...view.interventions.map((i) => i.eventId), request.eventId],
      key: closureKey('CLOSURE_SINGLE_AGENCY', request),
    },
  ];
};
