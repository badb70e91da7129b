import type pg from 'pg';
import type { Logger } from 'pino';
import { createSubscriber, type IncomingMessage, type KafkaConnection } from '@syv/messaging';
import { loadOffset, markProcessed, recordRejected, storeOffset } from './sql.js';

/** What a decoder answers; the shape of @syv/contracts' ParseResult, so its decoders fit as they are. */
export type Decoded<E> = { ok: true; event: E } | { ok: false; error: { message: string } };

/** Most messages applied in one transaction: a long one would hold back every outbox reader on the server. */
export const MAX_PER_TRANSACTION = 50;

export interface MessageHandling<E extends { id: string }> {
  schema: string;
  /** The key of this read model's dedup records and set-aside messages. */
  consumer: string;
  decode: (message: IncomingMessage) => Decoded<E>;
  /**
   * Applies new (never seen) events, in offset order, inside the caller's transaction. A handler
   * that keeps its own record of applied ids (`dedupsItself`) is given every valid event and answers
   * the ones it applied.
   */
  apply: (client: pg.PoolClient, events: readonly Fresh<E>[]) => Promise<void | readonly E[]>;
  /** The handler records applied event ids itself (a unique key it writes anyway): no dedup records are written for it. */
  dedupsItself?: boolean;
  logger: Logger;
}

/** An event seen for the first time, with the message that carried it. */
export interface Fresh<E> {
  event: E;
  message: IncomingMessage;
}

/**
 * Applies messages in the caller's transaction, in offset order: a message that is not a valid event
 * is set aside in rejected_messages with a log line; the dedup records of the rest are written in one
 * statement; the events seen for the first time are applied together, redelivered ones skipped.
 */
export async function applyMessages<E extends { id: string }>(
  client: pg.PoolClient,
  h: MessageHandling<E>,
  messages: readonly IncomingMessage[],
): Promise<{ applied: E[]; duplicates: number; rejected: number }> {
  const valid: { event: E; message: IncomingMessage }[] = [];
  let rejected = 0;
  for (const message of messages) {
    const decoded = h.decode(message);
    if (decoded.ok) {
      valid.push({ event: decoded.event, message });
      continue;
    }
    rejected++;
    h.logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, error: decoded.error.message }, 'message set aside: not a valid event');
    await recordRejected(client, h.schema, {
      consumer: h.consumer,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      // PostgreSQL text cannot hold NUL, and garbage often does: a failed INSERT here would
      // roll the batch back and stop the stream on the very message it is setting aside.
      error: withoutNul(decoded.error.message),
      raw: message.value ? withoutNul(message.value.toString('utf8').slice(0, 10_000)) : null,
    });
  }
  if (h.dedupsItself) {
    const applied = valid.length > 0 ? ((await h.apply(client, valid)) ?? valid.map((v) => v.event)) : [];
    return { applied: [...applied], duplicates: valid.length - applied.length, rejected };
  }
  const fresh = await markProcessed(client, h.schema, h.consumer, valid.map((v) => v.event.id));
  const firstSeen = valid.filter((_, i) => fresh.has(i));
  if (firstSeen.length > 0) await h.apply(client, firstSeen);
  return { applied: firstSeen.map((v) => v.event), duplicates: valid.length - firstSeen.length, rejected };
}

export interface ProjectionConsumerOptions<E extends { id: string }> {
  pool: pg.Pool;
  schema: string;
  /** Consumer group id and the key of this read model's offsets and dedup records. */
  consumer: string;
  topics: string[];
  kafka: KafkaConnection;
  decode: (message: IncomingMessage) => Decoded<E>;
  /** Applies a slice's new (never seen) events, in offset order, inside the slice's transaction (see MessageHandling). */
  apply: (client: pg.PoolClient, events: readonly Fresh<E>[]) => Promise<void | readonly E[]>;
  /** See MessageHandling. */
  dedupsItself?: boolean;
  /** Most messages applied in one transaction (default MAX_PER_TRANSACTION); a fetch is split into such slices. */
  maxPerTransaction?: number;
  /** Partitions applied at once by this instance (default 1); each partition stays in order. */
  partitionsConcurrently?: number;
  /** Most bytes one fetch takes from a partition (default 1 MiB; larger gives whole slices to a consumer far behind). */
  maxBytesPerPartition?: number;
  /** Runs after a batch committed, with the events it applied (e.g. to notify waiters). */
  afterCommit?: (events: E[]) => void;
  logger: Logger;
}

