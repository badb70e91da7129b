import type pg from 'pg';
import type { Logger } from 'pino';
import { withTransaction } from '../db.js';
import { assertSchemaName, qualified } from '../schema-name.js';
import { planMigrations, type AppliedMigration, type Migration } from './plan.js';

export interface MigrateResult {
  applied: { component: string; version: number; name: string }[];
}

// One statement per function; all run on the migrating transaction's client.

function lockSchemaMigrations(client: pg.PoolClient, schema: string) {
  // Transaction-scoped: released by COMMIT or ROLLBACK, so a crashed migrator never leaves it held.
  // Taken before anything else, because even CREATE SCHEMA/TABLE IF NOT EXISTS race each other.
  return client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`syv:migrate:${schema}`]);
}

function createSchema(client: pg.PoolClient, schema: string) {
  return client.query(`CREATE SCHEMA IF NOT EXISTS "${assertSchemaName(schema)}"`);
}

function createMigrationsTable(client: pg.PoolClient, schema: string) {
  return client.query(`
    CREATE TABLE IF NOT EXISTS ${qualified(schema, 'schema_migrations')} (
      component  text        NOT NULL,
      version    integer     NOT NULL,
      name       text        NOT NULL,
      checksum   text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
}

async function loadApplied(client: pg.PoolClient, schema: string): Promise<AppliedMigration[]> {
  const { rows } = await client.query<AppliedMigration>(
    `SELECT component, version, checksum FROM ${qualified(schema, 'schema_migrations')}`,
  );
  return rows;
}

function useSchema(client: pg.PoolClient, schema: string) {
  return client.query(`SET LOCAL search_path TO "${assertSchemaName(schema)}", public`);
}

function recordMigration(
  client: pg.PoolClient,
  schema: string,
  m: { component: string; version: number; name: string; checksum: string },
) {
  return client.query(
    `INSERT INTO ${qualified(schema, 'schema_migrations')} (component, version, name, checksum) VALUES ($1, $2, $3, $4)`,
    [m.component, m.version, m.name, m.checksum],
  );
}

/**
 * Brings `schema` up to date: creates it if needed and applies, in the order given, every migration
 * not yet recorded in `<schema>.schema_migrations`. All of it happens in one transaction holding
 * an advisory lock on the schema, so two instances starting together apply each migration once
 * (the second waits, then finds nothing to do) and a failing migration leaves nothing half-done.
 * Pass the event store's migrations and the service's in one list: [...eventStoreMigrations, ...own].
 */
export async function migrate(
  pool: pg.Pool,
  schema: string,
  migrations: readonly Migration[],
  { logger }: { logger?: Logger } = {},
): Promise<MigrateResult> {
  assertSchemaName(schema);
  return withTransaction(pool, async (client) => {
    await lockSchemaMigrations(client, schema);
    await createSchema(client, schema);
    await createMigrationsTable(client, schema);
    const plan = planMigrations(migrations, await loadApplied(client, schema));
    if (!plan.ok) throw new Error(`cannot migrate schema ${schema}:\n- ${plan.problems.join('\n- ')}`);
    await useSchema(client, schema);
    for (const m of plan.pending) {
      logger?.info({ schema, component: m.component, version: m.version, migration: m.name }, 'applying migration');
      // No parameters: the simple query protocol, so a migration may hold several statements.
      await client.query(m.sql);
      await recordMigration(client, schema, m);
    }
    return { applied: plan.pending.map(({ component, version, name }) => ({ component, version, name })) };
  });
}
