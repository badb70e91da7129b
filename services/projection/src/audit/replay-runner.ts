import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { migrate, withTransaction } from '@syv/event-store';
import { topicEndOffsets, type KafkaConnection } from '@syv/messaging';
import { problem, type AuthUser } from '@syv/service-kit';
import type { ReadModel } from '../read-model/context.js';
import { projectionMigrations } from '../read-model/schema.js';
import { alignTimeRules } from './align-time-rules.js';
import { auditSchemaOf, shadowSchemaOf } from './audit-schema.js';
import { caseRanges, checksumOfSide, compareSides, countCases, dropDigests, liveChecksAfter, storeDigests } from './digest-store.js';
import type { FaultInjection } from './fault-injection.js';
import { openLiveSnapshot, type LiveSnapshot } from './live-snapshot.js';
import { startReplayReader, type ReplayReader } from './replay-reader.js';
import {
  activeReplayId,
  endReplay,
  failAbandonedReplays,
  finishReplay,
  insertReplay,
  reportProgress,
  requestCancel,
  type PartitionOffset,
  type ReplayStatus,
} from './replay-store.js';
import { dropShadow } from './shadow.js';

interface ReplayRunnerOptions {
  pool: pg.Pool;
  /** The live read model; the shadow is built with the same rules and thresholds. */
  readModel: ReadModel;
  /** The live consumer's group, whose stored offsets say how far the live read model reaches. */
  liveConsumer: string;
  kafka: KafkaConnection;
  topic: string;
  fault: FaultInjection | undefined;
  /** Most messages a replay applies in one transaction. */
  sliceSize?: number;
  logger: Logger;
  /** How often progress is written (and a cancel from another instance noticed). */
  progressEveryMs?: number;
}

export interface ReplayRunner {
  start(user: AuthUser): Promise<string>;
  cancel(replayId: string): Promise<ReplayStatus | undefined>;
  /** The replay running in this process, if any, finished or given up. */
  stop(): Promise<void>;
}

/** Moving rate over the last few seconds, so the ETA follows the current speed. */
function rateMeter(windowMs: number) {
  const samples: { at: number; done: number }[] = [];
  return (done: number): number | null => {
    const at = Date.now();
    samples.push({ at, done });
    while (samples.length > 2 && at - (samples[0]?.at ?? at) > windowMs) samples.shift();
    const first = samples[0];
    if (!first || at - first.at < 200) return null;
    return ((done - first.done) * 1000) / (at - first.at);
  };
}

/**
 * Rebuilds the read model from offset 0 into a shadow schema while the live one keeps serving,
 * and proves the result: checksums of both over the same log prefix (see live-snapshot.ts).
 */
