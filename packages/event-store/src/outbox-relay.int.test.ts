import { randomBytes } from 'node:crypto';
import { createPublisher, createSubscriber, topicEndOffsets, type Publisher } from '@syv/messaging';
import { createTestTopics, readTopic, testInfra, waitFor } from '@syv/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream } from './append.js';
import { loadCheckpoint } from './checkpoints.js';
import { createTestStore, dedupeById, newEvent, parsePublished, sleep, testMessage, type TestStore } from './int-test-support.js';
import { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
import { runCommand } from './run-command.js';

let store: TestStore;
let publisher: Publisher;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  store = await createTestStore('es_relay', 40);
  publisher = await createPublisher({ brokers: testInfra().kafkaBrokers, clientId: 'es-relay-test' });
});
afterAll(async () => {
  await Promise.allSettled(relays.map((r) => r.stop()));
  await publisher?.close();
  await store?.close();
});

async function freshTopic(): Promise<string> {
  return (await createTestTopics('es-relay', 3)).caseEvents;
}

function relay(schema: string, topic: string, extra: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  const r = startOutboxRelay({ pool: store.pool, schema, publisher, topic, toMessage: testMessage, pollIntervalMs: 200, ...extra });
  relays.push(r);
  return r;
}

async function published(topic: string, atLeast: number) {
  const messages = await readTopic(topic, { until: (m) => m.length >= atLeast, timeoutMs: 30_000 });
  return messages.map(parsePublished);
}

async function messagesOn(topic: string): Promise<number> {
  const ends = await topicEndOffsets({ brokers: testInfra().kafkaBrokers, clientId: 'es-relay-test' }, topic);
  return ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
}

/** Ends the relay's PostgreSQL session as a crash would: its LISTEN and its publishing lock go with it. */
async function killListenerSession(schema: string): Promise<number> {
  const { rowCount } = await store.pool.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
    [`outbox-relay:${schema}:outbox`],
  );
  return rowCount ?? 0;
}

