import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, createSubscriber, ensureTopics, kafkaClient, type Publisher, type Subscriber } from '@syv/messaging';
import { startLocalKafkaCluster, type LocalKafkaCluster, type LocalKafkaNode } from './kafka-local.js';
import { freePorts, portAnswers, waitForPortClosed } from './net.js';

// Three combined broker+controller nodes started as `KAFKA_LOCAL_NODES=3 npm start` starts them,
// driven through @syv/messaging: the topics are replicated three times with two in sync, so one
// node killed outright loses no acknowledged write and stops no write.

const log = (msg: string): void => console.log(`[kafka-cluster test] ${msg}`);
const TOPIC_CONFIG_RESOURCE = 2; // kafkajs ConfigResourceTypes.TOPIC
const BROKER_CONFIG_RESOURCE = 4; // kafkajs ConfigResourceTypes.BROKER

async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 45_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every value on the topic, read from the beginning by a group of its own, once `expected` are all there. */
async function readBack(brokers: string[], topic: string, expected: string[], timeoutMs = 45_000): Promise<Set<string>> {
  const seen = new Set<string>();
  const reader: Subscriber = await createSubscriber({
    brokers,
    clientId: 'cluster-reader',
    groupId: `cluster-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    handleBatch: async ({ messages }) => {
      for (const m of messages) if (m.value) seen.add(m.value.toString());
    },
  });
  try {
    await eventually(() => expected.every((v) => seen.has(v)), `all ${expected.length} records to be read back`, timeoutMs);
    return seen;
  } finally {
    await reader.stop();
  }
}

/** Sends until acknowledged, as the outbox relay does: a send in flight while a node dies may fail once. */
async function publishUntilAcknowledged(publisher: Publisher, topic: string, values: string[], timeoutMs = 45_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await publisher.publish(topic, values.map((v) => ({ key: v, value: v })));
      return attempt;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      log(`publish attempt ${attempt} failed while the cluster moves leaders: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function nodeProcessesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('kafka.Kafka') && cmdline.includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('local Apache Kafka cluster of three nodes (no Docker)', () => {
  const topic = 'int-replicated';
  let dataDir: string;
  let cluster: LocalKafkaCluster;
  let ports: { port: number; controllerPort: number }[];
  let publisher: Publisher | undefined;
  const written: string[] = [];
  let victim: LocalKafkaNode;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'syv-kafka-cluster-'));
    const free = await freePorts(6);
    ports = [0, 1, 2].map((i) => ({ port: free[2 * i]!, controllerPort: free[2 * i + 1]! }));
    const started = Date.now();
    // Any failure to start throws here, which fails every test below: this file never skips.
    cluster = await startLocalKafkaCluster({ nodes: 3, ports, dataDir, log });
    log(`3 nodes answered and registered ${Date.now() - started} ms after startLocalKafkaCluster was called (fresh data dirs, jars cached)`);
  });

  afterAll(async () => {
    await publisher?.close().catch(() => undefined);
    await cluster?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs each node on its own ports, data dir and pid file, in one quorum with one cluster id', async () => {
    expect(cluster.brokers).toEqual(ports.map((p) => `127.0.0.1:${p.port}`));
    expect(cluster.replication).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    const nodes = cluster.nodes;
    expect(new Set(nodes.map((n) => n.pid)).size).toBe(3);
    const voters = ports.map((p, i) => `${i + 1}@127.0.0.1:${p.controllerPort}`).join(',');
    const clusterIds = new Set<string>();
    for (const node of nodes) {
      expect(node.dataDir).toBe(join(dataDir, `node-${node.nodeId}`));
      const pidFile = JSON.parse(readFileSync(join(node.dataDir, 'broker.pid.json'), 'utf8')) as { pid: number; nodeId: number; port: number };
      expect(pidFile).toMatchObject({ pid: node.pid, nodeId: node.nodeId, port: node.port });
      const properties = readFileSync(join(node.dataDir, 'server.properties'), 'utf8');
      expect(properties).toContain(`node.id=${node.nodeId}\n`);
      expect(properties).toContain(`controller.quorum.voters=${voters}\n`);
      expect(properties).not.toMatch(/^controller\.quorum\.bootstrap\.servers/m);
      clusterIds.add(/cluster\.id=(\S+)/.exec(readFileSync(join(node.dataDir, 'data', 'meta.properties'), 'utf8'))?.[1] ?? '');
    }
    expect([...clusterIds]).toEqual([readFileSync(join(dataDir, 'cluster-id'), 'utf8').trim()]);

    const admin = kafkaClient({ brokers: cluster.brokers, clientId: 'int-cluster' }).admin();
    await admin.connect();
    try {
      const described = await admin.describeCluster();
      expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      // The internal topics (offsets, transaction state) are replicated as the system's own.
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [1, 2, 3].map((id) => ({
          type: BROKER_CONFIG_RESOURCE,
          name: String(id),
          configNames: ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'transaction.state.log.min.isr', 'min.insync.replicas', 'default.replication.factor'],
        })),
      });
      for (const resource of configs.resources) {
        expect(Object.fromEntries(resource.configEntries.map((e) => [e.configName, e.configValue]))).toEqual({
          'offsets.topic.replication.factor': '3',
          'transaction.state.log.replication.factor': '3',
          'transaction.state.log.min.isr': '2',
          'min.insync.replicas': '2',
          'default.replication.factor': '3',
        });
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('creates a topic with 3 replicas and min.insync.replicas=2, produces with acks=all and consumes', async () => {
    const conn = { brokers: cluster.brokers, clientId: 'int-cluster' };
    // No brokerCount given: ensureTopics takes the replication from the brokers the cluster reports.
    await ensureTopics(conn, [{ name: topic, partitions: 6 }]);
    const admin = kafkaClient(conn).admin();
    await admin.connect();
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      expect(meta?.partitions).toHaveLength(6);
      for (const p of meta?.partitions ?? []) {
        expect([...p.replicas].sort()).toEqual([1, 2, 3]);
        expect(p.isr).toHaveLength(3);
      }
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: TOPIC_CONFIG_RESOURCE, name: topic, configNames: ['min.insync.replicas'] }],
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
    } finally {
      await admin.disconnect();
    }

    // createPublisher sends idempotently with acks = -1 (all in-sync replicas).
    publisher = await createPublisher(conn);
    const before = Array.from({ length: 30 }, (_, i) => `before-${i}`);
    await publisher.publish(topic, before.map((v) => ({ key: v, value: v })));
    written.push(...before);
    const seen = await readBack(cluster.brokers, topic, written);
    expect(seen.size).toBe(30);
  });

  it('keeps acknowledging acks=all writes and serves everything written after one node is killed with SIGKILL', async () => {
    if (!publisher) throw new Error('the previous test made no publisher');
    const admin = kafkaClient({ brokers: cluster.brokers, clientId: 'int-cluster' }).admin();
    await admin.connect();
    let leaderOf0: number;
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      leaderOf0 = meta?.partitions.find((p) => p.partitionId === 0)?.leader ?? -1;
    } finally {
      await admin.disconnect();
    }
    // The leader of a partition being written: its loss makes the cluster elect another one.
    victim = cluster.nodes.find((n) => n.nodeId === leaderOf0) ?? cluster.nodes[1]!;
    log(`killing node ${victim.nodeId} (pid ${victim.pid}, leader of partition 0) with SIGKILL`);
    process.kill(victim.pid, 'SIGKILL');
    const killed = Date.now();
    expect(await victim.exited).toBeNull();

    const after = Array.from({ length: 30 }, (_, i) => `after-${i}`);
    const attempts = await publishUntilAcknowledged(publisher, topic, after);
    written.push(...after);
    log(`30 acks=all records acknowledged ${Date.now() - killed} ms after the kill (attempt ${attempts})`);

    const survivors = cluster.brokers.filter((b) => b !== `127.0.0.1:${victim.port}`);
    const seen = await readBack(survivors, topic, written);
    expect(written.every((v) => seen.has(v))).toBe(true);
    log(`all ${written.length} records read back from the two survivors ${Date.now() - killed} ms after the kill`);

    // Two replicas in sync are enough for min.insync.replicas=2: that is what acknowledged the writes.
    const check = kafkaClient({ brokers: survivors, clientId: 'int-cluster' }).admin();
    await check.connect();
    try {
      const [meta] = (await check.fetchTopicMetadata({ topics: [topic] })).topics;
      for (const p of meta?.partitions ?? []) {
        expect(p.isr).not.toContain(victim.nodeId);
        expect(p.isr.length).toBeGreaterThanOrEqual(2);
        expect(p.leader).not.toBe(victim.nodeId);
      }
    } finally {
      await check.disconnect();
    }
  }, 90_000);

  it('restarts the killed node, which catches up and is back in sync for every partition', async () => {
    const started = Date.now();
    const restarted = await cluster.restartNode(victim.nodeId);
    expect(restarted.pid).not.toBe(victim.pid);
    expect(restarted.port).toBe(victim.port);
    const admin = kafkaClient({ brokers: cluster.brokers, clientId: 'int-cluster' }).admin();
    await admin.connect();
    try {
      await eventually(async () => {
        const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
        return meta?.partitions.every((p) => p.isr.length === 3);
      }, 'every partition to have 3 replicas in sync again');
    } finally {
      await admin.disconnect();
    }
    log(`node ${victim.nodeId} restarted and back in sync after ${Date.now() - started} ms`);
  }, 90_000);

  it('stops every node: no node process left, ports closed, every pid file removed', async () => {
    await publisher?.close();
    publisher = undefined;
    const nodes = cluster.nodes;
    const started = Date.now();
    await cluster.stop();
    log(`3 nodes stopped in ${Date.now() - started} ms`);
    for (const node of nodes) {
      expect([0, 143]).toContain(await node.exited);
      expect(() => process.kill(node.pid, 0)).toThrow();
      expect(await waitForPortClosed(node.port, 5_000)).toBe(true);
      expect(await portAnswers(node.controllerPort)).toBe(false);
      expect(existsSync(join(node.dataDir, 'broker.pid.json'))).toBe(false);
    }
    expect(nodeProcessesUnder(dataDir)).toEqual([]);
  }, 60_000);
});
