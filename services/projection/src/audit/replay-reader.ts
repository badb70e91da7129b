import type { Logger } from 'pino';
import type pg from 'pg';
import { decodeCaseMessage, type CaseEvent } from '@syv/contracts';
import { withTransaction } from '@syv/event-store';
import { applyMessages, MAX_PER_TRANSACTION, storeOffset, type MessageHandling } from '@syv/kafka-projection';
import { createSubscriber, type KafkaConnection, type Subscriber } from '@syv/messaging';
import { applySlice } from '../read-model/apply-slice.js';
import type { ReadModel } from '../read-model/context.js';
import { injectFault, type FaultInjection } from './fault-injection.js';
import type { PartitionOffset } from './replay-store.js';

interface ReplayReaderOptions {
  pool: pg.Pool;
  kafka: KafkaConnection;
  topic: string;
  /** The shadow read model; `apply` writes only there. */
  readModel: ReadModel;
  /** Consumer group and dedup key of this replay alone. */
  consumer: string;
  /** Where to stop on each partition (exclusive): the log prefix the live read model had applied. */
  targets: readonly PartitionOffset[];
  fault: FaultInjection | undefined;
  /** Most messages applied in one transaction (default: as the live consumer's default). */
  sliceSize?: number;
  /** Offsets passed so far (applied, duplicate or set aside), after each committed batch. */
  onProgress: (done: number) => void;
  logger: Logger;
}

export interface ReplayReader {
  /** Resolves when every partition reached its target; rejects if the reader crashed. */
  done: Promise<void>;
  stop(): Promise<void>;
}

const key = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * Reads the case-events topic from offset 0 and applies each event to the shadow read model with
 * the same code the live consumer runs, up to the target offsets and not one further, so that the
 * replayed and live read models cover the same log prefix. Each slice of a batch, its dedup records and the
 * offset reached commit together, as in the live consumer. Nothing here publishes: the shadow's
 * outbox has no relay, and the SSE stream is fed from the alerts topic, which only the live relay writes.
 */
export async function startReplayReader(o: ReplayReaderOptions): Promise<ReplayReader> {
  const { pool, readModel: rm, consumer, logger } = o;
  const schema = rm.schema;
  const sliceSize = o.sliceSize ?? MAX_PER_TRANSACTION;
  const target = new Map(o.targets.map((t) => [key(t.topic, t.partition), BigInt(t.offset)]));
  // Where this replay got to before (a catch-up before promotion resumes the same shadow).
  const stored = await pool.query<{ topic: string; partition: number; next_offset: string }>(
    `SELECT topic, partition, next_offset::text FROM ${schema}.consumer_offsets WHERE consumer = $1`,
    [consumer],
  );
  const reached = new Map(o.targets.map((t) => [key(t.topic, t.partition), 0n]));
  for (const r of stored.rows) reached.set(key(r.topic, r.partition), BigInt(r.next_offset));
  let done = 0;
  let settle!: { resolve: () => void; reject: (err: unknown) => void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  const checkDone = () => {
    for (const [k, t] of target) if ((reached.get(k) ?? 0n) < t) return;
    settle.resolve();
  };

  const handling: MessageHandling<CaseEvent> = {
    schema,
    consumer,
    logger,
    decode: (message) => decodeCaseMessage(message.value),
    dedupsItself: true,
    apply: async (client, events) => {
      const { applied } = await applySlice(client, rm, events.map(({ event, message }) => ({ event, at: message })));
      if (o.fault) await injectFault(client, schema, o.fault, [...new Set(events.map((e) => e.event.subject))]);
      return applied;
    },
  };

  const subscriber: Subscriber = await createSubscriber({
    ...o.kafka,
    groupId: consumer,
    topics: [o.topic],
    fromBeginning: true,
    resumeFrom: async (topic, partition) => (reached.get(key(topic, partition)) ?? 0n).toString(),
    onError: (err) => {
      logger.error({ err }, 'replay reader failed');
      settle.reject(err);
    },
    handleBatch: async ({ topic, partition, messages, heartbeat }) => {
      const k = key(topic, partition);
      const stopAt = target.get(k) ?? 0n;
      // Beyond the target is the live consumer's later work, outside the prefix being compared.
      const within = messages.filter((m) => BigInt(m.offset) >= (reached.get(k) ?? 0n) && BigInt(m.offset) < stopAt);
      // Short transactions, as the live consumer's: a long one would hold back every outbox reader.
      for (let i = 0; i < within.length; i += sliceSize) {
        const slice = within.slice(i, i + sliceSize);
        const from = reached.get(k) ?? 0n;
        const next = BigInt(slice.at(-1)!.offset) + 1n;
        await withTransaction(pool, async (client) => {
          await applyMessages(client, handling, slice);
          await storeOffset(client, schema, consumer, topic, partition, next.toString());
        });
        done += Number(next - from);
        reached.set(k, next);
        o.onProgress(done);
        await heartbeat();
      }
      checkDone();
    },
  });
  checkDone();

  return {
    done: finished,
    stop: () => subscriber.stop(),
  };
}
