import type pg from 'pg';
import type { CaseRow } from './case-row.js';

/** Locks the case's row for this transaction (the sweep and the consumer may meet on a case). */
export interface LockedCase {
  flagsAsOf: Date | null;
  area: string;
  status: 'open' | 'closed';
  lastRecordedAt: Date;
}

export async function lockCase(client: pg.ClientBase, schema: string, caseId: string): Promise<LockedCase | undefined> {
  const { rows } = await client.query<{ flags_as_of: Date | null; area: string; status: 'open' | 'closed'; last_recorded_at: Date }>(
    `SELECT flags_as_of, area, status, last_recorded_at FROM ${schema}.cases WHERE case_id = $1 FOR UPDATE`,
    [caseId],
  );
  const row = rows[0];
  return row ? { flagsAsOf: row.flags_as_of, area: row.area, status: row.status, lastRecordedAt: row.last_recorded_at } : undefined;
}

/**
 * Open cases quiet since `quietSince` on which a time rule may have started to fire by `asOf`: one
 * page of at most `limit`, in case id order after `after` (a round pages through all of them, so
 * its memory does not grow with the number of cases).
 */
export async function casesToSweep(db: pg.Pool | pg.ClientBase, schema: string, asOf: Date, quietSince: Date, after: string | null = null, limit = 5_000): Promise<string[]> {
  const { rows } = await db.query<{ case_id: string }>(
    `SELECT case_id FROM ${schema}.cases
      WHERE status = 'open' AND last_recorded_at <= $2 AND (next_sweep_at IS NULL OR next_sweep_at <= $1)
        AND ($3::uuid IS NULL OR case_id > $3::uuid)
      ORDER BY case_id LIMIT $4`,
    [asOf, quietSince, after, limit],
  );
  return rows.map((r) => r.case_id);
}

/**
 * Writes the case's row. `timeCheck`, when given, is where the time rules now stand on the case
 * (see planTimeRules); without it the row keeps the values it had.
 */
export async function upsertCase(client: pg.ClientBase, schema: string, row: CaseRow, timeCheck?: { asOf: Date; nextSweepAt: Date }): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.cases (case_id, area, child_id, status, risk_level, opened_at, closed_at, closure_reason,
                                  first_intervention_at, last_contact_at, agencies, event_count, last_recorded_at, flags_as_of, next_sweep_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (case_id) DO UPDATE SET area = EXCLUDED.area, child_id = EXCLUDED.child_id, status = EXCLUDED.status,
       risk_level = EXCLUDED.risk_level, opened_at = EXCLUDED.opened_at, closed_at = EXCLUDED.closed_at,
       closure_reason = EXCLUDED.closure_reason, first_intervention_at = EXCLUDED.first_intervention_at,
       last_contact_at = EXCLUDED.last_contact_at, agencies = EXCLUDED.agencies, event_count = EXCLUDED.event_count,
       last_recorded_at = EXCLUDED.last_recorded_at,
       flags_as_of = COALESCE(EXCLUDED.flags_as_of, ${schema}.cases.flags_as_of),
       next_sweep_at = COALESCE(EXCLUDED.next_sweep_at, ${schema}.cases.next_sweep_at)`,
    [
      row.caseId,
      row.area,
      row.childId,
      row.status,
      row.riskLevel,
      row.openedAt,
      row.closedAt,
      row.closureReason,
      row.firstInterventionAt,
      row.lastContactAt,
      row.agencies,
      row.eventCount,
      row.lastRecordedAt,
      timeCheck?.asOf ?? null,
      timeCheck?.nextSweepAt ?? null,
    ],
  );
}

export async function setTimeRuleCheck(client: pg.ClientBase, schema: string, caseId: string, asOf: Date, nextSweepAt: Date): Promise<void> {
  await client.query(`UPDATE ${schema}.cases SET flags_as_of = $2, next_sweep_at = $3 WHERE case_id = $1`, [caseId, asOf, nextSweepAt]);
}
