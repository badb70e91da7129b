import type pg from 'pg';
import { caseViewChanges, writeCaseViewChanges } from './batch.js';

type Db = pg.Pool | pg.PoolClient;

export interface CaseRow {
  caseId: string;
  childId: string;
  area: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt?: string;
}

/** The case-events that change the view; anything else leaves it as it is. */
export type CaseViewEvent =
  | { type: 'case.opened.v1'; data: { caseId: string; childId: string; area: string; openedAt: string } }
  | { type: 'case.closed.v1'; data: { caseId: string; closedAt: string } }
  | { type: 'case.reopened.v1'; data: { caseId: string; reopenedAt: string } }
  | { type: string; data: unknown };

/** Idempotent: applying the same event twice leaves the same row. One event, written as a batch of one. */
export async function applyToCaseView(db: Db, schema: string, event: CaseViewEvent): Promise<void> {
  await writeCaseViewChanges(db, schema, caseViewChanges([event]));
}

interface Row {
  case_id: string;
  child_id: string;
  area: string;
  status: 'open' | 'closed';
  opened_at: Date;
  closed_at: Date | null;
}

function toCase(r: Row): CaseRow {
  return {
    caseId: r.case_id,
    childId: r.child_id,
    area: r.area,
    status: r.status,
    openedAt: r.opened_at.toISOString(),
    ...(r.closed_at ? { closedAt: r.closed_at.toISOString() } : {}),
  };
}

export async function findCase(db: Db, schema: string, caseId: string): Promise<CaseRow | undefined> {
  const res = await db.query<Row>(`SELECT * FROM ${schema}.case_view WHERE case_id = $1`, [caseId]);
  return res.rows[0] ? toCase(res.rows[0]) : undefined;
}

export async function casesOfChild(db: Db, schema: string, area: string, childId: string): Promise<CaseRow[]> {
  const res = await db.query<Row>(`SELECT * FROM ${schema}.case_view WHERE area = $1 AND child_id = $2 ORDER BY opened_at`, [area, childId]);
  return res.rows.map(toCase);
}

/**
 * A case opened a moment ago may not have reached this service's view yet (outbox relay, then
 * Kafka, then this consumer: usually well under a second). Look again for a short while before
 * answering that it does not exist.
 */
export async function waitForCase(db: pg.Pool, schema: string, caseId: string, waitMs: number): Promise<CaseRow | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = await findCase(db, schema, caseId);
    if (found || Date.now() >= deadline) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}