export function createReplayRunner(o: ReplayRunnerOptions): ReplayRunner {
  const { pool, logger } = o;
  const live = o.readModel.schema;
  const auditSchema = auditSchemaOf(live);
  const progressEveryMs = o.progressEveryMs ?? 1_000;
  interface Running {
    replayId: string;
    stopping: boolean;
    finished: Promise<void>;
    reader?: ReplayReader;
  }
  let current = undefined as Running | undefined;

  async function run(replayId: string, shadow: ReadModel, snapshot: LiveSnapshot, targets: PartitionOffset[]): Promise<void> {
    const state = current;
    if (!state) return;
    const meter = rateMeter(5_000);
    let done = 0;
    let rate: number | null = null;
    const startedAt = Date.now();
    const ticker = setInterval(() => {
      rate = meter(done) ?? rate;
      reportProgress(pool, auditSchema, replayId, done, rate)
        .then((status) => {
          if (status === 'cancelling') state.stopping = true;
        })
        .catch((err: unknown) => logger.warn({ err, replayId }, 'replay progress not recorded'));
    }, progressEveryMs);
    const stopped = () => state.stopping;
    const cancelled = async () => {
      await dropShadow(pool, shadow.schema);
      await endReplay(pool, auditSchema, replayId, 'cancelled', null);
      logger.info({ replayId, done }, 'replay cancelled');
    };
    try {
      // The live side first, while its snapshot is open; then the rebuild.
      try {
        await snapshot.digest(auditSchema, replayId, stopped);
      } finally {
        await snapshot.close();
      }
      if (stopped()) return await cancelled();
      await dropShadow(pool, shadow.schema);
      await migrate(pool, shadow.schema, projectionMigrations(shadow.schema), { logger });
      const reader = await startReplayReader({
        pool,
        kafka: o.kafka,
        topic: o.topic,
        readModel: shadow,
        consumer: `projection-replay-${replayId}`,
        targets,
        fault: o.fault,
        ...(o.sliceSize === undefined ? {} : { sliceSize: o.sliceSize }),
        onProgress: (n) => (done = n),
        logger,
      });
      state.reader = reader;
      const stopAsked = new Promise<'cancelled'>((resolve) => {
        const poll = setInterval(() => {
          if (state.stopping) {
            clearInterval(poll);
            resolve('cancelled');
          }
        }, 100);
        void reader.done.finally(() => clearInterval(poll)).catch(() => undefined);
      });
      const outcome = await Promise.race([reader.done.then(() => 'done' as const), stopAsked]);
      await reader.stop();
      if (outcome === 'cancelled') return await cancelled();
      const aligned = await alignTimeRules(pool, shadow, (after, limit) => liveChecksAfter(pool, auditSchema, replayId, after, limit), stopped);
      for (const range of caseRanges(await countCases(pool, shadow.schema))) {
        await withTransaction(pool, (client) => storeDigests(client, auditSchema, replayId, 'replay', shadow.schema, range));
      }
      const compared = await compareSides(pool, auditSchema, replayId);
      const seconds = (Date.now() - startedAt) / 1000;
      const overall = seconds > 0 ? done / seconds : null;
      await finishReplay(pool, auditSchema, replayId, done, overall, {
        liveChecksum: await checksumOfSide(pool, auditSchema, replayId, 'live'),
        replayChecksum: await checksumOfSide(pool, auditSchema, replayId, 'replay'),
        matches: compared.differingCount === 0,
        casesCompared: compared.casesCompared,
        differingCount: compared.differingCount,
        differingCases: compared.differing,
      });
      logger.info({ replayId, events: done, seconds, aligned, differing: compared.differingCount }, 'replay finished');
    } catch (err) {
      logger.error({ err, replayId }, 'replay failed');
      await dropShadow(pool, shadow.schema).catch(() => undefined);
      await endReplay(pool, auditSchema, replayId, 'failed', err instanceof Error ? err.message : String(err)).catch(() => undefined);
    } finally {
      clearInterval(ticker);
      await dropDigests(pool, auditSchema, replayId).catch((err: unknown) => logger.warn({ err, replayId }, 'replay digests not dropped'));
    }
  }

  return {
    async start(user) {
      await failAbandonedReplays(pool, auditSchema);
      const active = await activeReplayId(pool, auditSchema);
      if (active || current) throw problem('CONFLICT', `Replay ${active ?? current?.replayId} is running; only one runs at a time.`, { extensions: { replayId: active ?? current?.replayId } });
      const replayId = randomUUID();
      const shadowSchema = shadowSchemaOf(live, replayId);
      const highWatermarks = (await topicEndOffsets(o.kafka, o.topic)).map((h) => ({ topic: o.topic, partition: h.partition, offset: h.high }));
      // Only the snapshot is taken before answering; digesting it and the rebuild run after.
      const snapshot = await openLiveSnapshot(pool, live, o.liveConsumer, o.topic);
      const stored = new Map(snapshot.offsets.map((t) => [t.partition, t.offset]));
      // A partition the live consumer never reached has an empty prefix, not a missing one.
      const targets = highWatermarks.map((h) => ({ topic: o.topic, partition: h.partition, offset: stored.get(h.partition) ?? '0' }));
      const inserted = await insertReplay(pool, auditSchema, {
        replayId,
        shadowSchema,
        requestedBy: user.sub,
        targets,
        highWatermarks,
        eventsTotal: targets.reduce((n, t) => n + Number(t.offset), 0),
        faultInjection: o.fault ?? null,
      }).catch(async (err: unknown) => {
        await snapshot.close();
        throw err;
      });
      if (!inserted) {
        await snapshot.close();
        const other = await activeReplayId(pool, auditSchema);
        throw problem('CONFLICT', `Replay ${other ?? ''} is running; only one runs at a time.`, { extensions: { replayId: other } });
      }
      logger.info({ replayId, shadowSchema, fault: o.fault ?? null }, 'replay started');
      const shadow: ReadModel = { ...o.readModel, schema: shadowSchema };
      const state: Running = { replayId, stopping: false, finished: Promise.resolve() };
      current = state;
      state.finished = run(replayId, shadow, snapshot, targets).finally(() => {
        if (current === state) current = undefined;
      });
      return replayId;
    },

    async cancel(replayId) {
      const status = await requestCancel(pool, auditSchema, replayId);
      if (current?.replayId === replayId) current.stopping = true;
      return status;
    },

    async stop() {
      const state = current;
      if (!state) return;
      state.stopping = true;
      await state.finished;
    },
  };
}

