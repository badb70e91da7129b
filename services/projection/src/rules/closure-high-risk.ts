import { closureContext, closureKey } from './closure-context.js';
import type { Rule } from './flag.js';
import { currentRisk } from './risk.js';
import { formatDate } from './words.js';

/** CLOSURE_HIGH_RISK: the report's "closing cases prematurely by overlooking the risks of youth violence in the community". */
export const closureHighRisk: Rule = (history, asOf) => {
  const ctx = closureContext(history, asOf);
  if (!ctx) return [];
  const risk = currentRisk(ctx.view);
  if (!risk || (risk.level !== 'high' && !risk.extraFamilialHarm)) return [];
  const what = [risk.level === 'high' ? 'rates the risk high' : undefined, risk.extraFamilialHarm ? 'records harm outside the home' : undefined].filter(Boolean).join(' and ');
  return [
    {
      rule: 'CLOSURE_HIGH_RISK',
      severity: 'high',
      explanation: `Closure was requested on ${formatDate(ctx.request.requestedAt)} while ${risk.source} ${what}; reassess the risk in the community before closing.`,
      evidence: [...risk.evidence, ctx.request.eventId],
      key: closureKey('CLOSURE_HIGH_RISK', ctx.request),
    },
  ];
};
