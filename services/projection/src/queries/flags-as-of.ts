import type { Flag as ContractFlag } from '@syv/contracts';
import { contractFlag } from '../fold/alerts.js';
import type { StoredFlag } from './stored-flags.js';
import { evaluateClosure, evaluateTimeRules, historyAsOf, languageFlags, type CaseHistory } from '../rules/index.js';
import type { Thresholds } from '@syv/area-config';
import type { CaseSummary } from './case-summary.js';

/**
 * The flags a case had at `asOf`, from its history with the pure rules: the time rules then, the
 * closure rules on the request pending then (until it was rejected or the case reopened), the
 * labelling in notes written by then, and re-referral flags whose referral came by then (those
 * are found across cases, so the stored ones are passed in).
 */
export function flagsAsOf(
  history: CaseHistory,
  asOf: Date,
  closure: CaseSummary['closure'],
  thresholds: Thresholds,
  reReferralFlags: readonly StoredFlag[],
): ContractFlag[] {
  const view = historyAsOf(history, asOf);
  const time = evaluateTimeRules(history, asOf, thresholds);
  const reopenedAfter = closure !== null && view.reopenings.some((r) => r.reopenedAt.getTime() > Date.parse(closure.requestedAt));
  const closureFlags = closure !== null && closure.status !== 'rejected' && !reopenedAfter ? evaluateClosure(history, closure.closureRequestId, thresholds) : [];
  const language = languageFlags(view);
  const reReferral = reReferralFlags.filter((f) => f.since.getTime() <= asOf.getTime());
  return [
    ...[...closureFlags, ...time, ...language].map(contractFlag),
    ...reReferral.map((f) => ({ rule: f.rule as ContractFlag['rule'], severity: f.severity as ContractFlag['severity'], explanation: f.explanation, evidence: f.evidence })),
  ];
}
