import type { CommandService } from '@syv/command-service';
import { childStreamId } from '../referral/decider.js';
import { retentionSchedule, type RetainedCase, type RetentionSchedule } from './due.js';

interface CaseRow {
  case_id: string;
  child_id: string;
  area: string;
  status: 'open' | 'closed';
  closed_at: Date | null;
}

/**
 * The retention schedule of some areas at `now`, from this service's case view (every case and
 * when it closed) and the erasures recorded on the children's streams. Only the streams of
 * children whose cases are all closed are read, by their ids.
 */
export async function scheduleOf(service: CommandService, areas: readonly string[], now: Date): Promise<RetentionSchedule> {
  const { pool, schema } = service.store;
  const { rows } = await pool.query<CaseRow>(`SELECT case_id, child_id, area, status, closed_at FROM ${schema}.case_view WHERE area = ANY($1::text[])`, [areas]);
  const cases: RetainedCase[] = rows.map((r) => ({ caseId: r.case_id, childId: r.child_id, area: r.area, status: r.status, ...(r.closed_at ? { closedAt: r.closed_at.toISOString() } : {}) }));
  const open = new Set(cases.filter((c) => c.status === 'open').map((c) => childStreamId(c.area, c.childId)));
  const streams = [...new Set(cases.map((c) => childStreamId(c.area, c.childId)))].filter((s) => !open.has(s));
  const erased = await pool.query<{ case_id: string }>(
    `SELECT DISTINCT data->>'caseId' AS case_id FROM ${schema}.events WHERE stream_id = ANY($1::text[]) AND type = 'child.erased.v1'`,
    [streams],
  );
  return retentionSchedule({
    cases,
    erasedCases: new Set(erased.rows.map((r) => r.case_id)),
    yearsFor: (area) => service.rulesFor(area).thresholds.retentionYearsAfterClosure,
    now,
  });
}

/** Every area this service has a case in: what the job goes through. */
export async function areasWithCases(service: CommandService): Promise<string[]> {
  const { rows } = await service.store.pool.query<{ area: string }>(`SELECT DISTINCT area FROM ${service.store.schema}.case_view ORDER BY area`);
  return rows.map((r) => r.area);
}
