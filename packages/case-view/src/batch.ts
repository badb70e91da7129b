import type pg from 'pg';
import type { CaseRow, CaseViewEvent } from './view.js';

/** The event types the case view reads; the view ignores every other case event. */
export const caseViewEventTypes: ReadonlySet<string> = new Set(['case.opened.v1', 'case.closed.v1', 'case.reopened.v1']);

/** What a batch of events does to the view, per case: a row to add (if absent) and the status it ends with. */
export interface CaseViewChanges {
  /** Cases opened in the batch, with the status they have at its end. Inserted only if absent. */
  opened: Map<string, CaseRow>;
  /** Cases whose status the batch changes, and how it leaves them. */
  status: Map<string, { status: 'open' | 'closed'; closedAt: string | null }>;
}

/** Pure: the batch folded in order, so that writing the result equals applying each event in turn. */
export function caseViewChanges(events: readonly CaseViewEvent[]): CaseViewChanges {
  const opened = new Map<string, CaseRow>();
  const status = new Map<string, { status: 'open' | 'closed'; closedAt: string | null }>();
  for (const event of events) {
    switch (event.type) {
      case 'case.opened.v1': {
        const d = event.data as { caseId: string; childId: string; area: string; openedAt: string };
        if (!opened.has(d.caseId)) opened.set(d.caseId, { caseId: d.caseId, childId: d.childId, area: d.area, status: 'open', openedAt: d.openedAt });
        break;
      }
      case 'case.closed.v1':
      case 'case.reopened.v1': {
        const d = event.data as { caseId: string; closedAt?: string };
        const next = event.type === 'case.closed.v1' ? { status: 'closed' as const, closedAt: d.closedAt ?? null } : { status: 'open' as const, closedAt: null };
        status.set(d.caseId, next);
        const row = opened.get(d.caseId);
        if (row) {
          const { closedAt: _dropped, ...rest } = row;
          opened.set(d.caseId, next.closedAt ? { ...rest, status: next.status, closedAt: next.closedAt } : { ...rest, status: next.status });
        }
        break;
      }
    }
  }
  return { opened, status };
}

/**
 * Writes a batch's changes in at most two statements: the opened cases (a case already there is
 * left as it is, as applying its case.opened again would) and the status changes. Idempotent.
 */
export async function writeCaseViewChanges(db: Pick<pg.ClientBase, 'query'>, schema: string, changes: CaseViewChanges): Promise<void> {
  if (changes.opened.size > 0) {
    await db.query(
      `INSERT INTO ${schema}.case_view (case_id, child_id, area, status, opened_at, closed_at)
       SELECT r.case_id, r.child_id, r.area, r.status, r.opened_at, r.closed_at
         FROM jsonb_to_recordset($1::jsonb) AS r(case_id uuid, child_id text, area text, status text, opened_at timestamptz, closed_at timestamptz)
       ON CONFLICT (case_id) DO NOTHING`,
      [JSON.stringify([...changes.opened.values()].map((c) => ({ case_id: c.caseId, child_id: c.childId, area: c.area, status: c.status, opened_at: c.openedAt, closed_at: c.closedAt ?? null })))],
    );
  }
  if (changes.status.size > 0) {
    await db.query(
      `UPDATE ${schema}.case_view AS v SET status = s.status, closed_at = s.closed_at, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS s(case_id uuid, status text, closed_at timestamptz)
        WHERE v.case_id = s.case_id`,
      [JSON.stringify([...changes.status].map(([caseId, s]) => ({ case_id: caseId, status: s.status, closed_at: s.closedAt })))],
    );
  }
}
