import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublisher,
  createSubscriber,
  ensureTopics,
  kafkaClient,
  topicEndOffsets,
  type IncomingMessage,
  type Subscriber,
} from '@syv/messaging';
import { LocalKafkaError, startLocalKafka, type LocalKafka } from './kafka-local.js';
import { freePorts, portAnswers, waitForPortClosed } from './net.js';
import { caseTopics } from './topics.js';

// The broker this project pins, started exactly as `npm start` and the test setup start it, and
// driven with kafkajs 2.2.4 through @syv/messaging: the evidence for choosing Kafka 4.x.

const log = (msg: string): void => console.log(`[kafka-local test] ${msg}`);
const TOPIC_CONFIG_RESOURCE = 2; // kafkajs ConfigResourceTypes.TOPIC

async function eventually(check: () => boolean, what: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('local Apache Kafka broker (no Docker)', () => {
  let dataDir: string;
  let port: number;
  let controllerPort: number;
  let broker: LocalKafka;
  const subscribers: Subscriber[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'syv-kafka-'));
    [port, controllerPort] = (await freePorts(2)) as [number, number];
    const started = Date.now();
    broker = await startLocalKafka({ port, controllerPort, dataDir, log });
    log(`broker answered ${Date.now() - started} ms after startLocalKafka was called (fresh data dir, jars cached)`);
  });

  afterAll(async () => {
    await Promise.allSettled(subscribers.map((s) => s.stop()));
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers on 127.0.0.1 at the port asked for', () => {
    expect(broker.brokers).toEqual([`127.0.0.1:${port}`]);
    expect(broker.pid).toBeGreaterThan(0);
  });

  it('refuses a second broker on a port where one already answers', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'syv-kafka-second-'));
    try {
      const second = startLocalKafka({ port, controllerPort: controllerPort + 100, dataDir: otherDir, log });
      await expect(second).rejects.toBeInstanceOf(LocalKafkaError);
      await expect(second).rejects.toMatchObject({ code: 'ALREADY_RUNNING' });
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('creates topics with the admin client, with unlimited retention where asked', async () => {
    const conn = { brokers: broker.brokers, clientId: 'int-admin' };
    await ensureTopics(conn, caseTopics);
    const admin = kafkaClient(conn).admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: caseTopics.map((t) => t.name) });
      for (const topic of metadata.topics) expect(topic.partitions).toHaveLength(6);
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: TOPIC_CONFIG_RESOURCE, name: 'case-events', configNames: ['retention.ms'] }],
      });
      expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('-1');
    } finally {
      await admin.disconnect();
    }
  });

  it('produces idempotently with acks=all and rebalances a consumer group when a second member joins', async () => {
    const conn = { brokers: broker.brokers, clientId: 'int-group' };
    const topic = 'int-rebalance';
    await ensureTopics(conn, [{ name: topic, partitions: 6 }]);

    // createPublisher is idempotent (InitProducerId, sequence numbers) and sends with acks = -1.
    const publisher = await createPublisher(conn);
    const batch = (prefix: string) => Array.from({ length: 60 }, (_, i) => ({ key: `${prefix}-${i}`, value: `${prefix}-${i}` }));
    await publisher.publish(topic, batch('first'));

    const seenBy = [new Map<string, IncomingMessage>(), new Map<string, IncomingMessage>()] as const;
    const subscribe = (member: 0 | 1) =>
      createSubscriber({
        ...conn,
        clientId: `int-member-${member}`,
        groupId: 'int-group',
        topics: [topic],
        fromBeginning: true,
        handleBatch: async ({ messages }) => {
          for (const m of messages) seenBy[member].set(`${m.partition}:${m.offset}`, m);
        },
      });

    const first = await subscribe(0);
    subscribers.push(first);
    await eventually(() => seenBy[0].size === 60, 'the only member to read all 60 records');
    expect(first.assignment()).toHaveLength(6);

    const second = await subscribe(1);
    subscribers.push(second);
    await eventually(
      () => first.assignment().length > 0 && second.assignment().length > 0 && first.assignment().length + second.assignment().length === 6,
      'the group to rebalance over both members',
    );
    const partitionsOf = (s: Subscriber) => s.assignment().map((a) => a.partition);
    expect(new Set([...partitionsOf(first), ...partitionsOf(second)]).size).toBe(6);

    await publisher.publish(topic, batch('second'));
    await publisher.close();
    const everything = () => new Set([...seenBy[0].keys(), ...seenBy[1].keys()]);
    await eventually(() => everything().size >= 120, 'all 120 records across both members');
    expect(seenBy[1].size).toBeGreaterThan(0);
    // Each record is in the log exactly once: 120 sends, 120 offsets, 120 distinct values.
    const ends = await topicEndOffsets(conn, topic);
    expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(120);
    expect(everything().size).toBe(120);
    const values = [...seenBy[0].values(), ...seenBy[1].values()].map((m) => m.value?.toString());
    expect(new Set(values).size).toBe(120);
  });

  it('stops: the process exits, the port closes and the pid file is gone', async () => {
    await Promise.all(subscribers.splice(0).map((s) => s.stop()));
    const started = Date.now();
    await broker.stop();
    log(`broker stopped in ${Date.now() - started} ms`);
    const code = await broker.exited;
    expect([0, 143]).toContain(code);
    expect(() => process.kill(broker.pid, 0)).toThrow();
    expect(await waitForPortClosed(port, 5_000)).toBe(true);
    expect(await portAnswers(controllerPort)).toBe(false);
    expect(existsSync(join(dataDir, 'broker.pid.json'))).toBe(false);
  });
});

describe('a process that ends while its broker is still stopping', () => {
  it('leaves neither the broker nor its pid file behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'syv-kafka-exit-'));
    try {
      const [port, controllerPort] = (await freePorts(2)) as [number, number];
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'exit-during-stop.fixture.ts'), dataDir, String(port), String(controllerPort)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code, out).toBe(1);
      const { pid } = JSON.parse(out.trim().split('\n')[0] ?? '{}') as { pid: number };
      expect(pid).toBeGreaterThan(0);
      // SIGKILL from the exit hook: gone (or a zombie its new parent has yet to reap), frozen or not.
      const gone = () => {
        try {
          return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return true;
        }
      };
      await eventually(gone, `broker pid ${pid} to be gone`, 5_000);
      expect(existsSync(join(dataDir, 'broker.pid.json'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
