import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { LRUCache } from 'lru-cache';
import { migrate, type Migration } from '@syv/event-store';
import { DEV_KEY_ENCRYPTION_KEY, localKeyWrapper, parseKeyEncryptionKey, type KeyWrapper } from './key-wrapping.js';

// Every child's data keys, in one schema with one owner: this package. A child (a child id in an
// area) has at most one live key; its free text in every service is sealed under it. Erasing the
// child deletes the wrapped key and keeps a tombstone (key id, when, by whom), so a sealed text
// found anywhere afterwards reads as erased rather than as an error.

export const KEY_STORE_SCHEMA = 'personal_data';

export interface Child {
  area: string;
  childId: string;
}

export interface DataKey {
  keyId: string;
  key: Buffer;
}

/** What a key id resolves to: the key, a tombstone, or nothing this store ever issued. */
export type KeyLookup = { state: 'live'; key: Buffer } | { state: 'erased'; erasedAt: Date } | { state: 'unknown' };

export interface KeyStore {
  /** The child's live key, created on first use. */
  keyFor(child: Child): Promise<DataKey>;
  /** The key a sealed text names. */
  keyById(keyId: string): Promise<KeyLookup>;
  /**
   * Deletes every live key of the child and answers their ids; a second erasure finds none.
   * Text sealed under them can never be read again, wherever it was copied.
   */
  erase(child: Child, erasedBy: string): Promise<{ keyIds: string[]; erasedAt: Date }>;
  /**
   * Every key of the child erased so far (the tombstones), oldest first: what an erasure that was
   * interrupted after deleting the keys needs to record them when it is asked again.
   */
  erasedKeys(child: Child): Promise<{ keyId: string; erasedAt: Date }[]>;
  /** Every key of the child, live and erased, oldest first, without the key itself: what a subject access request lists. */
  keysOf(child: Child): Promise<{ keyId: string; createdAt: Date; erasedAt: Date | null; erasedBy: string | null }[]>;
  /** A sealed text that could not be opened although nobody erased it: reported, not thrown. */
  unreadable(why: string): void;
}

export const keyStoreMigrations: Migration[] = [
  {
    component: 'personal-data',
    version: 1,
    name: 'data keys',
    sql: `
      CREATE TABLE data_keys (
        key_id uuid PRIMARY KEY,
        area text NOT NULL,
        child_id text NOT NULL,
        wrapped bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        erased_by text,
        CHECK ((wrapped IS NULL) = (erased_at IS NOT NULL))
      );
      CREATE UNIQUE INDEX data_keys_one_live_key ON data_keys (area, child_id) WHERE erased_at IS NULL;
    `,
  },
];

export interface KeyStoreOptions {
  pool: pg.Pool;
  wrapper: KeyWrapper;
  /**
   * How long a key, or the news that it was erased, is kept in memory. An erasure is seen by every
   * service within this bound. Default 60 s.
   */
  cacheTtlMs?: number;
  /** Most keys kept in memory at once. Default 10,000. */
  cacheMax?: number;
  /** Told when a text cannot be opened although its key was not erased (a misconfiguration). */
  onUnreadable?: (why: string) => void;
}

export async function migrateKeyStore(pool: pg.Pool, opts: Parameters<typeof migrate>[3] = {}): Promise<void> {
  await migrate(pool, KEY_STORE_SCHEMA, keyStoreMigrations, opts);
}

