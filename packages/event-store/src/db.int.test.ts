import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, waitFor, type TestDatabase } from '@syv/test-harness';
import { guardPool } from './db.js';

// A PostgreSQL restart ends every session. A pooled client that is checked out but idle (a session
// holding an advisory lock, like the time-rule sweep's) then emits 'error' with nobody listening,
// which would be an uncaught exception that ends the service. guardPool gives every client a listener.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('es_db');
});
afterAll(async () => {
  await db?.drop();
});

describe('guardPool', () => {
  it('reports the loss of a checked-out, idle client instead of crashing, and the pool goes on with a new one', async () => {
    const errors: Error[] = [];
    const pool = guardPool(new pg.Pool({ connectionString: db.url, max: 2 }), (err) => errors.push(err));
    try {
      const held = await pool.connect();
      const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // As a restart would: the server ends the held session while nobody is querying on it.
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      await waitFor(async () => errors.length > 0, { what: 'the lost session to be reported', timeoutMs: 10_000 });
      await expect(held.query('SELECT 1')).rejects.toThrow();
      held.release(new Error('lost'));
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
