import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from './int-test-support.js';
import { eventStoreMigrations } from './migrations/event-store-migrations.js';
import { migrate } from './migrations/migrate.js';
import type { Migration } from './migrations/plan.js';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore('es_migrate');
});
afterAll(async () => {
  await store?.close();
});

const serviceMigrations: Migration[] = [
  { version: 1, name: 'cases', sql: 'CREATE TABLE cases (case_id text PRIMARY KEY, area text NOT NULL);' },
  { version: 2, name: 'cases_closed', sql: 'ALTER TABLE cases ADD COLUMN closed boolean NOT NULL DEFAULT false;' },
];

async function recorded(schema: string) {
  const { rows } = await store.pool.query<{ component: string; version: number; name: string }>(
    `SELECT component, version, name FROM "${schema}".schema_migrations ORDER BY component, version`,
  );
  return rows;
}

describe('migrate', () => {
  it('creates the schema, the event store tables and the service tables, and records each migration', async () => {
    const result = await migrate(store.pool, 'svc_a', [...eventStoreMigrations, ...serviceMigrations]);
    expect(result.applied).toHaveLength(6);
    expect(await recorded('svc_a')).toEqual([
      { component: 'event-store', version: 1, name: 'events' },
      { component: 'event-store', version: 2, name: 'subscription_checkpoints' },
      { component: 'event-store', version: 3, name: 'idempotency_keys' },
      { component: 'event-store', version: 4, name: 'append_events function' },
      { component: 'service', version: 1, name: 'cases' },
      { component: 'service', version: 2, name: 'cases_closed' },
    ]);
    const { rows } = await store.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'svc_a' ORDER BY table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(['cases', 'events', 'idempotency_keys', 'schema_migrations', 'subscription_checkpoints']);
  });

  it('is idempotent: running again applies nothing', async () => {
    await migrate(store.pool, 'svc_b', eventStoreMigrations);
    expect((await migrate(store.pool, 'svc_b', eventStoreMigrations)).applied).toEqual([]);
    expect(await recorded('svc_b')).toHaveLength(4);
  });

  it('applies only what is new when a later release adds a migration', async () => {
    await migrate(store.pool, 'svc_c', [...eventStoreMigrations, serviceMigrations[0]!]);
    const second = await migrate(store.pool, 'svc_c', [...eventStoreMigrations, ...serviceMigrations]);
    expect(second.applied).toEqual([{ component: 'service', version: 2, name: 'cases_closed' }]);
  });

  it('is safe when several instances start at once: each migration runs exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => migrate(store.pool, 'svc_race', [...eventStoreMigrations, ...serviceMigrations])),
    );
    // Exactly one caller applied everything; the others waited on the lock and found nothing to do.
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 0, 0, 0, 6]);
    expect(await recorded('svc_race')).toHaveLength(6);
  });

  it('rolls back every migration of a run when one fails', async () => {
    const broken: Migration[] = [...serviceMigrations, { version: 3, name: 'broken', sql: 'ALTER TABLE nowhere ADD COLUMN x int;' }];
    await expect(migrate(store.pool, 'svc_d', [...eventStoreMigrations, ...broken])).rejects.toThrow(/nowhere/);
    const { rows } = await store.pool.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'svc_d'`);
    expect(rows).toEqual([]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await migrate(store.pool, 'svc_e', serviceMigrations);
    const edited = [{ ...serviceMigrations[0]!, sql: serviceMigrations[0]!.sql + ' -- edited' }, serviceMigrations[1]!];
    await expect(migrate(store.pool, 'svc_e', edited)).rejects.toThrow(/SQL changed after it was applied/);
  });

  it('refuses an unsafe schema name before touching the database', async () => {
    await expect(migrate(store.pool, 'x"; drop', eventStoreMigrations)).rejects.toThrow(/invalid schema name/);
  });
});
