import { AssignerProtocol, type Admin } from 'kafkajs';
import { kafkaClient, type KafkaConnection } from './client.js';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Topic-level configs, e.g. { 'retention.ms': '-1' }. */
  config?: Record<string, string>;
}

/** Unlimited retention: the case-events log is the history auditors replay. */
export const keepForever: Record<string, string> = { 'retention.ms': '-1', 'retention.bytes': '-1' };

export interface Replication {
  replicationFactor: number;
  /** Set on the topic only when it differs from Kafka's default of 1. */
  minInsyncReplicas: number;
}

/**
 * How widely a topic is replicated on a cluster of this many brokers: three copies once there are
 * three brokers, and an acks=all write must reach two of them, so losing one broker loses neither
 * data nor the ability to write. Below three brokers, one copy per broker and Kafka's defaults.
 */
export function replicationFor(brokerCount: number): Replication {
  const replicationFactor = Math.min(Math.max(Math.trunc(brokerCount), 1), 3);
  return { replicationFactor, minInsyncReplicas: replicationFactor >= 3 ? 2 : 1 };
}

export interface EnsureTopicsOptions {
  /** How long to wait for every new partition to have a leader. Default 30 s. */
  timeoutMs?: number;
  /**
   * The cluster's size, when the caller knows it (it started the nodes). Otherwise the brokers the
   * cluster reports now, which is one short while a broker is down.
   */
  brokerCount?: number;
}

/**
 * Creates the topics that do not exist yet; existing ones are left as they are (a topic created on
 * one broker keeps its one replica when the cluster grows). New topics are replicated by
 * replicationFor the cluster's size; a spec's own min.insync.replicas wins. Resolves once every
 * partition of them has a leader. kafkajs's own wait (`waitForLeaders`) gives up on the first
 * "unknown topic" answer, which a KRaft broker gives for a moment after creating one under load;
 * then the leaders are waited for here, asking again on any retriable answer until timeoutMs.
 */
export async function ensureTopics(conn: KafkaConnection, topics: TopicSpec[], opts: EnsureTopicsOptions = {}): Promise<void> {
  const { timeoutMs = 30_000 } = opts;
  const admin = kafkaClient(conn).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return;
    const brokerCount = opts.brokerCount ?? (await admin.describeCluster()).brokers.length;
    const { replicationFactor, minInsyncReplicas } = replicationFor(brokerCount);
    const replicated: Record<string, string> = minInsyncReplicas > 1 ? { 'min.insync.replicas': String(minInsyncReplicas) } : {};
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor,
          configEntries: Object.entries({ ...replicated, ...t.config }).map(([name, value]) => ({ name, value })),
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

export interface PartitionReplicas {
  partition: number;
  /** Node id of the broker leading the partition; -1 while it has none. */
  leader: number;
  replicas: number[];
  /** The replicas in sync with the leader: an acks=all write waits for these. */
  isr: number[];
}

/** Who leads each partition of the topic and which replicas are in sync, as the cluster says now. */
export async function topicPartitions(conn: KafkaConnection, topic: string): Promise<PartitionReplicas[]> {
  const admin = kafkaClient(conn).admin();
  await admin.connect();
  try {
    const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return (meta?.partitions ?? [])
      .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: [...p.replicas], isr: [...p.isr] }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

/** kafkajs's ConfigResourceTypes.TOPIC: its ES module named exports leave that enum out. */
const TOPIC_RESOURCE = 2;

/** The topic's own values of these settings (e.g. min.insync.replicas), as the cluster reports them. */
export async function topicSettings(conn: KafkaConnection, topic: string, names: string[]): Promise<Record<string, string>> {
  const admin = kafkaClient(conn).admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: names }] });
    return Object.fromEntries((resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
  } finally {
    await admin.disconnect();
  }
}

export interface GroupMember {
  memberId: string;
  /** The partitions the group's last assignment gave this member. */
  partitions: { topic: string; partition: number }[];
}

export interface GroupState {
  /** The coordinator's word for it: `Stable` once every member has its assignment. */
  state: string;
  members: GroupMember[];
}

/**
 * A consumer group's members and what each was assigned, as its coordinator knows them now. A
 * member that died stays one until its session times out; then the group rebalances and the others
 * are given its partitions.
 */
export async function describeGroup(conn: KafkaConnection, groupId: string): Promise<GroupState> {
  const admin = kafkaClient(conn).admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([groupId])).groups;
    const members = (group?.members ?? []).map((m) => {
      const assigned = m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
      const partitions = Object.entries(assigned?.assignment ?? {}).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
      return { memberId: m.memberId, partitions };
    });
    return { state: group?.state ?? 'Unknown', members };
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
