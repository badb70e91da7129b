import type pg from 'pg';
import type { CaseEvent } from '@syv/contracts';

export type { LogPosition } from '../fold/slice.js';

/**
 * One case's events in log order, from the archive (for history, as-of views and the audit; the
 * apply path never reads them). All of a case's events share a partition (the key is the caseId),
 * so the offset orders them; the topic comes first only to keep a re-keyed topic apart.
 */
export async function loadCaseEvents(db: pg.ClientBase | pg.Pool, schema: string, caseId: string): Promise<CaseEvent[]> {
  const { rows } = await db.query<{ envelope: CaseEvent }>(
    `SELECT envelope FROM ${schema}.case_events WHERE case_id = $1 ORDER BY topic, partition, "offset"`,
    [caseId],
  );
  return rows.map((r) => r.envelope);
}
