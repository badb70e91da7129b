import type { OutgoingMessage, Publisher } from '@syv/messaging';
import type pg from 'pg';
import { pino, type Logger } from 'pino';
import { onAppend } from './append-signal.js';
import { backoffDelay } from './backoff.js';
import { compareCheckpoints, startOfLog } from './checkpoint-order.js';
import { loadCheckpoint, storeCheckpoint } from './checkpoints.js';
import { countAfter, lastCommittedCheckpoint, readAllBatch } from './read-all.js';
import { createRelayListener } from './relay-listener.js';
import { assertSchemaName } from './schema-name.js';
import type { LogCheckpoint, RecordedEvent } from './types.js';

export interface OutboxRelayOptions {
  pool: pg.Pool;
  schema: string;
  publisher: Publisher;
  topic: string;
  /**
   * The topic of one event, when a store feeds more than one (the projection publishes closure
   * assessments to case-events and alerts to case-alerts); `topic` when omitted.
   */
  topicFor?: (event: RecordedEvent) => string;
  /** Maps a stored event to its Kafka message; the key must be the caseId (per-case order). */
  toMessage: (event: RecordedEvent) => OutgoingMessage;
  subscriptionId?: string;
  batchSize?: number;
  /**
   * Longest wait between reads when nothing wakes the relay. Appends committed in this process wake
   * it at once, and so do those that NOTIFY; the poll finds the rest (another instance's commands).
   */
  pollIntervalMs?: number;
  /** Cap of the back-off after consecutive failures. */
  maxBackoffMs?: number;
  logger?: Logger;
  /** After a batch is acknowledged by the broker and its checkpoint stored. */
  onPublished?: (events: RecordedEvent[]) => void;
  /**
   * Fault injection for tests: runs after the broker acknowledged a batch and before its
   * checkpoint is stored. Throwing there is a crash at the worst moment.
   */
  beforeCheckpoint?: (events: RecordedEvent[]) => Promise<void> | void;
}

/** Counters for the service's /metrics. Live: read them whenever. */
export interface OutboxRelayMetrics {
  publishedTotal: number;
  batchesTotal: number;
  publishFailuresTotal: number;
  /** Failures other than publishing: PostgreSQL, toMessage, hooks. */
  errorsTotal: number;
  lastError: { message: string; at: Date } | undefined;
  lastPublishedAt: Date | undefined;
  /** This instance holds the publishing lock (others stand by). */
  leader: boolean;
  /** Times the LISTEN/lock session was lost and had to be made again. */
  listenerReconnectsTotal: number;
}

export interface OutboxRelay {
  /** Stops after the batch in flight (published and checkpointed, or failed); releases the lock. */
  stop(): Promise<void>;
  /** Resolves once everything committed before the call is published and checkpointed, by any instance. */
  flush(timeoutMs?: number): Promise<void>;
  /** Committed events not yet published. */
  lag(): Promise<number>;
  readonly metrics: Readonly<OutboxRelayMetrics>;
}

/**
 * A service's last steps with its relay, as its shutdown runs them: publish what is committed (for a
 * bounded time), then stop; each says what it was still waiting for when it is abandoned.
 */
export function outboxShutdownSteps(relay: OutboxRelay, logger: Pick<Logger, 'warn'>, flushMs = 5_000) {
  const pending = () => ({ leader: relay.metrics.leader, publishFailures: relay.metrics.publishFailuresTotal, lastError: relay.metrics.lastError?.message });
  return [
    { name: 'flush outbox', run: () => relay.flush(flushMs).catch((err: unknown) => logger.warn({ err }, 'outbox not fully flushed')), pending },
    { name: 'stop outbox relay', run: () => relay.stop(), pending },
  ];
}

/**
 * The batch cut where the topic changes, in log order: publishing the runs one after another keeps
 * every stream's order on its topic, and one topic for all is one run, as before.
 */
