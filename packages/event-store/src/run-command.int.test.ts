import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStream } from './append.js';
import { createTestStore, newEvent, type TestStore } from './int-test-support.js';
import { readStream } from './read-stream.js';
import { runCommand, type CommandDecision } from './run-command.js';
import type { RecordedEvent } from './types.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore('es_run_command', 30);
});
afterAll(async () => {
  await store?.close();
});

// A tiny aggregate: a counter that refuses to go above a limit.
const count = (events: RecordedEvent[]) => events.filter((e) => e.type === 'incremented').length;
const increment =
  (limit: number) =>
  (events: RecordedEvent[]): CommandDecision<{ code: 'LIMIT_REACHED' }> =>
    count(events) >= limit ? { ok: false, rejection: { code: 'LIMIT_REACHED' } } : { ok: true, events: [newEvent('incremented')] };

describe('runCommand', () => {
  it('loads, decides and appends', async () => {
    const schema = await store.schema();
    const result = await runCommand({ pool: store.pool, schema, streamId: 'c', decide: increment(5) });
    expect(result).toMatchObject({ ok: true, attempts: 1, appended: { nextVersion: 1 } });
  });

  it('returns the domain rejection without appending', async () => {
    const schema = await store.schema();
    await runCommand({ pool: store.pool, schema, streamId: 'c', decide: increment(1) });
    const result = await runCommand({ pool: store.pool, schema, streamId: 'c', decide: increment(1) });
    expect(result).toEqual({ ok: false, error: { kind: 'rejected', rejection: { code: 'LIMIT_REACHED' } }, attempts: 1 });
    expect((await readStream(store.pool, schema, 'c')).version).toBe(1);
  });

  it('retries on conflict, deciding again on the new state, so concurrent commands all land in order', async () => {
    const schema = await store.schema();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => runCommand({ pool: store.pool, schema, streamId: 'c', decide: increment(100), retries: 30 })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    expect((await readStream(store.pool, schema, 'c')).events.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('decides again after a conflict: a rule that now refuses is honoured', async () => {
    const schema = await store.schema();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => runCommand({ pool: store.pool, schema, streamId: 'c', decide: increment(2), retries: 20 })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok && r.error.kind === 'rejected')).toHaveLength(4);
  });

  it('gives up after the retries with the last version conflict', async () => {
    const schema = await store.schema();
    let decisions = 0;
    const result = await runCommand({
      pool: store.pool,
      schema,
      streamId: 'c',
      retries: 3,
      decide: async (events) => {
        decisions++;
        // Someone else always gets in between the read and the append.
        await appendToStream(store.pool, schema, 'c', 'any', [newEvent('incremented')]);
        return increment(100)(events);
      },
    });
    expect(decisions).toBe(4);
    expect(result).toMatchObject({ ok: false, attempts: 4, error: { kind: 'version_conflict', streamId: 'c', reason: 'version' } });
  });

  it('commits inTransaction’s writes with the events, and rolls both back on abort', async () => {
    const schema = await store.schema();
    await store.pool.query(`CREATE TABLE "${schema}".view (stream text PRIMARY KEY, version int)`);
    const ok = await runCommand({
      pool: store.pool,
      schema,
      streamId: 'kept',
      decide: increment(5),
      inTransaction: async (client, appended) => {
        await client.query(`INSERT INTO "${schema}".view VALUES ('kept', $1)`, [appended.nextVersion]);
      },
    });
    expect(ok.ok).toBe(true);
    const aborted = await runCommand({
      pool: store.pool,
      schema,
      streamId: 'dropped',
      decide: increment(5),
      inTransaction: async (client) => {
        await client.query(`INSERT INTO "${schema}".view VALUES ('dropped', 1)`);
        return { abort: 'duplicate request' as const };
      },
    });
    expect(aborted).toEqual({ ok: false, error: { kind: 'aborted', reason: 'duplicate request' }, attempts: 1 });
    expect((await readStream(store.pool, schema, 'dropped')).version).toBe(0);
    expect((await store.pool.query(`SELECT * FROM "${schema}".view`)).rows).toEqual([{ stream: 'kept', version: 1 }]);
  });
});

describe('runCommand with an Idempotency-Key', () => {
  const scope = 'POST /v1/things user-1';

  it('records the answer in the append’s statement, and a repeated key replays it without writing', async () => {
    const schema = await store.schema();
    const run = (n: number) =>
      runCommand({
        pool: store.pool,
        schema,
        streamId: `thing-${n}`,
        newStream: true,
        decide: increment(5),
        idempotency: { scope, key: 'k1', requestHash: 'h1', answer: () => ({ status: 201, response: { thing: n } }) },
      });
    expect(await run(1)).toMatchObject({ ok: true, attempts: 1 });
    expect(await run(2)).toEqual({ ok: false, attempts: 1, error: { kind: 'already_answered', answer: { requestHash: 'h1', status: 201, response: { thing: 1 } } } });
    expect((await readStream(store.pool, schema, 'thing-2')).version).toBe(0);
  });

  it('of 8 racing commands with one key (each minting its own stream), one event is recorded and all get its answer', async () => {
    const schema = await store.schema();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        runCommand({
          pool: store.pool,
          schema,
          streamId: `raced-${n}`,
          newStream: true,
          decide: increment(5),
          idempotency: { scope, key: 'raced', requestHash: 'h', answer: () => ({ status: 201, response: { winner: n } }) },
        }),
      ),
    );
    const winners = results.flatMap((r, n) => (r.ok ? [n] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.error).toEqual({ kind: 'already_answered', answer: { requestHash: 'h', status: 201, response: { winner: winners[0] } } });
    const { rows } = await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('the same race with a transaction of the command’s own (local tables): still one event, one row, one answer', async () => {
    const schema = await store.schema();
    await store.pool.query(`CREATE TABLE "${schema}".opened (stream text PRIMARY KEY)`);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, n) =>
        runCommand({
          pool: store.pool,
          schema,
          streamId: `opened-${n}`,
          decide: increment(5),
          idempotency: { scope, key: 'opened', requestHash: 'h', answer: () => ({ status: 201, response: { n } }) },
          inTransaction: async (client) => {
            await client.query(`INSERT INTO "${schema}".opened VALUES ($1)`, [`opened-${n}`]);
          },
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.kind === 'already_answered')).toHaveLength(5);
    expect((await store.pool.query(`SELECT * FROM "${schema}".opened`)).rowCount).toBe(1);
    expect(Number((await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`)).rows[0]!.n)).toBe(1);
  });

  it('a new stream that exists after all is a conflict the retry settles by reading it', async () => {
    const schema = await store.schema();
    await appendToStream(store.pool, schema, 'not-new', 'no_stream', [newEvent('incremented')]);
    const seen: number[] = [];
    const result = await runCommand({
      pool: store.pool,
      schema,
      streamId: 'not-new',
      newStream: true,
      decide: (events, version) => {
        seen.push(version);
        return increment(5)(events);
      },
    });
    expect(seen).toEqual([0, 1]);
    expect(result).toMatchObject({ ok: true, attempts: 2, appended: { nextVersion: 2 } });
  });
});
