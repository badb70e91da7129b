import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@syv/test-harness';
import { localKeyWrapper } from './key-wrapping.js';
import { KEY_STORE_SCHEMA, migrateKeyStore, postgresKeyStore, type KeyStore } from './key-store.js';
import { open, seal } from './sealed-text.js';

let db: TestDatabase;
let pool: pg.Pool;
const wrapper = localKeyWrapper(randomBytes(32));
const child = { area: 'E09000001', childId: 'child-keys-1' };
const ctx = { eventId: '0b7e8f2c-4d3a-4e5b-8c9d-1a2b3c4d5e6f', field: 'notes' };

beforeAll(async () => {
  db = await createTestDatabase('keys');
  pool = new pg.Pool({ connectionString: db.url, max: 6 });
  await migrateKeyStore(pool);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** A store as another service instance sees it: its own cache, the same table. */
const instance = (cacheTtlMs = 60_000): KeyStore => postgresKeyStore({ pool, wrapper, cacheTtlMs });

describe("a child's data key", () => {
  it('given no key yet, when many writers ask for it at once, then all get the same one, and the table holds it only wrapped', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => instance().keyFor(child)));
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
    const { rows } = await pool.query<{ wrapped: Buffer }>(`SELECT wrapped FROM ${KEY_STORE_SCHEMA}.data_keys WHERE child_id = $1`, [child.childId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.wrapped.includes(keys[0]!.key)).toBe(false);
  });

  it('is found by its id from another instance, and the same child id in another area has another key', async () => {
    const key = await instance().keyFor(child);
    expect(await instance().keyById(key.keyId)).toEqual({ state: 'live', key: key.key });
    expect((await instance().keyFor({ ...child, area: 'E09000002' })).keyId).not.toBe(key.keyId);
  });

  it('when the child is erased, then text sealed under the key reads as erased everywhere once the cache bound has passed, and a second erasure finds nothing', async () => {
    const writer = instance();
    const key = await writer.keyFor(child);
    const sealed = seal('He told us who took him to the flat.', key, ctx);
    const soonReader = instance(50);
    expect(await soonReader.keyById(key.keyId)).toMatchObject({ state: 'live' });
    expect(open(sealed, key.key, ctx)).toContain('flat');

    const erased = await instance().erase(child, 'dpo-1');
    expect(erased.keyIds).toEqual([key.keyId]);
    await new Promise((r) => setTimeout(r, 60));
    expect(await soonReader.keyById(key.keyId)).toEqual({ state: 'erased', erasedAt: erased.erasedAt });
    const { rows } = await pool.query(`SELECT wrapped, erased_by FROM ${KEY_STORE_SCHEMA}.data_keys WHERE key_id = $1`, [key.keyId]);
    expect(rows[0]).toEqual({ wrapped: null, erased_by: 'dpo-1' });
    expect((await instance().erase(child, 'dpo-1')).keyIds).toEqual([]);
    expect(await instance().erasedKeys(child)).toEqual([{ keyId: key.keyId, erasedAt: erased.erasedAt }]);
  });

  it('given an erased child referred again, then new text gets a new key, and the old key stays erased', async () => {
    const again = await instance().keyFor(child);
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${KEY_STORE_SCHEMA}.data_keys WHERE area = $1 AND child_id = $2`, [child.area, child.childId]);
    expect(Number(rows[0]!.n)).toBe(2);
    expect(await instance().keyById(again.keyId)).toMatchObject({ state: 'live' });
    const listed = await instance().keysOf(child);
    expect(listed.map((k) => [k.erasedAt === null, k.erasedBy])).toEqual([
      [false, 'dpo-1'],
      [true, null],
    ]);
    expect(listed[1]?.keyId).toBe(again.keyId);
    expect(JSON.stringify(listed)).not.toContain('wrapped');
  });

  it('given a key id no store issued, then it is unknown', async () => {
    expect(await instance().keyById('9d3f1c2e-0000-4000-8000-000000000000')).toEqual({ state: 'unknown' });
  });
});