function runsByTopic(events: RecordedEvent[], topicOf: (event: RecordedEvent) => string): { topic: string; events: RecordedEvent[] }[] {
  const runs: { topic: string; events: RecordedEvent[] }[] = [];
  for (const event of events) {
    const t = topicOf(event);
    const last = runs.at(-1);
    if (last?.topic === t) last.events.push(event);
    else runs.push({ topic: t, events: [event] });
  }
  return runs;
}

/** A sleep that notifications (wake) or stop (interrupt) can cut short. */
function createSleeper() {
  let pending = false;
  let current: { resolve: () => void; wakeable: boolean } | undefined;
  return {
    sleep(ms: number, wakeable: boolean): Promise<void> {
      if (wakeable && pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(finish, ms);
        function finish() {
          clearTimeout(timer);
          current = undefined;
          if (wakeable) pending = false;
          resolve();
        }
        current = { resolve: finish, wakeable };
      });
    },
    /** New events: ends an idle wait, or makes the next one return at once. Back-off ignores it. */
    wake() {
      pending = true;
      if (current?.wakeable) current.resolve();
    },
    interrupt() {
      current?.resolve();
    },
  };
}

/**
 * Publishes every event of the schema's log to Kafka, in log order, at least once.
 *
 * Read a batch after the checkpoint (readAllBatch: never skips a late commit), publish it (the
 * publisher waits for acks = all), and only then store the checkpoint. A crash between publishing
 * and storing re-publishes that batch on restart: consumers deduplicate by event id. A failed
 * publish never moves the checkpoint; the relay backs off (capped exponential) and retries the same
 * batch. Wake-ups only shorten the wait: an append that commits in this process says so at once
 * (append-signal.ts), one made inside a caller's transaction sends NOTIFY at its commit, and the
 * relay also polls every pollIntervalMs, so a missed wake-up delays an event, never loses it.
 */
