import type pg from 'pg';
import { assertSchemaName } from '@syv/event-store';

/** A shadow schema goes when its replay is cancelled or failed, or once it has been promoted and retired. */
export async function dropShadow(pool: pg.Pool, schema: string): Promise<void> {
  assertSchemaName(schema);
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
