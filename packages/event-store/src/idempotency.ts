import type { Queryable } from './db.js';
import { qualified } from './schema-name.js';

// Idempotency-Key records. Scope is the route plus the user, so two users (or two routes) never
// share a key space. The record is written with the command's events, so "the events exist" and
// "the answer is recorded" are one fact.
//
// A command records its answer in the append's own statement (append_events, through runCommand's
// `idempotency`): the look-up of the key comes first there, and a key answered before writes
// nothing. Concurrent duplicates: the record is inserted last, as INSERT … ON CONFLICT DO NOTHING
// on the primary key (scope, key). A second request with the same key that gets there while the
// first is still uncommitted waits on the first's index entry; when the first commits, the second's
// insert does nothing and its statement fails (SQLSTATE SYV02), undoing its events; tried again,
// it finds the first's record and answers with it. So exactly one request's events and record
// commit, and both callers get the first's answer. The functions below are the same rules for
// code that writes a record in a transaction of its own.

export interface IdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  status: number;
  response: unknown;
  createdAt: Date;
}

export type IdempotencyMatch = { kind: 'replay'; status: number; response: unknown } | { kind: 'mismatch' };

interface IdempotencyRow {
  scope: string;
  key: string;
  request_hash: string;
  status: number;
  response: unknown;
  created_at: Date;
}

export async function findIdempotent(db: Queryable, schema: string, scope: string, key: string): Promise<IdempotencyRecord | undefined> {
  const { rows } = await db.query<IdempotencyRow>(
    `SELECT scope, key, request_hash, status, response, created_at
       FROM ${qualified(schema, 'idempotency_keys')} WHERE scope = $1 AND key = $2`,
    [scope, key],
  );
  const row = rows[0];
  return row
    ? { scope: row.scope, key: row.key, requestHash: row.request_hash, status: row.status, response: row.response, createdAt: row.created_at }
    : undefined;
}

async function insertIdempotent(
  db: Queryable,
  schema: string,
  r: { scope: string; key: string; requestHash: string; status: number; response: unknown },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO ${qualified(schema, 'idempotency_keys')} (scope, key, request_hash, status, response)
     VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (scope, key) DO NOTHING`,
    [r.scope, r.key, r.requestHash, r.status, r.response === undefined ? null : JSON.stringify(r.response)],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Records the answer to (scope, key), in the caller's transaction. { ok: false, existing } when
 * another request recorded this key first (possibly concurrently): roll back and replay `existing`.
 */
export async function saveIdempotent(
  client: Queryable,
  schema: string,
  record: { scope: string; key: string; requestHash: string; status: number; response: unknown },
): Promise<{ ok: true } | { ok: false; existing: IdempotencyRecord }> {
  // Twice at most: the record this one clashed with can only vanish if expiry deleted it in between.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await insertIdempotent(client, schema, record)) return { ok: true };
    const existing = await findIdempotent(client, schema, record.scope, record.key);
    if (existing) return { ok: false, existing };
  }
  throw new Error(`idempotency key ${record.scope}/${record.key} neither inserted nor found`);
}

/** What a request carrying an already-recorded key gets: the same answer, or 422 for another body. */
export function matchIdempotent(record: Pick<IdempotencyRecord, 'requestHash' | 'status' | 'response'>, requestHash: string): IdempotencyMatch {
  return record.requestHash === requestHash ? { kind: 'replay', status: record.status, response: record.response } : { kind: 'mismatch' };
}

/** Expiry: keys are a retry window, not history. Returns how many were deleted. */
export async function deleteIdempotentBefore(db: Queryable, schema: string, cutoff: Date): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM ${qualified(schema, 'idempotency_keys')} WHERE created_at < $1`, [cutoff]);
  return rowCount ?? 0;
}
