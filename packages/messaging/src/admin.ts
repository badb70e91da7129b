import type { Admin } from 'kafkajs';
import { kafkaClient, type KafkaConnection } from './client.js';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Topic-level configs, e.g. { 'retention.ms': '-1' }. */
  config?: Record<string, string>;
}

/** Unlimited retention: the case-events log is the history auditors replay. */
export const keepForever: Record<string, string> = { 'retention.ms': '-1', 'retention.bytes': '-1' };

/**
 * Creates the topics that do not exist yet; existing ones are left as they are. Resolves once every
 * partition of them has a leader. kafkajs's own wait (`waitForLeaders`) gives up on the first
 * "unknown topic" answer, which a KRaft broker gives for a moment after creating one under load;
 * then the leaders are waited for here, asking again on any retriable answer until timeoutMs.
 */
export async function ensureTopics(conn: KafkaConnection, topics: TopicSpec[], timeoutMs = 30_000): Promise<void> {
  const admin = kafkaClient(conn).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: 1,
          configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      return;
    } catch (err) {
      // Created, but kafkajs's wait for leaders gave up on a transient answer: wait here instead.
      if (!isRetriable(err)) throw err;
    }
    await waitForLeaders(admin, missing, Date.now() + timeoutMs);
  } finally {
    await admin.disconnect();
  }
}

const isRetriable = (err: unknown) => (err as { retriable?: boolean }).retriable === true;

/** Until every partition of these topics has a leader, asking again on any retriable answer. */
async function waitForLeaders(admin: Admin, topics: TopicSpec[], deadline: number): Promise<void> {
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
      const led = (t: TopicSpec) => {
        const m = meta.find((x) => x.name === t.name);
        return m !== undefined && m.partitions.length === t.partitions && m.partitions.every((p) => p.leader >= 0);
      };
      if (topics.every(led)) return;
    } catch (err) {
      if (!isRetriable(err) || Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.map((t) => t.name).join(', ')} have no leader for every partition by the deadline`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves once the cluster answers a metadata request; used by readiness checks and start-up. */
export async function pingKafka(conn: KafkaConnection): Promise<void> {
  const admin = kafkaClient({ ...conn, connectionTimeoutMs: conn.connectionTimeoutMs ?? 1_000 }).admin({
    retry: { retries: 0 },
  });
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Waits up to timeoutMs for the broker to answer, polling. */
export async function waitForKafka(conn: KafkaConnection, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await pingKafka(conn);
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`Kafka at ${conn.brokers.join(',')} did not answer within ${timeoutMs} ms: ${String(lastError)}`);
}

/** High watermarks per partition: how far the log reaches now. */
export async function topicEndOffsets(
  conn: KafkaConnection,
  topic: string,
): Promise<{ partition: number; high: string; low: string }[]> {
  const admin = kafkaClient(conn).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, high: o.high, low: o.low }));
  } finally {
    await admin.disconnect();
  }
}

/** Fails with a message naming the missing topics: consumers and producers never create topics. */
export async function assertTopicsExist(conn: KafkaConnection, topics: string[]): Promise<void> {
  const admin = kafkaClient(conn).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new Error(`Kafka topic(s) ${missing.join(', ')} do not exist at ${conn.brokers.join(',')}: create them first (\`npm run kafka -- start\` and \`npm start\` do)`);
    }
  } finally {
    await admin.disconnect();
  }
}
