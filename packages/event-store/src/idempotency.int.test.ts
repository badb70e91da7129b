import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from './db.js';
import { deleteIdempotentBefore, findIdempotent, matchIdempotent, saveIdempotent, type IdempotencyRecord } from './idempotency.js';
import { createTestStore, newEvent, sleep, type TestStore } from './int-test-support.js';
import { requestHash } from './request-hash.js';
import { runCommand } from './run-command.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore('es_idempotency', 30);
});
afterAll(async () => {
  await store?.close();
});

const scope = 'POST /referrals:user-1';

describe('idempotency records', () => {
  it('round-trips a recorded answer', async () => {
    const schema = await store.schema();
    const hash = requestHash({ childId: 'x', area: 'north' });
    expect(await findIdempotent(store.pool, schema, scope, 'k1')).toBeUndefined();
    await withTransaction(store.pool, async (client) => {
      expect(await saveIdempotent(client, schema, { scope, key: 'k1', requestHash: hash, status: 201, response: { caseId: 'c1' } })).toEqual({ ok: true });
    });
    const found = await findIdempotent(store.pool, schema, scope, 'k1');
    expect(found).toMatchObject({ scope, key: 'k1', requestHash: hash, status: 201, response: { caseId: 'c1' } });
    expect(matchIdempotent(found!, requestHash({ area: 'north', childId: 'x' }))).toEqual({ kind: 'replay', status: 201, response: { caseId: 'c1' } });
    expect(matchIdempotent(found!, requestHash({ childId: 'y', area: 'north' }))).toEqual({ kind: 'mismatch' });
    // Another user's identical key is another record.
    expect(await findIdempotent(store.pool, schema, 'POST /referrals:user-2', 'k1')).toBeUndefined();
  });

  it('makes a concurrent duplicate wait for the first and then see its record', async () => {
    const schema = await store.schema();
    const record = { scope, key: 'k2', requestHash: 'h', status: 201, response: { n: 1 } };
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => (releaseFirst = r));
    const first = withTransaction(store.pool, async (client) => {
      const saved = await saveIdempotent(client, schema, record);
      await firstMayCommit;
      return saved;
    });
    await sleep(100);
    let secondDone = false;
    const second = withTransaction(store.pool, (client) => saveIdempotent(client, schema, { ...record, response: { n: 2 } })).finally(
      () => (secondDone = true),
    );
    await sleep(200);
    expect(secondDone).toBe(false); // blocked on the first's uncommitted key
    releaseFirst();
    expect(await first).toEqual({ ok: true });
    expect(await second).toMatchObject({ ok: false, existing: { response: { n: 1 } } });
  });

  it('with runCommand: of 8 concurrent identical requests that each open a new case, exactly one commits', async () => {
    const schema = await store.schema();
    const key = randomUUID();
    const body = { childId: 'child-1', area: 'north' };
    const handle = async () => {
      const known = await findIdempotent(store.pool, schema, scope, key);
      if (known) return { replayed: true, record: known };
      const caseId = randomUUID(); // each request would open its own case
      const result = await runCommand<never, IdempotencyRecord>({
        pool: store.pool,
        schema,
        streamId: `case-${caseId}`,
        decide: () => ({ ok: true, events: [newEvent('case.opened.v1', { caseId })] }),
        inTransaction: async (client) => {
          const saved = await saveIdempotent(client, schema, { scope, key, requestHash: requestHash(body), status: 201, response: { caseId } });
          return saved.ok ? undefined : { abort: saved.existing };
        },
      });
      if (result.ok) return { replayed: false, caseId };
      if (result.error.kind === 'aborted') return { replayed: true, record: result.error.reason };
      throw new Error(`unexpected ${JSON.stringify(result.error)}`);
    };
    const answers = await Promise.all(Array.from({ length: 8 }, handle));
    const created = answers.filter((a) => !a.replayed);
    expect(created).toHaveLength(1);
    const { rows } = await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".events`);
    expect(Number(rows[0]!.n)).toBe(1);
    for (const a of answers) if (a.replayed) expect(a.record?.response).toEqual({ caseId: (created[0] as { caseId: string }).caseId });
  });

  it('expires old keys', async () => {
    const schema = await store.schema();
    await withTransaction(store.pool, (c) => saveIdempotent(c, schema, { scope, key: 'old', requestHash: 'h', status: 204, response: undefined }));
    expect(await findIdempotent(store.pool, schema, scope, 'old')).toMatchObject({ status: 204, response: null });
    expect(await deleteIdempotentBefore(store.pool, schema, new Date(Date.now() - 60_000))).toBe(0);
    expect(await deleteIdempotentBefore(store.pool, schema, new Date(Date.now() + 60_000))).toBe(1);
  });
});
