import type { Thresholds } from '@syv/area-config';
import { closureHighRisk } from './closure-high-risk.js';
import { closureNoRecentContact } from './closure-no-recent-contact.js';
import { closurePendingOnwardReferral } from './closure-pending-onward-referral.js';
import { closureRecentIncident } from './closure-recent-incident.js';
import { closureShortSupport } from './closure-short-support.js';
import { closureSingleAgency } from './closure-single-agency.js';
import { contactGap } from './contact-gap.js';
import type { Flag, Rule } from './flag.js';
import type { CaseHistory, ClosureItem } from './history.js';
import { eventLanguageFlags, languageFlags } from './labelling-language.js';
import { longWait } from './long-wait.js';
import { onwardReferralDeclined } from './onward-referral-declined.js';
import { rereferralAfterClosure, type ReferralFacts } from './rereferral-after-closure.js';
import { slowStart } from './slow-start.js';
import { supportEndedEarly } from './support-ended-early.js';

export { agenciesOfCase, agenciesWorkingWith } from './agencies.js';
export { historyAsOf } from './as-of.js';
export { childViewsLastRecordedAt } from './child-views.js';
export type { Flag } from './flag.js';
export { addFact, buildCaseHistory, emptyFold, labellingAt, matcherOf } from './history.js';
export type { CaseHistory, FactFold, ClosureItem, ReferralItem, TextField } from './history.js';
export type { LabellingMatcher } from './labelling-language.js';
export { currentRisk } from './risk.js';
export { isWaiting, onwardStatus, waitEndedAt, type OnwardStatus } from './onward.js';
export { isClosed } from './status.js';
export { isUsedType } from './contract.js';
export { eventLanguageFlags, languageFlags };

const CLOSURE_RULES: readonly Rule[] = [closureHighRisk, closurePendingOnwardReferral, closureRecentIncident, closureShortSupport, closureNoRecentContact, closureSingleAgency];
// The rules of the case as it stands, asked at every event and by the sweep: three that fire on
// silence, and two on how an onward referral ended (a refusal, support that ended early).
const TIME_RULES: readonly Rule[] = [slowStart, contactGap, longWait, onwardReferralDeclined, supportEndedEarly];

/**
 * The closure rules at one closure request, seeing the case as it stood then: only facts dated at
 * or before the request, and no later closure request. An unknown request is an error, never an
 * empty list, because no flags would let the case close by itself.
 */
export function evaluateClosure(history: CaseHistory, closureRequestId: string, thresholds: Thresholds): Flag[] {
  const index = history.closureRequests.findIndex((r) => r.closureRequestId === closureRequestId);
  const request = history.closureRequests[index];
  if (!request) throw new Error(`closure request ${closureRequestId} is not in the history of case ${history.caseId}`);
  const atRequest: CaseHistory = { ...history, closureRequests: history.closureRequests.slice(0, index + 1) };
  return CLOSURE_RULES.flatMap((rule) => rule(atRequest, request.requestedAt, thresholds));
}

/** SLOW_START, CONTACT_GAP, LONG_WAIT, ONWARD_REFERRAL_DECLINED and SUPPORT_ENDED_EARLY at `asOf`, on a case open then; a closed case gives none. */
export function evaluateTimeRules(history: CaseHistory, asOf: Date, thresholds: Thresholds): Flag[] {
  return TIME_RULES.flatMap((rule) => rule(history, asOf, thresholds));
}

/** LABELLING_LANGUAGE over every free text of the case, as their findings were recorded. */
export function evaluateLanguage(history: CaseHistory): Flag[] {
  return languageFlags(history);
}

/**
 * REREFERRAL_AFTER_CLOSURE for every referral of a case, given the closures of the child's other
 * cases. Flags that name the same earlier closure are one flag: the first referral after it.
 */
export function evaluateRereferral(history: { caseId: string; referrals: readonly ReferralFacts[] }, earlierClosures: readonly ClosureItem[], thresholds: Thresholds): Flag[] {
  const others = earlierClosures.filter((c) => c.caseId !== history.caseId);
  const byKey = new Map<string, Flag>();
  for (const flag of history.referrals.flatMap((r) => rereferralAfterClosure(r, others, thresholds))) {
    if (!byKey.has(flag.key)) byKey.set(flag.key, flag);
  }
  return [...byKey.values()];
}
