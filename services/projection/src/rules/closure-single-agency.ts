import { agenciesOfCase } from './agencies.js';
import { closureContext, closureKey } from './closure-context.js';
import type { Rule } from './flag.js';
import { currentRisk } from './risk.js';
import { agencyName, formatDate, plural } from './words.js';

/**
 * CLOSURE_SINGLE_AGENCY: "work together more collaboratively". The agencies are those
 * {@link agenciesOfCase} counts, so an onward referral that has started counts as a second agency
 * working with the child. A case with no intervention at all is left to
 * CLOSURE_NO_RECENT_CONTACT and CLOSURE_SHORT_SUPPORT.
 */
export const closureSingleAgency: Rule = (history, asOf) => {
  const ctx = closureContext(history, asOf);
  if (!ctx) return [];
  const { request, view } = ctx;
  const risk = currentRisk(view);
  if (!risk || risk.level === 'low') return [];
  const agencies = agenciesOfCase(view);
  const only = view.interventions[0]?.agency;
  if (only === undefined || agencies.length !== 1) return [];
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
