import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream } from './append.js';
import { onAppend } from './append-signal.js';
import { withTransaction } from './db.js';
import { createTestStore, newEvent, type TestStore } from './int-test-support.js';
import { readStream } from './read-stream.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore('es_append', 30);
});
afterAll(async () => {
  await store?.close();
});

describe('appendToStream', () => {
  it('appends with expected versions and reads the stream back in order', async () => {
    const schema = await store.schema();
    const [a, b, c] = [newEvent('a'), newEvent('b', { n: 1 }, { caseId: 'c1' }), newEvent('c')];
    const first = await appendToStream(store.pool, schema, 'case-1', 'no_stream', [a, b]);
    expect(first).toMatchObject({ ok: true, nextVersion: 2, appended: [a.id, b.id], duplicates: [] });
    const second = await appendToStream(store.pool, schema, 'case-1', 2, [c]);
    expect(second).toMatchObject({ ok: true, nextVersion: 3 });

    const read = await readStream(store.pool, schema, 'case-1');
    expect(read.version).toBe(3);
    expect(read.events.map((e) => [e.id, e.type, e.streamVersion])).toEqual([
      [a.id, 'a', 1],
      [b.id, 'b', 2],
      [c.id, 'c', 3],
    ]);
    expect(read.events[1]).toMatchObject({ data: { n: 1 }, metadata: { caseId: 'c1' }, streamId: 'case-1' });
    expect(await readStream(store.pool, schema, 'case-1', { fromVersion: 3 })).toMatchObject({ version: 3, events: [{ id: c.id }] });
    expect(await readStream(store.pool, schema, 'case-1', { fromVersion: 9 })).toEqual({ version: 3, events: [] });
    expect(await readStream(store.pool, schema, 'nothing-here')).toEqual({ version: 0, events: [] });
  });

  it('gives positions in the order given, rising with the stream version', async () => {
    const schema = await store.schema();
    const events = Array.from({ length: 50 }, () => newEvent());
    const result = await appendToStream(store.pool, schema, 's', 'no_stream', events);
    if (!result.ok) throw new Error('expected ok');
    const positions = result.positions.map(BigInt);
    expect(positions).toEqual([...positions].sort((x, y) => (x < y ? -1 : 1)));
    const read = await readStream(store.pool, schema, 's');
    expect(read.events.map((e) => e.globalPosition)).toEqual(result.positions);
  });

  it('answers a wrong expected version with a typed conflict, not an exception', async () => {
    const schema = await store.schema();
    await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent()]);
    expect(await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent()])).toEqual({
      ok: false,
      error: { kind: 'version_conflict', streamId: 's', expected: 'no_stream', actual: 1, reason: 'version' },
    });
    expect(await appendToStream(store.pool, schema, 's', 5, [newEvent()])).toMatchObject({ ok: false, error: { expected: 5, actual: 1 } });
    expect(await appendToStream(store.pool, schema, 's', 'any', [newEvent()])).toMatchObject({ ok: true, nextVersion: 2 });
  });

  it('lets exactly one of 10 concurrent appends with the same expected version win', async () => {
    const schema = await store.schema();
    await appendToStream(store.pool, schema, 'hot', 'no_stream', [newEvent()]);
    const results = await Promise.all(Array.from({ length: 10 }, () => appendToStream(store.pool, schema, 'hot', 1, [newEvent(), newEvent()])));
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(9);
    for (const l of losers) expect(l).toMatchObject({ ok: false, error: { kind: 'version_conflict', expected: 1, actual: 3 } });
    const read = await readStream(store.pool, schema, 'hot');
    expect(read.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
  });

  it('keeps concurrent "no_stream" creations of one stream to a single winner as well', async () => {
    const schema = await store.schema();
    const results = await Promise.all(Array.from({ length: 10 }, () => appendToStream(store.pool, schema, 'new', 'no_stream', [newEvent()])));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('treats a duplicate event id as a no-op that reports the duplicate', async () => {
    const schema = await store.schema();
    const e = newEvent();
    await appendToStream(store.pool, schema, 's', 'no_stream', [e]);
    // A retried request: same event, stale expected version. Already recorded → success, nothing new.
    expect(await appendToStream(store.pool, schema, 's', 'no_stream', [e])).toEqual({
      ok: true,
      nextVersion: 1,
      positions: [],
      appended: [],
      duplicates: [e.id],
    });
    expect((await readStream(store.pool, schema, 's')).events).toHaveLength(1);
  });

  it('numbers the rest of a batch without holes when some of it was already recorded', async () => {
    const schema = await store.schema();
    const [a, b, c, d] = [newEvent(), newEvent(), newEvent(), newEvent()];
    await appendToStream(store.pool, schema, 'other', 'no_stream', [b]);
    await appendToStream(store.pool, schema, 's', 'no_stream', [a]);
    const result = await appendToStream(store.pool, schema, 's', 1, [a, b, c, c, d]);
    expect(result).toMatchObject({ ok: true, nextVersion: 3, appended: [c.id, d.id], duplicates: [a.id, b.id, c.id] });
    const read = await readStream(store.pool, schema, 's');
    expect(read.events.map((e) => [e.id, e.streamVersion])).toEqual([
      [a.id, 1],
      [c.id, 2],
      [d.id, 3],
    ]);
  });

  it('stays consistent when two transactions race to record the same event ids', async () => {
    const schema = await store.schema();
    const shared = Array.from({ length: 5 }, () => newEvent());
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => appendToStream(store.pool, schema, `s${i}`, 'any', [newEvent(), ...shared, newEvent()])),
    );
    for (const r of results) expect(r.ok).toBe(true);
    const { rows } = await store.pool.query<{ stream_id: string; versions: number[] }>(
      `SELECT stream_id, array_agg(stream_version ORDER BY stream_version) AS versions FROM "${schema}".events GROUP BY stream_id`,
    );
    // Every stream's versions are 1..n without holes, and each shared id was recorded once.
    for (const r of rows) expect(r.versions).toEqual(r.versions.map((_, i) => i + 1));
    const { rows: count } = await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`);
    expect(Number(count[0]!.n)).toBe(8 * 2 + 5);
  });

  it('joins the caller’s transaction: events and the caller’s own writes commit or roll back together', async () => {
    const schema = await store.schema();
    await store.pool.query(`CREATE TABLE "${schema}".local_state (k text PRIMARY KEY)`);
    await withTransaction(store.pool, async (client) => {
      await appendToStream(client, schema, 'kept', 'no_stream', [newEvent()]);
      await client.query(`INSERT INTO "${schema}".local_state VALUES ('kept')`);
    });
    await expect(
      withTransaction(store.pool, async (client) => {
        await appendToStream(client, schema, 'dropped', 'no_stream', [newEvent()]);
        await client.query(`INSERT INTO "${schema}".local_state VALUES ('dropped')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await readStream(store.pool, schema, 'kept')).version).toBe(1);
    expect((await readStream(store.pool, schema, 'dropped')).version).toBe(0);
    const { rows } = await store.pool.query(`SELECT k FROM "${schema}".local_state`);
    expect(rows).toEqual([{ k: 'kept' }]);
  });

  it('leaves the caller’s transaction usable after a conflict', async () => {
    const schema = await store.schema();
    await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent()]);
    await withTransaction(store.pool, async (client) => {
      await appendToStream(client, schema, 'a', 'no_stream', [newEvent()]);
      expect(await appendToStream(client, schema, 's', 'no_stream', [newEvent()])).toMatchObject({ ok: false });
      expect(await appendToStream(client, schema, 's', 1, [newEvent()])).toMatchObject({ ok: true, nextVersion: 2 });
    });
    expect((await readStream(store.pool, schema, 'a')).version).toBe(1);
    expect((await readStream(store.pool, schema, 's')).version).toBe(2);
  });

  it('refuses to append from a transaction that got its id before the stream’s last writer (log order would break)', async () => {
    const schema = await store.schema();
    await withTransaction(store.pool, async (early) => {
      // This transaction takes its id first (as writing an idempotency record first would)…
      await early.query('SELECT pg_current_xact_id()');
      // …then another one appends and commits…
      await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent()]);
      // …and this one, although it expects the right version, would sort before it in the log.
      expect(await appendToStream(early, schema, 's', 1, [newEvent()])).toEqual({
        ok: false,
        error: { kind: 'version_conflict', streamId: 's', expected: 1, actual: 1, reason: 'transaction_order' },
      });
    });
    // A fresh transaction gets a newer id and goes through.
    expect(await appendToStream(store.pool, schema, 's', 1, [newEvent()])).toMatchObject({ ok: true, nextVersion: 2 });
  });

  it('says clearly when given a client outside a transaction', async () => {
    const schema = await store.schema();
    const client = await store.pool.connect();
    try {
      await expect(appendToStream(client, schema, 's', 'any', [newEvent()])).rejects.toThrow(/outside a transaction/);
    } finally {
      client.release();
    }
  });

  it('refuses malformed event ids before they reach SQL', async () => {
    const schema = await store.schema();
    await expect(appendToStream(store.pool, schema, 's', 'any', [{ ...newEvent(), id: 'nope' }])).rejects.toThrow(/canonical/);
  });

  it('keeps the events table append-only', async () => {
    const schema = await store.schema();
    await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent()]);
    await expect(store.pool.query(`UPDATE "${schema}".events SET type = 'x'`)).rejects.toThrow(/append-only/);
    await expect(store.pool.query(`DELETE FROM "${schema}".events`)).rejects.toThrow(/append-only/);
    await expect(store.pool.query(`TRUNCATE "${schema}".events`)).rejects.toThrow(/append-only/);
  });

  it('notifies <schema>_events on commit, and not for a rolled-back append', async () => {
    const schema = await store.schema();
    const listener = new pg.Client({ connectionString: store.db.url });
    await listener.connect();
    try {
      const seen: string[] = [];
      listener.on('notification', (n) => seen.push(n.channel));
      await listener.query(`LISTEN "${schema}_events"`);
      await withTransaction(store.pool, async (client) => {
        await appendToStream(client, schema, 's', 'no_stream', [newEvent()]);
        await new Promise((r) => setTimeout(r, 100));
        expect(seen).toEqual([]);
      });
      await expect(
        withTransaction(store.pool, async (client) => {
          await appendToStream(client, schema, 't', 'no_stream', [newEvent()]);
          throw new Error('rollback');
        }),
      ).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual([`${schema}_events`]);
    } finally {
      await listener.end();
    }
  });
});

describe('waking the relay', () => {
  it('an append that commits on its own sends no NOTIFY and wakes this process’s relay once it has committed', async () => {
    const schema = await store.schema();
    const listener = new pg.Client({ connectionString: store.db.url });
    await listener.connect();
    const woken: number[] = [];
    const stop = onAppend(schema, () => woken.push(Date.now()));
    try {
      const seen: string[] = [];
      listener.on('notification', (n) => seen.push(n.channel));
      await listener.query(`LISTEN "${schema}_events"`);
      const result = await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent()]);
      expect(result.ok).toBe(true);
      expect(woken).toHaveLength(1);
      // Committed when the wake-up came: a reader sees it.
      expect((await readStream(store.pool, schema, 's')).version).toBe(1);
      // A conflict wakes nobody.
      await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent()]);
      expect(woken).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toEqual([]);
    } finally {
      stop();
      await listener.end();
    }
  });
});
