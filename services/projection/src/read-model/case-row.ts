import type { CaseEvent } from '@syv/contracts';
import { currentRisk, isClosed, type CaseHistory } from '../rules/index.js';

/** What the case list filters and shows, derived from the whole history (no clock). */
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
}

export function caseRowOf(history: CaseHistory, events: readonly CaseEvent[]): CaseRow {
  const closed = isClosed(history);
  const closure = closed ? history.closures.at(-1) : undefined;
  const first = events[0];
  if (!first) throw new Error(`case ${history.caseId} has no events`);
  const lastRecorded = events.reduce((max, e) => (Date.parse(e.time) > max ? Date.parse(e.time) : max), Date.parse(first.time));
  return {
    caseId: history.caseId,
    area: history.area ?? first.area,
    childId: history.childId ?? null,
    status: closed ? 'closed' : 'open',
    riskLevel: currentRisk(history)?.level ?? null,
    openedAt: history.openedAt ?? history.referrals[0]?.receivedAt ?? null,
    closedAt: closure?.closedAt ?? null,
    closureReason: closure?.reason ?? null,
    firstInterventionAt: history.interventions[0]?.deliveredAt ?? null,
    lastContactAt: history.interventions.filter((i) => i.withChild).at(-1)?.deliveredAt ?? null,
    agencies: [...new Set(history.interventions.map((i) => i.agency))].sort(),
    eventCount: events.length,
    lastRecordedAt: new Date(lastRecorded),
  };
}
