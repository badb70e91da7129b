import type pg from 'pg';
import { isPool, type Db } from './db.js';
import { prepareBatch } from './batch.js';
import { announceAppend } from './append-signal.js';
import { qualified } from './schema-name.js';
import type { ExpectedVersion, NewEvent } from './types.js';

export interface VersionConflict {
  kind: 'version_conflict';
  streamId: string;
  expected: ExpectedVersion;
  actual: number;
  /**
   * 'version': someone else appended first. 'transaction_order': the stream's last event was
   * written by a transaction that began writing after this one (this transaction got its id
   * earlier, e.g. by writing something else first); appending now would put this event before
   * that one in the log order readers publish. Either way: retry in a fresh transaction.
   */
  reason: 'version' | 'transaction_order';
}

export type AppendResult =
  | {
      ok: true;
      /** The stream's version after the append: pass it as the next expected version. */
      nextVersion: number;
      /** global_position of each event written, in the order given (bigint as text). */
      positions: string[];
      /** Ids written now. */
      appended: string[];
      /** Ids skipped because an event with that id was already recorded (or repeated in the batch). */
      duplicates: string[];
    }
  | { ok: false; error: VersionConflict };

/** The answer recorded for an Idempotency-Key, as the append found it. */
export interface RecordedAnswer {
  requestHash: string;
  status: number;
  response: unknown;
}

/** What to record with the events: the first answer to (scope, key). */
export interface AnswerToRecord extends RecordedAnswer {
  scope: string;
  key: string;
}

/** An append that carries an idempotency record may find the key answered already: nothing is written then. */
export type AppendOnceResult = AppendResult | { ok: false; error: { kind: 'already_answered'; answer: RecordedAnswer } };

/** SQLSTATEs raised by append_events (migration 4) when its statement must not commit. */
const RACED_ON_EVENT_ID = 'SYV01';
const RACED_ON_IDEMPOTENCY_KEY = 'SYV02';

// How often an append that owns its statement starts over after one of those. Each try sees the
// racing transaction committed, so the second nearly always settles it.
const MAX_TRIES = 5;

/** The append lost a race the server cannot undo by itself: only a fresh transaction settles it. */
export function isAppendRace(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === RACED_ON_EVENT_ID || code === RACED_ON_IDEMPOTENCY_KEY;
}

function isStreamVersionClash(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'events_stream_version_key';
}

async function streamVersion(pool: pg.Pool, schema: string, streamId: string): Promise<number> {
  const { rows } = await pool.query<{ v: number }>(`SELECT coalesce(max(stream_version), 0) AS v FROM ${qualified(schema, 'events')} WHERE stream_id = $1`, [streamId]);
  return rows[0]?.v ?? 0;
}

interface Row {
  outcome: 'appended' | 'conflict' | 'replay';
  stream_version: number | null;
  reason: VersionConflict['reason'] | null;
  positions: string[] | null;
  appended: string[] | null;
  duplicates: string[] | null;
  replay: RecordedAnswer | null;
}

function toSql(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  if (expected === 'no_stream') return 0;
  return expected;
}

/**
 * One call of append_events: every check, the insert and the idempotency record in one statement
 * on the server. A conflict or a replay writes nothing, so a caller's transaction stays usable.
 */
async function callAppend(
  db: Pick<pg.ClientBase, 'query'>,
  schema: string,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
  opts: { notify: boolean; answer?: AnswerToRecord | undefined },
): Promise<AppendOnceResult> {
  const { unique, repeated } = prepareBatch(events);
  const { rows } = await db.query<Row>(`SELECT * FROM ${qualified(schema, 'append_events')}($1, $2, $3::jsonb, $4, $5::jsonb)`, [
    streamId,
    toSql(expected),
    JSON.stringify(unique.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))),
    opts.notify,
    opts.answer ? JSON.stringify(opts.answer) : null,
  ]);
  const row = rows[0];
  if (!row) throw new Error(`append_events(${streamId}) answered nothing`);
  if (row.outcome === 'replay') return { ok: false, error: { kind: 'already_answered', answer: row.replay as RecordedAnswer } };
  if (row.outcome === 'conflict') {
    return { ok: false, error: { kind: 'version_conflict', streamId, expected, actual: row.stream_version ?? 0, reason: row.reason ?? 'version' } };
  }
  const recorded = new Set(row.duplicates ?? []);
  return {
    ok: true,
    nextVersion: row.stream_version ?? 0,
    positions: row.positions ?? [],
    appended: row.appended ?? [],
    // In the order given, then the ones the batch repeated.
    duplicates: [...unique.filter((e) => recorded.has(e.id)).map((e) => e.id), ...repeated],
  };
}

/**
 * The append as its own transaction: one statement, committed by the server as it ends. A race the
 * statement could not settle (see isAppendRace) rolled it back whole; it is simply run again. The
 * in-process relay is woken once it committed: no NOTIFY, whose queue lock would make every
 * appending commit wait for the one before it.
 */
export async function appendOnce(
  pool: pg.Pool,
  schema: string,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
  answer?: AnswerToRecord,
): Promise<AppendOnceResult> {
  for (let tries = 1; ; tries++) {
    let result: AppendOnceResult;
    try {
      result = await callAppend(pool, schema, streamId, expected, events, { notify: false, answer });
    } catch (err) {
      // A writer that bypassed the stream's turn (appendNewStreams on a stream that was not new).
      if (isStreamVersionClash(err)) return { ok: false, error: { kind: 'version_conflict', streamId, expected, actual: await streamVersion(pool, schema, streamId), reason: 'version' } };
      if (isAppendRace(err) && tries < MAX_TRIES) continue;
      throw err;
    }
    if (result.ok && result.appended.length > 0) announceAppend(schema);
    return result;
  }
}

/**
 * The append inside the caller's transaction (open: see withTransaction), so the events commit or
 * roll back with whatever else the caller writes. A conflict or a replay writes nothing and leaves
 * the transaction usable. A lost race (isAppendRace) fails the statement, and with it the
 * transaction: roll back and try again in a fresh one. `notify`: wake the relays with NOTIFY at
 * commit (the default: this code does not see the commit); a caller that announces the commit
 * itself (announceAppend) passes false.
 */
export async function appendInTransaction(
  client: pg.ClientBase,
  schema: string,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
  opts: { notify?: boolean; answer?: AnswerToRecord } = {},
): Promise<AppendOnceResult> {
  if (client.getTransactionStatus() === 'I') {
    throw new Error('appendToStream was given a client outside a transaction: use withTransaction(pool, fn), or pass the pool');
  }
  return callAppend(client, schema, streamId, expected, events, { notify: opts.notify ?? true, answer: opts.answer });
}

/**
 * Appends events to a stream if it is at the expected version.
 *
 * Given a pool, it is one statement, committed on its own. Given a client, it joins the caller's
 * transaction (which must be open: see withTransaction) so the events commit or roll back together
 * with whatever else the caller writes; a conflict writes nothing and leaves that transaction usable.
 *
 * Event ids already recorded are skipped (and reported in `duplicates`); the rest are numbered
 * contiguously after the stream's current version, so skipping never leaves a hole.
 */
export async function appendToStream(
  db: Db,
  schema: string,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  const result = isPool(db) ? await appendOnce(db, schema, streamId, expectedVersion, events) : await appendInTransaction(db, schema, streamId, expectedVersion, events);
  if (!result.ok && result.error.kind === 'already_answered') throw new Error('an append without an idempotency record found one');
  return result as AppendResult;
}