/** The key store in PostgreSQL, with a bounded in-memory cache in front of it. */
export function postgresKeyStore(opts: KeyStoreOptions): KeyStore {
  const { pool, wrapper } = opts;
  const t = `${KEY_STORE_SCHEMA}.data_keys`;
  const cache = { ttl: opts.cacheTtlMs ?? 60_000, max: opts.cacheMax ?? 10_000 };
  const byChild = new LRUCache<string, DataKey>(cache);
  const byId = new LRUCache<string, KeyLookup>(cache);
  const childKey = (c: Child) => `${c.area}\u0000${c.childId}`;
  // Texts of one child opened together ask for one key many times before the cache holds it:
  // they share the one look-up in flight.
  const lookingUp = new Map<string, Promise<KeyLookup>>();

  async function lookUp(keyId: string): Promise<KeyLookup> {
    const { rows } = await pool.query<{ wrapped: Buffer | null; erased_at: Date | null }>(`SELECT wrapped, erased_at FROM ${t} WHERE key_id = $1`, [keyId]);
    const row = rows[0];
    if (!row) return { state: 'unknown' };
    if (!row.wrapped) return { state: 'erased', erasedAt: row.erased_at! };
    try {
      return { state: 'live', key: await wrapper.unwrap(keyId, row.wrapped) };
    } catch (err) {
      opts.onUnreadable?.(`key ${keyId} does not unwrap with this service's key-encryption key: ${(err as Error).message}`);
      return { state: 'unknown' };
    }
  }

  async function liveKey(child: Child): Promise<DataKey | undefined> {
    const { rows } = await pool.query<{ key_id: string; wrapped: Buffer }>(`SELECT key_id, wrapped FROM ${t} WHERE area = $1 AND child_id = $2 AND erased_at IS NULL`, [child.area, child.childId]);
    const row = rows[0];
    return row && { keyId: row.key_id, key: await wrapper.unwrap(row.key_id, row.wrapped) };
  }

  return {
    async keyFor(child) {
      const cached = byChild.get(childKey(child));
      if (cached) return cached;
      let key = await liveKey(child);
      if (!key) {
        const keyId = randomUUID();
        const wrapped = await wrapper.wrap(keyId, randomBytes(32));
        // Two writers creating the first key of one child at once: one insert wins, both use it.
        await pool.query(`INSERT INTO ${t} (key_id, area, child_id, wrapped) VALUES ($1, $2, $3, $4) ON CONFLICT (area, child_id) WHERE erased_at IS NULL DO NOTHING`, [
          keyId,
          child.area,
          child.childId,
          wrapped,
        ]);
        key = await liveKey(child);
        if (!key) throw new Error('the data key of a child vanished while it was being created');
      }
      byChild.set(childKey(child), key);
      byId.set(key.keyId, { state: 'live', key: key.key });
      return key;
    },

    async keyById(keyId) {
      const cached = byId.get(keyId);
      if (cached) return cached;
      let pending = lookingUp.get(keyId);
      if (!pending) {
        pending = lookUp(keyId).finally(() => lookingUp.delete(keyId));
        lookingUp.set(keyId, pending);
      }
      const found = await pending;
      // An unknown id is not kept: it may be a key another instance is creating right now.
      if (found.state !== 'unknown') byId.set(keyId, found);
      return found;
    },

    async erase(child, erasedBy) {
      const { rows } = await pool.query<{ key_id: string; erased_at: Date }>(
        `UPDATE ${t} SET wrapped = NULL, erased_at = now(), erased_by = $3 WHERE area = $1 AND child_id = $2 AND erased_at IS NULL RETURNING key_id, erased_at`,
        [child.area, child.childId, erasedBy],
      );
      byChild.delete(childKey(child));
      for (const r of rows) byId.set(r.key_id, { state: 'erased', erasedAt: r.erased_at });
      return { keyIds: rows.map((r) => r.key_id), erasedAt: rows[0]?.erased_at ?? new Date() };
    },

    unreadable(why) {
      opts.onUnreadable?.(why);
    },

    async erasedKeys(child) {
      const { rows } = await pool.query<{ key_id: string; erased_at: Date }>(
        `SELECT key_id, erased_at FROM ${t} WHERE area = $1 AND child_id = $2 AND erased_at IS NOT NULL ORDER BY erased_at, key_id`,
        [child.area, child.childId],
      );
      return rows.map((r) => ({ keyId: r.key_id, erasedAt: r.erased_at }));
    },

    async keysOf(child) {
      const { rows } = await pool.query<{ key_id: string; created_at: Date; erased_at: Date | null; erased_by: string | null }>(
        `SELECT key_id, created_at, erased_at, erased_by FROM ${t} WHERE area = $1 AND child_id = $2 ORDER BY created_at, key_id`,
        [child.area, child.childId],
      );
      return rows.map((r) => ({ keyId: r.key_id, createdAt: r.created_at, erasedAt: r.erased_at, erasedBy: r.erased_by }));
    },
  };
}

/**
 * The key store a service uses: the key-encryption key from `DATA_KEY_ENCRYPTION_KEY` (base64, 32
 * bytes), or the public development key with a warning, as for the token secret.
 */
export async function openKeyStore(opts: {
  pool: pg.Pool;
  keyEncryptionKey: string | undefined;
  cacheTtlMs: number;
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}): Promise<KeyStore> {
  if (opts.keyEncryptionKey === undefined) {
    opts.logger.warn({}, 'DATA_KEY_ENCRYPTION_KEY is not set: children\'s data keys are wrapped with the public development key; set it before recording real cases');
  }
  const kek = opts.keyEncryptionKey === undefined ? DEV_KEY_ENCRYPTION_KEY : parseKeyEncryptionKey(opts.keyEncryptionKey);
  await migrateKeyStore(opts.pool);
  return postgresKeyStore({
    pool: opts.pool,
    wrapper: localKeyWrapper(kek),
    cacheTtlMs: opts.cacheTtlMs,
    onUnreadable: (why) => opts.logger.error({ why }, 'a sealed text could not be opened and is shown as [unreadable]; check that every service has the same DATA_KEY_ENCRYPTION_KEY'),
  });
}
