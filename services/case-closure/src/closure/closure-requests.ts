import type pg from 'pg';
import type { AnyEvent, ClosureReason, ClosureRequestStatus, Flag } from '@syv/contracts';
import type { Migration } from '@syv/event-store';

// The closure requests as a reader asks for them (GET /v1/closure-requests/{id}), written in the
// same transaction as the events that change them, so a 202 is always followed by a readable status.

export function closureRequestMigrations(): Migration[] {
  return [
    {
      component: 'case-closure',
      version: 1,
      name: 'closure_requests',
      sql: `
CREATE TABLE closure_requests (
  closure_request_id uuid PRIMARY KEY,
  case_id uuid NOT NULL,
  area text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending_assessment', 'held_for_review', 'closed', 'rejected')),
  reason text NOT NULL,
  flags jsonb NOT NULL DEFAULT '[]'::jsonb,
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL,
  decided_by text,
  decided_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX closure_requests_case ON closure_requests (case_id);
CREATE INDEX closure_requests_held ON closure_requests (area, status);`,
    },
  ];
}

interface ClosureRequestRow {
  closureRequestId: string;
  caseId: string;
  area: string;
  status: ClosureRequestStatus;
  reason: ClosureReason;
  flags: Flag[];
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
}

export async function projectClosureRequests(client: pg.PoolClient, schema: string, events: AnyEvent[]): Promise<void> {
  for (const event of events) {
    switch (event.type) {
      case 'closure.requested.v1':
        await client.query(
          `INSERT INTO ${schema}.closure_requests (closure_request_id, case_id, area, status, reason, requested_by, requested_at)
           VALUES ($1, $2, $3, 'pending_assessment', $4, $5, $6) ON CONFLICT DO NOTHING`,
          [event.data.closureRequestId, event.data.caseId, event.area, event.data.reason, event.actor.sub, event.data.requestedAt],
        );
        break;
      case 'closure.held.v1':
        await client.query(`UPDATE ${schema}.closure_requests SET status = 'held_for_review', flags = $2::jsonb, updated_at = now() WHERE closure_request_id = $1`, [
          event.data.closureRequestId,
          JSON.stringify(event.data.flags),
        ]);
        break;
      case 'case.closed.v1':
        await client.query(
          `UPDATE ${schema}.closure_requests SET status = 'closed', decided_by = $2, decided_at = $3, updated_at = now() WHERE closure_request_id = $1`,
          [event.data.closureRequestId, event.data.approvedBy ?? null, event.data.closedAt],
        );
        break;
      case 'closure.rejected.v1':
        await client.query(
          `UPDATE ${schema}.closure_requests SET status = 'rejected', decided_by = $2, decided_at = $3, updated_at = now() WHERE closure_request_id = $1`,
          [event.data.closureRequestId, event.data.rejectedBy, event.time],
        );
        break;
      default:
        break;
    }
  }
}

interface Row {
  closure_request_id: string;
  case_id: string;
  area: string;
  status: ClosureRequestStatus;
  reason: ClosureReason;
  flags: Flag[];
  requested_by: string;
  requested_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

export async function findClosureRequest(db: pg.Pool, schema: string, id: string): Promise<ClosureRequestRow | undefined> {
  const { rows } = await db.query<Row>(`SELECT * FROM ${schema}.closure_requests WHERE closure_request_id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Closure requests of some areas, oldest request first (the one waiting longest), a page at a time. */
export async function listClosureRequests(
  db: pg.Pool,
  schema: string,
  f: { areas: readonly string[]; status?: ClosureRequestStatus | undefined; limit: number; offset: number },
): Promise<ClosureRequestRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM ${schema}.closure_requests WHERE area = ANY($1::text[]) AND ($2::text IS NULL OR status = $2)
      ORDER BY requested_at, closure_request_id LIMIT $3 OFFSET $4`,
    [f.areas, f.status ?? null, f.limit, f.offset],
  );
  return rows.map(fromRow);
}

function fromRow(r: Row): ClosureRequestRow {
  return {
    closureRequestId: r.closure_request_id,
    caseId: r.case_id,
    area: r.area,
    status: r.status,
    reason: r.reason,
    flags: r.flags,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    ...(r.decided_by ? { decidedBy: r.decided_by } : {}),
    ...(r.decided_at ? { decidedAt: r.decided_at.toISOString() } : {}),
  };
}
