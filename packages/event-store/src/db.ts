import type pg from 'pg';

/** Either a pool (the function runs its own transaction) or a client already inside the caller's. */
export type Db = pg.Pool | pg.ClientBase;

/** Anything that can run a query: reads accept a pool, a pooled client or a plain client. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Keeps a PostgreSQL restart from crashing the process. The pool itself only listens for errors of
 * idle clients; a client that is checked out but between queries (a session holding an advisory
 * lock, a transaction waiting on other I/O) emits its error with no listener, which Node turns into
 * an uncaught exception. Every client gets a listener when it connects; the broken client then
 * fails its next query, and whoever holds it releases it with that error (the pool drops it).
 */
export function guardPool(pool: pg.Pool, onError: (err: Error) => void): pg.Pool {
  pool.on('connect', (client) => {
    client.on('error', onError);
  });
  // The pool re-emits an idle client's error, which the listener above has already reported.
  pool.on('error', () => undefined);
  return pool;
}

export function isPool(db: Db): db is pg.Pool {
  // Duck-typed rather than instanceof: a second copy of pg in node_modules would defeat instanceof.
  return 'totalCount' in db && 'idleCount' in db;
}

/**
 * Runs fn inside BEGIN … COMMIT on one pooled client, rolling back when fn throws. A client whose
 * rollback failed is destroyed rather than returned to the pool in an unknown state.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw err;
    }
  } finally {
    client.release(broken);
  }
}
