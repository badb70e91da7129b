import type { Agency, CaseEvent } from '@syv/contracts';
import { createPrng } from '@syv/test-harness';
import { caseStory } from './case-story.js';

const AGENCIES: Agency[] = ['social_care', 'youth_service', 'school', 'health', 'vcs'];
const NOTES = ['Met at the youth club; planned the summer.', 'He is streetwise and hard to engage.', 'Talked about getting home safely.', 'She keeps putting herself at risk.'];

/**
 * Cases of every kind the rules look at: slow starts, gaps, onward referrals that start or wait,
 * incidents, risk assessments, labelling in notes, closures (clean and flagged), reopenings and
 * children referred again after a closure. Returned in the order a topic would carry them.
 * `maxSessions` bounds the interventions per case (uniform from 3 to it, inclusive); `corrections`
 * also corrects some notes later (a phrase removed, kept or brought in). Without it the log is the
 * one the recorded checksums were taken of.
 */
export function mixedLog(cases: number, seed = 7, start = new Date('2024-01-01T09:00:00Z'), { maxSessions = 17, corrections = false }: { maxSessions?: number; corrections?: boolean } = {}): CaseEvent[] {
  const { next: rnd, pick } = createPrng(seed);
  const stories = [];
  for (let c = 0; c < cases; c++) {
    const s = caseStory(new Date(start.getTime() + Math.floor(rnd() * 60) * 86_400_000), { childId: `child-${seed}-${c % Math.ceil(cases * 0.8)}` });
    s.referral(0, { concerns: [pick(['criminal_exploitation', 'mental_health', 'serious_youth_violence_victim'] as const)], riskLevel: pick(['low', 'medium', 'high'] as const) });
    let day = Math.floor(rnd() * 20);
    const sessions = 3 + Math.floor(rnd() * (maxSessions - 2));
    const onward = rnd() < 0.4 ? s.onward(2 + Math.floor(rnd() * 10), pick(['camhs', 'housing', 'health'] as const)) : undefined;
    for (let i = 0; i < sessions; i++) {
      const session = s.intervention(day, { agency: rnd() < 0.7 ? 'social_care' : pick(AGENCIES), notes: pick(NOTES) });
      if (corrections && rnd() < 0.2) s.amend(day + 1 + Math.floor(rnd() * 5), session, 'notes', pick(NOTES));
      day += 1 + Math.floor(rnd() * (rnd() < 0.1 ? 40 : 10));
      if (rnd() < 0.1) s.incident(day, { severity: pick(['low', 'medium', 'high'] as const) });
      if (rnd() < 0.1) s.risk(day, pick(['low', 'medium', 'high'] as const), rnd() < 0.3);
    }
    if (onward && rnd() < 0.5) s.started(day, onward.data.onwardReferralId);
    if (rnd() < 0.6) {
      const request = s.requestClosure(day + 1);
      if (rnd() < 0.8) s.close(day + 1, request.data.closureRequestId);
      if (rnd() < 0.2) s.reopen(day + 30);
    }
    stories.push(s);
  }
  // Interleave the cases as concurrent work would, each case's events in their own order.
  const queues = stories.map((s) => [...s.events]);
  const out: CaseEvent[] = [];
  while (queues.some((q) => q.length > 0)) {
    const q = pick(queues.filter((x) => x.length > 0));
    out.push(q.shift()!);
  }
  return out;
}
