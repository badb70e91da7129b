import type pg from 'pg';
import { isPool, withTransaction, type Db } from './db.js';
import { prepareBatch } from './batch.js';
import { versionMatches } from './expected-version.js';
import { eventsChannel, qualified } from './schema-name.js';
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

// How often to start over when a concurrent transaction records one of these event ids between the
// check and the insert. Each round sees that transaction committed, so two rounds nearly always do.
const MAX_ROUNDS = 5;
const SAVEPOINT = 'syv_append';

async function openSavepoint(client: pg.ClientBase): Promise<void> {
  try {
    await client.query(`SAVEPOINT ${SAVEPOINT}`);
  } catch (err) {
    if ((err as { code?: string }).code === '25P01') {
      throw new Error('appendToStream was given a client outside a transaction: use withTransaction(pool, fn), or pass the pool');
    }
    throw err;
  }
}

function rollbackToSavepoint(client: pg.ClientBase) {
  return client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
}

function releaseSavepoint(client: pg.ClientBase) {
  return client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
}

interface StreamHead {
  version: number;
  /** The last event was written by a transaction with a larger id than ours (see VersionConflict). */
  fromLaterTransaction: boolean;
}

/**
 * The stream's head, and which of `ids` are recorded already (in any stream), in one round trip.
 * pg_current_xact_id() gives this transaction its id now if it has none yet; it is about to write
 * anyway. Appends keep a stream's transaction ids non-decreasing, so the last event has the largest.
 */
async function readStreamHead(client: pg.ClientBase, schema: string, streamId: string, ids: readonly string[] = []): Promise<StreamHead & { recorded: Set<string> }> {
  const events = qualified(schema, 'events');
  const { rows } = await client.query<{ stream_version: number | null; later: boolean | null; recorded: string[] }>(
    `SELECT h.stream_version, h.later,
            ARRAY(SELECT event_id::text FROM ${events} WHERE event_id = ANY($2::uuid[])) AS recorded
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT stream_version, transaction_id > pg_current_xact_id() AS later
                            FROM ${events} WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1) AS h ON true`,
    [streamId, ids],
  );
  const row = rows[0];
  return { version: row?.stream_version ?? 0, fromLaterTransaction: row?.later ?? false, recorded: new Set(row?.recorded ?? []) };
}

async function insertEvents(
  client: pg.ClientBase,
  schema: string,
  streamId: string,
  afterVersion: number,
  events: NewEvent[],
): Promise<{ event_id: string; stream_version: number; global_position: string }[]> {
  // One statement for the whole batch; ORDER BY ord makes global_position follow stream_version.
  // It also wakes the relays: pg_notify is delivered at COMMIT, and only then; identical
  // notifications within a transaction fold into one, and one made in a round that is rolled back
  // to its savepoint is dropped with it.
  const { rows } = await client.query<{ event_id: string; stream_version: number; global_position: string }>(
    `WITH added AS (
       INSERT INTO ${qualified(schema, 'events')} (stream_id, stream_version, event_id, type, data, metadata)
       SELECT $1, ($2::int + e.ord)::int, (e.value->>'id')::uuid, e.value->>'type', e.value->'data', e.value->'metadata'
         FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(value, ord)
        ORDER BY e.ord
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id, stream_version, global_position)
     SELECT event_id, stream_version, global_position::text AS global_position, pg_notify($4, '')::text AS notified FROM added`,
    [streamId, afterVersion, JSON.stringify(events.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))), eventsChannel(schema)],
  );
  return rows;
}

function isStreamVersionClash(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'events_stream_version_key';
}

type Round = { done: AppendResult } | { again: true };

/** One attempt, entirely inside a savepoint that is released (kept) or rolled back (undone). */
async function appendRound(
  client: pg.ClientBase,
  schema: string,
  streamId: string,
  expected: ExpectedVersion,
  unique: NewEvent[],
  repeated: string[],
): Promise<Round> {
  const conflict = (actual: number, reason: VersionConflict['reason']): Round => ({
    done: { ok: false, error: { kind: 'version_conflict', streamId, expected, actual, reason } },
  });

  const head = await readStreamHead(client, schema, streamId, unique.map((e) => e.id));
  const { recorded } = head;
  const fresh = unique.filter((e) => !recorded.has(e.id));
  const duplicates = [...unique.filter((e) => recorded.has(e.id)).map((e) => e.id), ...repeated];

  // Everything was recorded before: the append already happened, whatever version the caller now
  // expects. Succeeding keeps a retried request idempotent.
  if (unique.length > 0 && fresh.length === 0) {
    return { done: { ok: true, nextVersion: head.version, positions: [], appended: [], duplicates } };
  }
  if (!versionMatches(expected, head.version)) return conflict(head.version, 'version');
  if (fresh.length === 0) return { done: { ok: true, nextVersion: head.version, positions: [], appended: [], duplicates } };
  if (head.fromLaterTransaction) return conflict(head.version, 'transaction_order');

  let inserted: Awaited<ReturnType<typeof insertEvents>>;
  try {
    inserted = await insertEvents(client, schema, streamId, head.version, fresh);
  } catch (err) {
    if (!isStreamVersionClash(err)) throw err;
    // Another transaction wrote these versions and committed while this one waited on its row.
    await rollbackToSavepoint(client);
    return conflict((await readStreamHead(client, schema, streamId)).version, 'version');
  }
  // A concurrent transaction recorded one of these ids after the check: the versions numbered
  // around it would now have a hole. Undo and number again.
  if (inserted.length < fresh.length) return { again: true };

  inserted.sort((a, b) => a.stream_version - b.stream_version);
  return {
    done: {
      ok: true,
      nextVersion: head.version + fresh.length,
      positions: inserted.map((r) => r.global_position),
      appended: fresh.map((e) => e.id),
      duplicates,
    },
  };
}

async function appendInTransaction(
  client: pg.ClientBase,
  schema: string,
  streamId: string,
  expected: ExpectedVersion,
  events: readonly NewEvent[],
): Promise<AppendResult> {
  const { unique, repeated } = prepareBatch(events);
  for (let round = 1; ; round++) {
    // Whatever a round does can be undone without touching the rest of the caller's transaction.
    await openSavepoint(client);
    let outcome: Round;
    try {
      outcome = await appendRound(client, schema, streamId, expected, unique, repeated);
    } catch (err) {
      // Leave the caller's transaction usable; they decide whether to roll all of it back.
      await rollbackToSavepoint(client)
        .then(() => releaseSavepoint(client))
        .catch(() => undefined);
      throw err;
    }
    if ('done' in outcome && outcome.done.ok) {
      await releaseSavepoint(client);
      return outcome.done;
    }
    await rollbackToSavepoint(client);
    await releaseSavepoint(client);
    if ('done' in outcome) return outcome.done;
    if (round >= MAX_ROUNDS) throw new Error(`appendToStream(${streamId}): its event ids kept being recorded concurrently`);
  }
}

/**
 * Appends events to a stream if it is at the expected version.
 *
 * Given a pool, it runs in a transaction of its own. Given a client, it joins the caller's
 * transaction (which must be open: see withTransaction) so the events commit or roll back together
 * with whatever else the caller writes; a conflict is undone to a savepoint and leaves the caller's
 * transaction usable.
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
  if (isPool(db)) return withTransaction(db, (client) => appendInTransaction(client, schema, streamId, expectedVersion, events));
  return appendInTransaction(db, schema, streamId, expectedVersion, events);
}
