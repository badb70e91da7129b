import type pg from 'pg';
import type { Logger } from 'pino';
import { deleteIdempotentBefore } from '@syv/event-store';

// An Idempotency-Key is a retry window, not history: a client retrying within the retention gets
// the first answer again; after it, the same key is a new request. Without expiry the table would
// grow with every command ever made.

interface IdempotencyExpiry {
  /** One round now (or the round already running): how many keys it removed. */
  runOnce(): Promise<number>;
  /** No further rounds; waits for one in progress. */
  stop(): Promise<void>;
}

interface IdempotencyExpiryOptions {
  pool: pg.Pool;
  schema: string;
  /** Keys recorded longer ago than this are removed. */
  retentionMs: number;
  intervalMs: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Removes expired keys once at start, then every `intervalMs`: a service restarted more often than
 * the interval still expires its keys. A failed round is logged and the next one tries again.
 */
export function startIdempotencyExpiry(o: IdempotencyExpiryOptions): IdempotencyExpiry {
  const now = o.now ?? (() => new Date());
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      const cutoff = new Date(now().getTime() - o.retentionMs);
      const removed = await deleteIdempotentBefore(o.pool, o.schema, cutoff);
      o.logger.info({ removed, recordedBefore: cutoff.toISOString() }, 'expired idempotency keys removed');
      return removed;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const round = () => void runOnce().catch((err: unknown) => o.logger.warn({ err }, 'expiring idempotency keys failed; the next round tries again'));
  const timer = setInterval(round, o.intervalMs);
  // Never what keeps the process alive.
  timer.unref();
  round();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