export interface ProjectionConsumer {
  stop(): Promise<void>;
  /** Messages behind the high watermark, as last seen by the fetcher. */
  lag(): number;
  /** Batches applied since start; for readiness and tests. */
  stats(): { applied: number; duplicates: number; rejected: number; batches: number };
  /** For /health/ready: joined the group and no further behind than maxLag messages. */
  readiness(maxLag?: number): { ok: boolean; detail?: string };
}

/**
 * Exactly-once effects from an at-least-once log: the read-model changes of a slice of a fetched
 * batch (at most maxPerTransaction messages), their dedup records and the next offset commit in
 * one PostgreSQL transaction, and on (re)assignment the
 * consumer seeks to the offsets stored there. Kafka's own committed offsets are informational.
 * A malformed or unknown message is set aside in rejected_messages with a log line and the
 * stream goes on.
 */
export async function startProjectionConsumer<E extends { id: string }>(opts: ProjectionConsumerOptions<E>): Promise<ProjectionConsumer> {
  const { pool, schema, consumer, logger } = opts;
  const maxPerTransaction = opts.maxPerTransaction ?? MAX_PER_TRANSACTION;
  const counters = { applied: 0, duplicates: 0, rejected: 0, batches: 0 };

  /** Applies messages of one partition, in order, in one transaction with their dedup records and the next offset. */
  async function applySlice(topic: string, partition: number, messages: IncomingMessage[]): Promise<void> {
    const client = await pool.connect();
    let applied: E[] = [];
    try {
      await client.query('BEGIN');
      const stored = await loadOffset(client, schema, consumer, topic, partition);
      // Already applied in an earlier transaction (delivery raced the seek): skip by offset.
      const unseen = stored === undefined ? messages : messages.filter((m) => BigInt(m.offset) >= BigInt(stored));
      const result = await applyMessages(client, opts, unseen);
      applied = result.applied;
      counters.applied += applied.length;
      counters.duplicates += result.duplicates;
      counters.rejected += result.rejected;
      const last = messages.at(-1)?.offset;
      if (last !== undefined) await storeOffset(client, schema, consumer, topic, partition, (BigInt(last) + 1n).toString());
      await client.query('COMMIT');
      counters.batches++;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      // Nothing of this slice was applied; kafkajs fetches the batch again, and the slices that did
      // commit are skipped by their stored offset.
      throw err;
    } finally {
      client.release();
    }
    if (applied.length > 0) opts.afterCommit?.(applied);
  }

  const subscriber = await createSubscriber({
    ...opts.kafka,
    groupId: consumer,
    topics: opts.topics,
    fromBeginning: true,
    partitionsConcurrently: opts.partitionsConcurrently ?? 1,
    ...(opts.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: opts.maxBytesPerPartition }),
    resumeFrom: (topic, partition) => loadOffset(pool, schema, consumer, topic, partition),
    onError: (err) => logger.error({ err }, 'kafka consumer error'),
    handleBatch: async ({ topic, partition, messages, heartbeat }) => {
      // A fetch can hold thousands of messages. One transaction per slice of them keeps each
      // transaction short: a long one holds back every outbox reader on the PostgreSQL server
      // (they read below the oldest running transaction) and delays the group heartbeat.
      for (let i = 0; i < messages.length; i += maxPerTransaction) {
        await applySlice(topic, partition, messages.slice(i, i + maxPerTransaction));
        await heartbeat();
      }
    },
  });

  return {
    stop: () => subscriber.stop(),
    lag: () => subscriber.lag(),
    stats: () => ({ ...counters }),
    readiness: (maxLag = 1_000) => {
      if (!subscriber.joined()) return { ok: false, detail: `consumer ${consumer} has not joined its group yet` };
      const lag = subscriber.lag();
      return lag > maxLag ? { ok: false, detail: `consumer ${consumer} is ${lag} messages behind` } : { ok: true };
    },
  };
}

function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}
