import pg from 'pg';
import { waitFor } from '@syv/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream } from './append.js';
import { startOfLog } from './checkpoint-order.js';
import { loadCheckpoint, storeCheckpoint } from './checkpoints.js';
import { createTestStore, newEvent, type TestStore } from './int-test-support.js';
import { countAfter, lastCommittedCheckpoint, readAllBatch } from './read-all.js';
import type { LogCheckpoint } from './types.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore('es_read_all');
});
afterAll(async () => {
  await store?.close();
});

// Other test files share this PostgreSQL server, and any transaction of theirs still running holds
// the reader back (that is the rule under test), so "visible now" is always awaited, never assumed.
async function readEventually(schema: string, from: LogCheckpoint, count: number) {
  return waitFor(
    async () => {
      const batch = await readAllBatch(store.pool, schema, from, 100);
      return batch.events.length >= count ? batch : undefined;
    },
    { what: `${count} readable events` },
  );
}

async function openTransaction(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: store.db.url });
  await c.connect();
  await c.query('BEGIN');
  return c;
}

describe('readAllBatch', () => {
  it('reads the whole log in batches and hands back the checkpoint to continue from', async () => {
    const schema = await store.schema();
    for (let i = 0; i < 5; i++) await appendToStream(store.pool, schema, `s${i % 2}`, 'any', [newEvent(), newEvent()]);
    const seen: string[] = [];
    let cp = startOfLog;
    await waitFor(
      async () => {
        const batch = await readAllBatch(store.pool, schema, cp, 3);
        expect(batch.events.length).toBeLessThanOrEqual(3);
        expect(batch.hasMore).toBe(batch.events.length === 3);
        seen.push(...batch.events.map((e) => e.globalPosition));
        cp = batch.checkpoint;
        return seen.length >= 10;
      },
      { intervalMs: 10, what: 'all 10 events' },
    );
    // Positions 9 and 10 fall in one batch boundary: numeric order, not text order ('10' < '9').
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(await readAllBatch(store.pool, schema, cp, 3)).toEqual({ events: [], checkpoint: cp, hasMore: false, heldBack: false });
  });

  it('never returns a row committed out of order before the earlier transaction has ended', async () => {
    const schema = await store.schema();
    const t1 = await openTransaction();
    const t2 = await openTransaction();
    try {
      // T1 begins and appends first: it takes the lower transaction id and global position…
      const e1 = newEvent();
      const e2 = newEvent();
      await appendToStream(t1, schema, 'case-1', 'no_stream', [e1]);
      await appendToStream(t2, schema, 'case-2', 'no_stream', [e2]);
      // …but T2 commits first.
      await t2.query('COMMIT');

      // A reader polling by global_position alone would now take T2's row and move past T1's.
      const { rows } = await store.pool.query(`SELECT event_id FROM "${schema}".events`);
      expect(rows.map((r: { event_id: string }) => r.event_id)).toEqual([e2.id]);
      const whileT1Open = await readAllBatch(store.pool, schema, startOfLog, 100);
      expect(whileT1Open.events).toEqual([]);
      expect(whileT1Open.checkpoint).toEqual(startOfLog);
      // …and says that a committed row is waiting, so a relay looks again soon.
      expect(whileT1Open.heldBack).toBe(true);

      await t1.query('COMMIT');
      const after = await readEventually(schema, startOfLog, 2);
      expect(after.events.map((e) => e.id)).toEqual([e1.id, e2.id]);
      expect(BigInt(after.events[0]!.transactionId)).toBeLessThan(BigInt(after.events[1]!.transactionId));
    } finally {
      await t1.end();
      await t2.end();
    }
  });

  it('moves on past a transaction that aborted', async () => {
    const schema = await store.schema();
    const t1 = await openTransaction();
    try {
      await appendToStream(t1, schema, 'a', 'no_stream', [newEvent()]);
      const e2 = newEvent();
      await appendToStream(store.pool, schema, 'b', 'no_stream', [e2]);
      expect((await readAllBatch(store.pool, schema, startOfLog, 100)).events).toEqual([]);
      await t1.query('ROLLBACK');
      expect((await readEventually(schema, startOfLog, 1)).events.map((e) => e.id)).toEqual([e2.id]);
    } finally {
      await t1.end();
    }
  });

  it('knows the last committed pair and counts what lies after a checkpoint', async () => {
    const schema = await store.schema();
    expect(await lastCommittedCheckpoint(store.pool, schema)).toBeUndefined();
    await appendToStream(store.pool, schema, 's', 'no_stream', [newEvent(), newEvent(), newEvent()]);
    const all = await readEventually(schema, startOfLog, 3);
    expect(await countAfter(store.pool, schema, startOfLog)).toBe(3);
    expect(await countAfter(store.pool, schema, { transactionId: all.events[0]!.transactionId, position: all.events[0]!.globalPosition })).toBe(2);
    expect(await lastCommittedCheckpoint(store.pool, schema)).toEqual(all.checkpoint);
  });
});

describe('subscription checkpoints', () => {
  it('stores, loads, and only ever moves forward', async () => {
    const schema = await store.schema();
    expect(await loadCheckpoint(store.pool, schema, 'sub')).toBeUndefined();
    expect(await storeCheckpoint(store.pool, schema, 'sub', { transactionId: '100', position: '7' })).toEqual({ moved: true });
    expect(await storeCheckpoint(store.pool, schema, 'sub', { transactionId: '100', position: '9' })).toEqual({ moved: true });
    // Behind (an older batch finishing late) or equal: ignored.
    expect(await storeCheckpoint(store.pool, schema, 'sub', { transactionId: '99', position: '50' })).toEqual({ moved: false });
    expect(await storeCheckpoint(store.pool, schema, 'sub', { transactionId: '100', position: '9' })).toEqual({ moved: false });
    expect(await loadCheckpoint(store.pool, schema, 'sub')).toEqual({ transactionId: '100', position: '9' });
    expect(await storeCheckpoint(store.pool, schema, 'sub', { transactionId: '101', position: '8' })).toEqual({ moved: true });
    expect(await loadCheckpoint(store.pool, schema, 'sub')).toEqual({ transactionId: '101', position: '8' });
    expect(await loadCheckpoint(store.pool, schema, 'other')).toBeUndefined();
  });
});
