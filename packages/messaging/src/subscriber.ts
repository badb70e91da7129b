import type { Consumer, IHeaders } from 'kafkajs';
import { kafkaClient, type KafkaConnection } from './client.js';

export interface IncomingMessage {
  topic: string;
  partition: number;
  /** Kafka offset as a decimal string (offsets are int64). */
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export interface IncomingBatch {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
  /** Tells the group this member is alive: call it between long steps of one batch. */
  heartbeat: () => Promise<void>;
}

export interface SubscriberOptions extends KafkaConnection {
  groupId: string;
  topics: string[];
  /** Where a partition with no committed offset starts. */
  fromBeginning?: boolean;
  /** Partitions handled at once (default 1); the batches of one partition are always handled in order. */
  partitionsConcurrently?: number;
  /** Most bytes one fetch takes from a partition (default 1 MiB): a larger one gives larger batches to a consumer far behind. */
  maxBytesPerPartition?: number;
  /**
   * Called for every partition this member is assigned. Return the offset to resume from (the
   * next one to read), taken from the consumer's own store, to get exactly-once effects: Kafka's
   * committed offsets are then informational only. Return undefined to use Kafka's.
   */
  resumeFrom?: (topic: string, partition: number) => Promise<string | undefined>;
  /** Handles one batch; when it resolves, the batch's offsets are committed to Kafka too. */
  handleBatch: (batch: IncomingBatch) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface Subscriber {
  stop(): Promise<void>;
  /** Sum over assigned partitions of (high watermark − next offset to read), as last seen. */
  lag(): number;
  /** Partitions this member currently holds. */
  assignment(): { topic: string; partition: number }[];
  /** True once this member has joined its group and until it crashes or stops. */
  joined(): boolean;
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}

export async function createSubscriber(opts: SubscriberOptions): Promise<Subscriber> {
  const consumer: Consumer = kafkaClient(opts).consumer({
    groupId: opts.groupId,
    // A crashed member holds its partitions until this expires: short, so a restart resumes quickly.
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: opts.maxBytesPerPartition ?? 1_048_576,
    maxBytes: Math.max(10_485_760, 3 * (opts.maxBytesPerPartition ?? 0)),
    allowAutoTopicCreation: false,
  });
  const lagByPartition = new Map<string, number>();
  let assigned: { topic: string; partition: number }[] = [];
  let joined = false;

  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    joined = true;
    assigned = Object.entries(event.payload.memberAssignment).flatMap(([topic, partitions]) =>
      partitions.map((partition) => ({ topic, partition })),
    );
    if (!opts.resumeFrom) return;
    const resumeFrom = opts.resumeFrom;
    // Seek each newly assigned partition to the offset the caller's own store says comes next.
    void Promise.all(
      assigned.map(async ({ topic, partition }) => {
        const offset = await resumeFrom(topic, partition);
        if (offset !== undefined) consumer.seek({ topic, partition, offset });
      }),
    ).catch((err) => opts.onError?.(err));
  });
  consumer.on(consumer.events.CRASH, (event) => {
    joined = false;
    opts.onError?.(event.payload.error);
  });
  consumer.on(consumer.events.STOP, () => {
    joined = false;
  });

  await consumer.connect();
  for (const topic of opts.topics) {
    await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
  }
  await consumer.run({
    partitionsConsumedConcurrently: opts.partitionsConcurrently ?? 1,
    autoCommit: true,
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch, heartbeat }) => {
      const messages: IncomingMessage[] = batch.messages.map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key ? m.key.toString() : null,
        value: m.value,
        headers: headersToStrings(m.headers),
        timestamp: m.timestamp,
      }));
      if (messages.length > 0) {
        await opts.handleBatch({ topic: batch.topic, partition: batch.partition, messages, heartbeat });
      }
      const last = messages.at(-1);
      const high = Number(batch.highWatermark);
      lagByPartition.set(
        `${batch.topic}:${batch.partition}`,
        last ? Math.max(0, high - Number(last.offset) - 1) : Math.max(0, high - Number(batch.firstOffset() ?? high)),
      );
      await heartbeat();
    },
  });

  return {
    async stop() {
      await consumer.disconnect();
    },
    lag() {
      let sum = 0;
      for (const v of lagByPartition.values()) sum += v;
      return sum;
    },
    assignment() {
      return assigned;
    },
    joined() {
      return joined;
    },
  };
}
