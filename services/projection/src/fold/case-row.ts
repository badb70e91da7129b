import { currentRisk, isClosed } from '../rules/index.js';
import type { CaseState } from './case-state.js';

/** What the case list filters and shows, derived from the case's state (no clock). */
export interface CaseRow {
  caseId: string;
  area: string;
  childId: string | null;
  status: 'open' | 'closed';
  riskLevel: string | null;
  openedAt: Date | null;
  closedAt: Date | null;
  closureReason: string | null;
  firstInterventionAt: Date | null;
  lastContactAt: Date | null;
  agencies: string[];
  eventCount: number;
  lastRecordedAt: Date;
  flagsAsOf: Date | null;
  nextSweepAt: Date | null;
  allocatedTo: string | null;
}

export function caseRowOf(state: CaseState): CaseRow {
  const history = state.facts.history;
  const closed = isClosed(history);
  const closure = closed ? history.closures.at(-1) : undefined;
  return {
    caseId: state.caseId,
    area: history.area ?? state.firstArea,
    childId: history.childId ?? null,
    status: closed ? 'closed' : 'open',
    riskLevel: currentRisk(history)?.level ?? null,
    openedAt: history.openedAt ?? history.referrals[0]?.receivedAt ?? null,
    closedAt: closure?.closedAt ?? null,
    closureReason: closure?.reason ?? null,
    firstInterventionAt: history.interventions[0]?.deliveredAt ?? null,
    lastContactAt: history.interventions.filter((i) => i.withChild).at(-1)?.deliveredAt ?? null,
    agencies: [...new Set(history.interventions.map((i) => i.agency))].sort(),
    eventCount: state.eventCount,
    lastRecordedAt: state.lastRecordedAt,
    flagsAsOf: state.flagsAsOf,
    nextSweepAt: state.nextSweepAt,
    allocatedTo: state.allocatedTo ?? null,
  };
}

/** The area the case's rules and alerts belong to. */
export const areaOf = (state: CaseState): string => state.facts.history.area ?? state.firstArea;
