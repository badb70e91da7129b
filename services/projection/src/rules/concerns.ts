import type { Concern } from './contract.js';
import type { CaseHistory, ReferralItem } from './history.js';

/**
 * Concerns that make a case one of violence or exploitation, where support shorter than a
 * keyworker programme's 12 weeks is premature. Online harm, mental health, missing episodes and
 * school exclusion are serious too, but are not what the minimum-length evidence was about.
 */
const VIOLENCE_OR_EXPLOITATION_CONCERNS: readonly Concern[] = [
  'serious_youth_violence_victim',
  'serious_youth_violence_harming',
  'criminal_exploitation',
  'sexual_exploitation',
  'extra_familial_harm',
  'weapon_carrying',
];

interface ConcernsFound {
  concerns: Concern[];
  referrals: ReferralItem[];
}

/** The violence or exploitation concerns any referral of the case raised, in the set's order. */
export function violenceOrExploitationConcerns(history: CaseHistory): ConcernsFound {
  const referrals = history.referrals.filter((r) => r.concerns.some((c) => VIOLENCE_OR_EXPLOITATION_CONCERNS.includes(c)));
  const raised = new Set(referrals.flatMap((r) => r.concerns));
  return { concerns: VIOLENCE_OR_EXPLOITATION_CONCERNS.filter((c) => raised.has(c)), referrals };
}