describe('outbox relay', () => {
  it('publishes an event held back by another transaction soon after that one ends, without waiting for a NOTIFY or its poll', async () => {
    const schema = await store.schema();
    const other = await store.schema();
    const topic = await freshTopic();
    // A poll far beyond the test's wait: only the relay's own re-reads can publish in time.
    const r = relay(schema, topic, { pollIntervalMs: 600_000 });
    await r.flush(20_000);
    // A writing transaction elsewhere on the server, older than the append, holds its event back…
    const blocker = new pg.Client({ connectionString: store.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await appendToStream(blocker, other, 'elsewhere', 'no_stream', [newEvent()]);
    const held = newEvent('a', {}, { caseId: 'case-held' });
    await appendToStream(store.pool, schema, 'case-held', 'no_stream', [held]);
    await sleep(300);
    expect(await messagesOn(topic)).toBe(0);
    // …and ends in another schema, whose NOTIFY the relay does not hear.
    await blocker.query('COMMIT');
    await blocker.end();
    const got = await readTopic(topic, { until: (m) => m.length >= 1, timeoutMs: 15_000 });
    expect(got.map((m) => parsePublished(m).id)).toEqual([held.id]);
  });

  it('publishes appended events keyed by case, each stream in version order, and checkpoints after the ack', async () => {
    const schema = await store.schema();
    const topic = await freshTopic();
    const r = relay(schema, topic);
    const events = [newEvent('a', {}, { caseId: 'case-1' }), newEvent('b', {}, { caseId: 'case-1' })];
    await appendToStream(store.pool, schema, 'case-1', 'no_stream', events);
    await r.flush(20_000);
    const got = await readTopic(topic, { until: (m) => m.length >= 2 });
    expect(got.map((m) => m.key)).toEqual(['case-1', 'case-1']);
    expect(got.map((m) => parsePublished(m).id)).toEqual(events.map((e) => e.id));
    expect(got[0]!.headers.ce_id).toBe(events[0]!.id);
    expect(await r.lag()).toBe(0);
    expect(r.metrics).toMatchObject({ publishedTotal: 2, leader: true, lastError: undefined });
    expect(await loadCheckpoint(store.pool, schema, 'outbox')).toBeDefined();
  });

  it('publishes each event to the topic topicFor names, in log order on each topic, with one checkpoint', async () => {
    const schema = await store.schema();
    const topics = await createTestTopics('es-relay', 3);
    const r = relay(schema, topics.caseEvents, { topicFor: (e) => (e.type.startsWith('alert.') ? topics.caseAlerts : topics.caseEvents) });
    const events = [
      newEvent('closure.assessed.v1', {}, { caseId: 'case-2' }),
      newEvent('alert.raised.v1', {}, { caseId: 'case-2' }),
      newEvent('alert.raised.v1', {}, { caseId: 'case-2' }),
      newEvent('closure.assessed.v1', {}, { caseId: 'case-2' }),
    ];
    await appendToStream(store.pool, schema, 'case-2', 'no_stream', events);
    await r.flush(20_000);
    expect((await published(topics.caseEvents, 2)).map((m) => m.id)).toEqual([events[0]!.id, events[3]!.id]);
    expect((await published(topics.caseAlerts, 2)).map((m) => m.id)).toEqual([events[1]!.id, events[2]!.id]);
    expect(await r.lag()).toBe(0);
    expect(r.metrics.publishedTotal).toBe(4);
  });

  it('holds back a transaction that committed out of order until the earlier one ends, then publishes both', async () => {
    const schema = await store.schema();
    const topic = await freshTopic();
    const r = relay(schema, topic, { pollIntervalMs: 50 });
    const t1 = new pg.Client({ connectionString: store.db.url });
    await t1.connect();
    try {
      await t1.query('BEGIN');
      const e1 = newEvent('first', {}, { caseId: 'case-9' });
      const e2 = newEvent('second', {}, { caseId: 'case-9' });
      // T1 begins and appends first (lower transaction id and position), T2 appends and commits.
      await appendToStream(t1, schema, 'case-9/referral', 'no_stream', [e1]);
      await appendToStream(store.pool, schema, 'case-9/closure', 'no_stream', [e2]);

      await sleep(1_000); // twenty polls and a notification
      expect(r.metrics.publishedTotal).toBe(0);
      expect(await messagesOn(topic)).toBe(0);
      expect(await r.lag()).toBe(1); // committed, not yet publishable

      await t1.query('COMMIT');
      await r.flush(20_000);
      const got = await published(topic, 2);
      // Same key, so same partition: log order is (transaction id, position), T1's event first.
      expect(got.map((m) => m.id)).toEqual([e1.id, e2.id]);
    } finally {
      await t1.end();
    }
  });

  it('re-publishes a batch when it crashes between the broker’s ack and the checkpoint; a consumer deduplicating by id counts it once', async () => {
    const schema = await store.schema();
    const topic = await freshTopic();
    let crashes = 0;
    const r = relay(schema, topic, {
      beforeCheckpoint: () => {
        if (crashes++ === 0) throw new Error('crash after publish, before checkpoint');
      },
    });
    const events = [newEvent('x', {}, { caseId: 'c' }), newEvent('y', {}, { caseId: 'c' })];
    await appendToStream(store.pool, schema, 'c', 'no_stream', events);
    await r.flush(20_000);

    const raw = await published(topic, 4);
    expect(raw.map((m) => m.id)).toEqual([...events, ...events].map((e) => e.id));
    expect(r.metrics).toMatchObject({ errorsTotal: 1, publishedTotal: 2, lastError: { message: 'crash after publish, before checkpoint' } });

    // The consumer side of at-least-once: a real consumer group that keeps the first of each id.
    const seen = new Set<string>();
    let applied = 0;
    const consumer = await createSubscriber({
      brokers: testInfra().kafkaBrokers,
      clientId: 'es-dedup',
      groupId: `es-dedup-${randomBytes(4).toString('hex')}`,
      topics: [topic],
      handleBatch: async (batch) => {
        for (const m of batch.messages) {
          const { id } = parsePublished(m);
          if (seen.has(id)) continue;
          seen.add(id);
          applied++;
        }
      },
    });
    try {
      await waitFor(() => seen.size === 2 && applied === 2, { what: 'both events applied' });
      await sleep(500);
      expect(applied).toBe(2);
    } finally {
      await consumer.stop();
    }
  });

  it('killed between publish and checkpoint: a new instance publishes the batch again and nothing is lost', async () => {
    const schema = await store.schema();
    const topic = await freshTopic();
    let reachedCheckpoint!: () => void;
    const atCheckpoint = new Promise<void>((r) => (reachedCheckpoint = r));
    // Instance A freezes for good right after the broker's ack (the process is gone, as far as
    // anyone can tell); its database session is then ended, as the server does for a dead client.
    startOutboxRelay({
      pool: store.pool,
      schema,
      publisher,
      topic,
      toMessage: testMessage,
      pollIntervalMs: 100,
      beforeCheckpoint: () => {
        reachedCheckpoint();
        return new Promise<void>(() => undefined);
      },
    });
    const before = [newEvent('p', {}, { caseId: 'k' }), newEvent('q', {}, { caseId: 'k' })];
    await appendToStream(store.pool, schema, 'k', 'no_stream', before);
    await atCheckpoint;
    expect(await loadCheckpoint(store.pool, schema, 'outbox')).toBeUndefined();
    expect(await killListenerSession(schema)).toBe(1);

    const after = [newEvent('r', {}, { caseId: 'k' })];
    await appendToStream(store.pool, schema, 'k', 2, after);
    const b = relay(schema, topic, { pollIntervalMs: 100 });
    await b.flush(20_000);

    const raw = await published(topic, 5);
    expect(raw.map((m) => m.id)).toEqual([...before, ...before, ...after].map((e) => e.id));
    const { kept, duplicates } = dedupeById(raw);
    expect(kept.map((m) => m.streamVersion)).toEqual([1, 2, 3]);
    expect(duplicates).toBe(2);
  });

  it('never moves the checkpoint while publishing fails, backs off, and catches up when the broker is back', async () => {
    const schema = await store.schema();
    const topic = await freshTopic();
    let calls = 0;
    const flaky: Publisher = {
      async publish(t, messages) {
        if (++calls <= 3) throw new Error('broker unreachable');
        return publisher.publish(t, messages);
      },
      close: async () => undefined,
    };
    const events = Array.from({ length: 5 }, () => newEvent('e', {}, { caseId: 'z' }));
    await appendToStream(store.pool, schema, 'z', 'no_stream', events);
    const started = Date.now();
    const r = relay(schema, topic, { publisher: flaky, pollIntervalMs: 100 });
    await waitFor(() => r.metrics.publishFailuresTotal >= 2, { what: 'two failed publishes' });
    expect(await loadCheckpoint(store.pool, schema, 'outbox')).toBeUndefined();
    await r.flush(20_000);
    // Three failures: back-offs of about 100, 200 and 400 ms (half of each fixed).
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(r.metrics).toMatchObject({ publishFailuresTotal: 3, publishedTotal: 5, lastError: { message: 'broker unreachable' } });
    const got = await published(topic, 5);
    expect(got.map((m) => m.id)).toEqual(events.map((e) => e.id));
  });

  it('lets one instance publish while another stands by, and hands over when the first stops', async () => {
    const schema = await store.schema();
    const topic = await freshTopic();
    const first = relay(schema, topic, { pollIntervalMs: 100 });
    await waitFor(() => first.metrics.leader, { what: 'first instance leading' });
    const second = relay(schema, topic, { pollIntervalMs: 100 });
    const batch1 = Array.from({ length: 20 }, (_, i) => newEvent('e', {}, { caseId: `c${i % 4}` }));
    for (let i = 0; i < 4; i++) await appendToStream(store.pool, schema, `c${i}`, 'no_stream', batch1.filter((_, j) => j % 4 === i));
    await second.flush(20_000);
    expect(second.metrics).toMatchObject({ leader: false, publishedTotal: 0 });
    expect(first.metrics.publishedTotal).toBe(20);

    await first.stop();
    await waitFor(() => second.metrics.leader, { what: 'second instance taking over' });
    const batch2 = [newEvent('late', {}, { caseId: 'c0' })];
    await appendToStream(store.pool, schema, 'c0', 5, batch2);
    await second.flush(20_000);
    const got = await published(topic, 21);
    // Exactly once here: a standby never publishes, and the hand-over began from a stored checkpoint.
    expect(got.map((m) => m.id).sort()).toEqual([...batch1, ...batch2].map((e) => e.id).sort());
  });

  it('reconnects its LISTEN session after PostgreSQL drops it, and keeps publishing', async () => {
    const schema = await store.schema();
    const topic = await freshTopic();
    const r = relay(schema, topic, { pollIntervalMs: 100 });
    await waitFor(() => r.metrics.leader, { what: 'leading' });
    expect(await killListenerSession(schema)).toBe(1);
    await waitFor(() => r.metrics.listenerReconnectsTotal === 1, { what: 'noticing the lost session' });
    const e = newEvent('after-reconnect', {}, { caseId: 'r' });
    await appendToStream(store.pool, schema, 'r', 'no_stream', [e]);
    await r.flush(20_000);
    expect(r.metrics).toMatchObject({ leader: true, listenerReconnectsTotal: 1 });
    expect((await published(topic, 1)).map((m) => m.id)).toEqual([e.id]);
  });

  it('stop() finishes the batch in flight and then publishes nothing more', async () => {
    const schema = await store.schema();
    const topic = await freshTopic();
    const r = relay(schema, topic, { pollIntervalMs: 100 });
    await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent('one', {}, { caseId: 's' })]);
    await r.flush(20_000);
    await r.stop();
    await appendToStream(store.pool, schema, 's', 1, [newEvent('two', {}, { caseId: 's' })]);
    await sleep(500);
    expect(await messagesOn(topic)).toBe(1);
    expect(await r.lag()).toBe(1);
    await expect(r.flush(300)).rejects.toThrow(/timed out after 300 ms with 1 events unpublished/);
  });

  it.each([
    { crashEvery: 0, what: 'with no failures' },
    { crashEvery: 5, what: 'while every 5th batch crashes between ack and checkpoint' },
  ])('loses nothing $what: thousands of events from concurrent writers all reach the topic, each stream in order', async ({ crashEvery }) => {
    const schema = await store.schema();
    const topic = await freshTopic();
    let batches = 0;
    const r = relay(schema, topic, {
      ...(crashEvery > 0
        ? {
            beforeCheckpoint: () => {
              if (++batches % crashEvery === 0) throw new Error('injected crash');
            },
          }
        : {}),
    });
    const streams = 60;
    const writers = 24;
    const target = 3_000;
    const appended: string[] = [];
    let conflictsRetried = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; appended.length < target; i++) {
          const caseId = `case-${(w * 7 + i * 13) % streams}`;
          const size = 1 + ((w + i) % 3);
          const result = await runCommand({
            pool: store.pool,
            schema,
            streamId: caseId,
            retries: 50,
            decide: () => ({ ok: true, events: Array.from({ length: size }, () => newEvent('e', { w, i }, { caseId })) }),
          });
          if (!result.ok) throw new Error(`append failed: ${JSON.stringify(result.error)}`);
          conflictsRetried += result.attempts - 1;
          appended.push(...result.appended.appended);
        }
      }),
    );
    const appendMs = Date.now() - started;
    await r.flush(60_000);
    const relayedMs = Date.now() - started;

    const raw = await published(topic, appended.length);
    const { kept, duplicates } = dedupeById(raw);
    expect(kept.map((m) => m.id).sort()).toEqual([...appended].sort());
    // Duplicates only come from crashes: none without, some with.
    if (crashEvery === 0) expect(duplicates).toBe(0);
    else expect(duplicates).toBeGreaterThan(0);

    // Within each key (one stream per key here), first deliveries carry versions 1..n in partition order.
    const byStream = new Map<string, number[]>();
    for (const m of [...kept].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))) {
      byStream.set(m.streamId, [...(byStream.get(m.streamId) ?? []), m.streamVersion]);
    }
    expect(byStream.size).toBe(streams);
    for (const versions of byStream.values()) expect(versions).toEqual(versions.map((_, i) => i + 1));

    console.log(
      `[event-store] ${appended.length} events in ${byStream.size} streams from ${writers} writers: appended in ${appendMs} ms ` +
        `(${Math.round((appended.length / appendMs) * 1000)} events/s, ${conflictsRetried} conflict retries); ` +
        `all published ${relayedMs} ms after the start, in ${r.metrics.batchesTotal} batches; ` +
        `${r.metrics.errorsTotal} injected crashes, ${duplicates} duplicates on the topic`,
    );
  });
});
