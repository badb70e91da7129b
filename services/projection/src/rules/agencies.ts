import type { CaseHistory } from './history.js';

/**
 * The agencies working with the child: each that delivered an intervention, and each whose onward
 * referral has started, since that agency's sessions are usually recorded in its own system, not
 * here. One definition for CLOSURE_SINGLE_AGENCY and for the `agencies` the case queries answer,
 * so a case the rule calls single-agency never shows two agencies, nor the reverse. Sorted, each once.
 */
export function agenciesWorkingWith(interventionAgencies: Iterable<string>, startedOnwardAgencies: Iterable<string>): string[] {
  return [...new Set([...interventionAgencies, ...startedOnwardAgencies])].sort();
}

/** {@link agenciesWorkingWith} of a case's history (as of whatever point the history was cut at). */
export function agenciesOfCase(view: Pick<CaseHistory, 'interventions' | 'onwardReferrals'>): string[] {
  return agenciesWorkingWith(
    view.interventions.map((i) => i.agency),
    view.onwardReferrals.filter((o) => o.started).map((o) => o.agency),
  );
}
