import type { Pool } from 'pg';

/**
 * What `pool.end()` is still waiting for: clients checked out and not yet released (a query in
 * flight, a transaction left open), and requests queued for a client. A ShutdownHook's `pending`.
 */
export function poolPending(pool: Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'>): { clientsCheckedOut: number; requestsWaiting: number } {
  return { clientsCheckedOut: pool.totalCount - pool.idleCount, requestsWaiting: pool.waitingCount };
}