export function startOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const {
    pool,
    schema,
    publisher,
    topic,
    topicFor,
    toMessage,
    subscriptionId = 'outbox',
    batchSize = 500,
    pollIntervalMs = 100,
    maxBackoffMs = 30_000,
    onPublished,
    beforeCheckpoint,
  } = opts;
  assertSchemaName(schema);
  const logger = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'outbox-relay', schema, subscriptionId, topic });

  const metrics: OutboxRelayMetrics = {
    publishedTotal: 0,
    batchesTotal: 0,
    publishFailuresTotal: 0,
    errorsTotal: 0,
    lastError: undefined,
    lastPublishedAt: undefined,
    leader: false,
    listenerReconnectsTotal: 0,
  };
  const sleeper = createSleeper();
  const progressWaiters = new Set<() => void>();
  const listener = createRelayListener({
    pool,
    schema,
    subscriptionId,
    logger,
    onNotification: () => sleeper.wake(),
    onLost: () => {
      metrics.listenerReconnectsTotal++;
      // Another instance may publish meanwhile; wake so the next round re-reads the stored checkpoint.
      sleeper.wake();
    },
    onLeadership: (leader) => {
      metrics.leader = leader;
      logger.info(leader ? 'outbox relay is publishing' : 'outbox relay is standing by');
    },
  });

  const stopWaking = onAppend(schema, () => sleeper.wake());

  let running = true;
  let failures = 0;
  // Undefined until loaded, and again after any failure or lost leadership: the stored one is the truth.
  let checkpoint: LogCheckpoint | undefined;

  const recordError = (err: unknown) => {
    metrics.lastError = { message: err instanceof Error ? err.message : String(err), at: new Date() };
  };

  async function publishOnce(): Promise<'idle' | 'held' | 'more'> {
    if (!(await listener.ensureLeader())) {
      checkpoint = undefined;
      return 'idle';
    }
    checkpoint ??= (await loadCheckpoint(pool, schema, subscriptionId)) ?? startOfLog;
    const batch = await readAllBatch(pool, schema, checkpoint, batchSize);
    if (batch.events.length === 0) {
      // Committed events wait behind another transaction still running on the server: no NOTIFY
      // will say when it ends, so look again soon instead of at the next poll.
      if (batch.heldBack) return 'held';
      // Quiet moment: make sure the LISTEN session is still alive, or wake-ups would silently stop.
      await listener.check();
      return 'idle';
    }
    const runs = runsByTopic(batch.events, topicFor ?? (() => topic)).map((run) => ({ topic: run.topic, messages: run.events.map(toMessage) }));
    try {
      for (const run of runs) await publisher.publish(run.topic, run.messages);
    } catch (err) {
      metrics.publishFailuresTotal++;
      throw err;
    }
    await beforeCheckpoint?.(batch.events);
    await storeCheckpoint(pool, schema, subscriptionId, batch.checkpoint);
    checkpoint = batch.checkpoint;
    metrics.publishedTotal += batch.events.length;
    metrics.batchesTotal++;
    metrics.lastPublishedAt = new Date();
    for (const notify of progressWaiters) notify();
    try {
      onPublished?.(batch.events);
    } catch (err) {
      logger.warn({ err }, 'onPublished threw; ignored');
    }
    return batch.hasMore ? 'more' : 'idle';
  }

  let heldRounds = 0;
  async function loop(): Promise<void> {
    while (running) {
      try {
        const next = await publishOnce();
        failures = 0;
        heldRounds = next === 'held' ? heldRounds + 1 : 0;
        if (next === 'idle' && running) await sleeper.sleep(pollIntervalMs, true);
        // 5, 10, 20 … 320 ms (at most the poll interval): each look costs two cheap queries.
        if (next === 'held' && running) await sleeper.sleep(Math.min(pollIntervalMs, 5 * 2 ** Math.min(heldRounds - 1, 6)), true);
      } catch (err) {
        failures++;
        metrics.errorsTotal++;
        recordError(err);
        checkpoint = undefined;
        const delay = backoffDelay(failures, { baseMs: Math.min(200, pollIntervalMs), maxMs: maxBackoffMs });
        logger.warn({ err, failures, retryInMs: delay }, 'outbox relay batch failed; checkpoint not moved, retrying');
        await listener.check();
        if (running) await sleeper.sleep(delay, false);
      }
    }
  }

  const done = loop().finally(() => {
    stopWaking();
    return listener.close();
  });
  let stopping: Promise<void> | undefined;

  return {
    metrics,
    stop() {
      stopping ??= (async () => {
        running = false;
        sleeper.interrupt();
        await done;
        for (const notify of progressWaiters) notify();
      })();
      return stopping;
    },
    async flush(timeoutMs = 30_000) {
      const target = await lastCommittedCheckpoint(pool, schema);
      if (!target) return;
      const deadline = Date.now() + timeoutMs;
      sleeper.wake();
      for (;;) {
        const stored = await loadCheckpoint(pool, schema, subscriptionId);
        if (stored && compareCheckpoints(stored, target) >= 0) return;
        const left = deadline - Date.now();
        if (left <= 0) {
          const behind = await countAfter(pool, schema, stored ?? startOfLog);
          throw new Error(
            `outbox flush timed out after ${timeoutMs} ms with ${behind} events unpublished` +
              (metrics.lastError ? ` (last error: ${metrics.lastError.message})` : ''),
          );
        }
        // This instance's own progress resolves this at once; another instance's is seen by the timer.
        await new Promise<void>((resolve) => {
          const finish = () => {
            clearTimeout(timer);
            progressWaiters.delete(finish);
            resolve();
          };
          const timer = setTimeout(finish, Math.min(left, 100));
          progressWaiters.add(finish);
        });
      }
    },
    async lag() {
      return countAfter(pool, schema, (await loadCheckpoint(pool, schema, subscriptionId)) ?? startOfLog);
    },
  };
}
