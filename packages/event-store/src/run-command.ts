import type pg from 'pg';
import { appendToStream, type AppendResult, type VersionConflict } from './append.js';
import { withTransaction } from './db.js';
import { readStream } from './read-stream.js';
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
   * Runs in the append's transaction, after a successful append: write the idempotency record or
   * local state here so they commit with the events. Return { abort } to roll everything back and
   * get it back as an 'aborted' error (e.g. saveIdempotent found a concurrent duplicate); throwing
   * rolls back too and the error propagates.
   */
  inTransaction?: (client: pg.PoolClient, appended: AppendSuccess) => Promise<void | { abort: A }>;
}

export type RunCommandError<R, A> = { kind: 'rejected'; rejection: R } | VersionConflict | { kind: 'aborted'; reason: A };

export type RunCommandResult<R, A = never> =
  | { ok: true; appended: AppendSuccess; events: NewEvent[]; attempts: number }
  | { ok: false; error: RunCommandError<R, A>; attempts: number };

// Thrown inside withTransaction only to make it roll back; never escapes runCommand.
class Aborted<A> {
  constructor(readonly reason: A) {}
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Load, decide, append with the expected version; on a version conflict, load again and decide
 * again, up to `retries` more times, then return the last conflict (the caller's 409).
 */
export async function runCommand<R, A = never>({
  pool,
  schema,
  streamId,
  decide,
  retries = 3,
  inTransaction,
}: RunCommandOptions<R, A>): Promise<RunCommandResult<R, A>> {
  for (let attempt = 1; ; attempt++) {
    const stream = await readStream(pool, schema, streamId);
    const decision = await decide(stream.events, stream.version);
    if (!decision.ok) return { ok: false, error: { kind: 'rejected', rejection: decision.rejection }, attempts: attempt };

    let result: AppendResult;
    try {
      result = await withTransaction(pool, async (client) => {
        const appended = await appendToStream(client, schema, streamId, stream.version, decision.events);
        if (appended.ok && inTransaction) {
          const outcome = await inTransaction(client, appended);
          if (outcome && 'abort' in outcome) throw new Aborted(outcome.abort);
        }
        return appended;
      });
    } catch (err) {
      if (err instanceof Aborted) return { ok: false, error: { kind: 'aborted', reason: err.reason as A }, attempts: attempt };
      throw err;
    }

    if (result.ok) return { ok: true, appended: result, events: decision.events, attempts: attempt };
    if (attempt > retries) return { ok: false, error: result.error, attempts: attempt };
    // Spread the retries of writers that collided so they do not collide again in lockstep.
    await pause(Math.random() * 5 * attempt);
  }
}
