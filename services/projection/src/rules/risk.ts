import type { HarmOutsideHomeKind, RiskLevel } from './contract.js';
import type { CaseHistory } from './history.js';
import { formatDate } from './words.js';

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

export function higherRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

interface CurrentRisk {
  level: RiskLevel;
  extraFamilialHarm: boolean;
  /** The kinds of harm outside the home the latest assessment found; absent when it did not record them (or before any assessment). */
  harmOutsideHome?: HarmOutsideHomeKind[];
  /** Where the level comes from, as a phrase: "the risk assessment of 3 March 2024". */
  source: string;
  evidence: string[];
}

/**
 * The case's risk as a worker last judged it: the latest risk assessment. Before any assessment,
 * the referrals speak: the highest level any referral gave, and extra-familial harm when a referral
 * raised it as a concern. A later low referral does not lower an unassessed high one, because
 * nobody has looked at that risk again.
 */
export function currentRisk(history: CaseHistory): CurrentRisk | undefined {
  const latest = history.riskAssessments.at(-1);
  if (latest) {
    return {
      level: latest.riskLevel,
      extraFamilialHarm: latest.extraFamilialHarm,
      ...(latest.harmOutsideHome === undefined ? {} : { harmOutsideHome: latest.harmOutsideHome }),
      source: `the risk assessment of ${formatDate(latest.assessedAt)}`,
      evidence: [latest.eventId],
    };
  }
  const first = history.referrals[0];
  if (!first) return undefined;
  const highest = history.referrals.reduce((top, r) => (RANK[r.riskLevel] > RANK[top.riskLevel] ? r : top), first);
  const efh = history.referrals.filter((r) => r.concerns.includes('extra_familial_harm'));
  return {
    level: highest.riskLevel,
    extraFamilialHarm: efh.length > 0,
    source: `the referral of ${formatDate(highest.receivedAt)} (not yet risk-assessed)`,
    evidence: [...new Set([highest.eventId, ...efh.map((r) => r.eventId)])],
  };
}

/** Time rules weigh silence by the child's risk: high risk makes every gap urgent. */
export function severityForRisk(history: CaseHistory): 'medium' | 'high' {
  return currentRisk(history)?.level === 'high' ? 'high' : 'medium';
}
