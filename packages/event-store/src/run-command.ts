import type pg from 'pg';
import { appendInTransaction, appendOnce, isAppendRace, type AppendOnceResult, type AppendResult, type RecordedAnswer, type VersionConflict } from './append.js';
import { announceAppend } from './append-signal.js';
import { withTransaction } from './db.js';
import { readStream, type StreamRead } from './read-stream.js';
import type { NewEvent, RecordedEvent } from './types.js';

/** Same shape as @syv/decider's Decision, with the events already wrapped for storage. */
export type CommandDecision<R> = { ok: true; events: NewEvent[] } | { ok: false; rejection: R };

export type AppendSuccess = Extract<AppendResult, { ok: true }>;

export interface RunCommandOptions<R, A> {
  pool: pg.Pool;
  schema: string;
  streamId: string;
  /** Pure: given the stream so far, what to append or why not. Called again on every retry. */
  decide: (events: RecordedEvent[], version: number) => CommandDecision<R> | Promise<CommandDecision<R>>;
  /** Further attempts after a version conflict. */
  retries?: number;
  /**
   * The stream is new by construction (its id was minted for this command): the first attempt
   * decides on no history and expects no stream, without reading it. Should it exist after all,
   * that is a version conflict, and the retry reads it as usual.
   */
  newStream?: boolean;
  /**
   * An Idempotency-Key: its answer, from the decision just made, is recorded in the append's
   * statement. A key answered before (or concurrently, by a request that committed first) comes
   * back as 'already_answered' with that answer, and nothing of this request is written.
   */
  idempotency?: { scope: string; key: string; requestHash: string; answer: () => { status: number; response: unknown } };
  /**
   * Runs in the append's transaction, after a successful append: write local state here so it
   * commits with the events. Return { abort } to roll everything back and get it back as an
   * 'aborted' error; throwing rolls back too and the error propagates. Without it, the append is
   * one statement and no transaction is opened at all.
   */
  inTransaction?: (client: pg.PoolClient, appended: AppendSuccess) => Promise<void | { abort: A }>;
}

export type RunCommandError<R, A> =
  | { kind: 'rejected'; rejection: R }
  | VersionConflict
  | { kind: 'aborted'; reason: A }
  | { kind: 'already_answered'; answer: RecordedAnswer };

export type RunCommandResult<R, A = never> =
  | { ok: true; appended: AppendSuccess; events: NewEvent[]; attempts: number }
  | { ok: false; error: RunCommandError<R, A>; attempts: number };

// Thrown inside withTransaction only to make it roll back; never escapes runCommand.
class Aborted<A> {
  constructor(readonly reason: A) {}
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const noStream: StreamRead = { version: 0, events: [] };
// Lost races (isAppendRace) tolerated before giving up: each sees the winner committed.
const MAX_RACES = 5;

/**
 * Load, decide, append with the expected version; on a version conflict, load again and decide
 * again, up to `retries` more times, then return the last conflict (the caller's 409).
 *
 * Round trips: the stream read (none for a new stream), then the append as one statement; with
 * `inTransaction`, BEGIN, the append, the caller's writes and COMMIT.
 */
export async function runCommand<R, A = never>({
  pool,
  schema,
  streamId,
  decide,
  retries = 3,
  newStream = false,
  idempotency,
  inTransaction,
}: RunCommandOptions<R, A>): Promise<RunCommandResult<R, A>> {
  let races = 0;
  for (let attempt = 1; ; attempt++) {
    const stream = attempt === 1 && newStream ? noStream : await readStream(pool, schema, streamId);
    const decision = await decide(stream.events, stream.version);
    if (!decision.ok) return { ok: false, error: { kind: 'rejected', rejection: decision.rejection }, attempts: attempt };
    const answer = idempotency ? { scope: idempotency.scope, key: idempotency.key, requestHash: idempotency.requestHash, ...idempotency.answer() } : undefined;
    const expected = stream.version === 0 ? 'no_stream' : stream.version;

    let result: AppendOnceResult;
    try {
      result = inTransaction
        ? await withTransaction(pool, async (client) => {
            const appended = await appendInTransaction(client, schema, streamId, expected, decision.events, { notify: false, ...(answer ? { answer } : {}) });
            if (appended.ok) {
              const outcome = await inTransaction(client, appended);
              if (outcome && 'abort' in outcome) throw new Aborted(outcome.abort);
            }
            return appended;
          })
        : await appendOnce(pool, schema, streamId, expected, decision.events, answer);
    } catch (err) {
      if (err instanceof Aborted) return { ok: false, error: { kind: 'aborted', reason: err.reason as A }, attempts: attempt };
      // Rolled back whole; the next attempt sees the winner (its key's answer, or its event ids).
      if (isAppendRace(err) && ++races < MAX_RACES) {
        attempt--;
        continue;
      }
      throw err;
    }
    if (inTransaction && result.ok && result.appended.length > 0) announceAppend(schema);

    if (result.ok) return { ok: true, appended: result, events: decision.events, attempts: attempt };
    if (result.error.kind === 'already_answered') return { ok: false, error: result.error, attempts: attempt };
    if (attempt > retries) return { ok: false, error: result.error, attempts: attempt };
    // Spread the retries of writers that collided so they do not collide again in lockstep.
    await pause(Math.random() * 5 * attempt);
  }
}
