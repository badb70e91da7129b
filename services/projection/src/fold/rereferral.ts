import { evaluateRereferral, type ClosureItem, type Flag, type ReferralItem } from '../rules/index.js';
import type { Thresholds } from '@syv/area-config';
import { alertCandidates, type AlertCandidate, type AlertCause } from './alerts.js';

/** A referral of the child as the re-referral rule reads it across cases, with what its alert is attributed to. */
export interface ChildReferral extends Pick<ReferralItem, 'eventId' | 'referralId' | 'sourceAgency' | 'receivedAt' | 'reReferral'> {
  caseId: string;
  cause: AlertCause;
  recordedAt: Date;
}

/** Every referral and closure of one child in one area, across the child's cases. */
export interface ChildFacts {
  area: string;
  childId: string;
  referrals: ChildReferral[];
  closures: ClosureItem[];
}

export interface ChildFlag {
  /** The case of the closure the flag questions: the flag sits there. */
  caseId: string;
  flag: Flag;
  since: Date;
}

export interface ChildRereferrals {
  flags: ChildFlag[];
  alerts: AlertCandidate[];
  /** Referrals a flag names: they count as re-referrals in the statistics. */
  cited: string[];
}

export const childKey = (area: string, childId: string) => `${area}/${childId}`;

const byTimeThenId = (a: ChildReferral, b: ChildReferral) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0);

/**
 * REREFERRAL_AFTER_CLOSURE over all of one child's cases: each referral against the closures of
 * the child's other cases. A closure is flagged once, for the earliest referral that came back
 * within the window; the flag sits on the closed case. A function of the child's facts alone, so
 * it gives the same flags whatever order the cases' partitions were applied in.
 */
export function childRereferrals(child: ChildFacts, thresholds: Thresholds): ChildRereferrals {
  const byCase = new Map<string, ChildReferral[]>();
  for (const r of [...child.referrals].sort(byTimeThenId)) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r]);
  const chosen = new Map<string, { flag: Flag; referral: ChildReferral; caseId: string }>();
  for (const [caseId, referrals] of byCase) {
    for (const flag of evaluateRereferral({ caseId, referrals }, child.closures, thresholds)) {
      const [closureEventId, referralEventId] = flag.evidence;
      const closure = child.closures.find((c) => c.eventId === closureEventId);
      const referral = referrals.find((r) => r.eventId === referralEventId);
      if (!closure || !referral) throw new Error(`re-referral flag ${flag.key} names evidence that is not among the child's facts`);
      const had = chosen.get(flag.key);
      if (!had || byTimeThenId(referral, had.referral) < 0) chosen.set(flag.key, { flag, referral, caseId: closure.caseId });
    }
  }
  const picked = [...chosen.values()].sort((a, b) => (a.flag.key < b.flag.key ? -1 : 1));
  return {
    flags: picked.map((p) => ({ caseId: p.caseId, flag: p.flag, since: p.referral.receivedAt })),
    alerts: picked.flatMap((p) =>
      alertCandidates({ caseId: p.caseId, area: child.area, flags: [p.flag], raisedAt: p.referral.receivedAt, recordedAt: p.referral.recordedAt, cause: p.referral.cause }),
    ),
    cited: picked.map((p) => p.referral.referralId),
  };
}
