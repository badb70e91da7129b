import type { Pool } from 'pg';
import type { ReadinessCheck } from './readiness.js';

/** PostgreSQL answers a trivial query through the service's own pool. */
export function postgresCheck(pool: Pick<Pool, 'query'>, name = 'postgres'): ReadinessCheck {
  return {
    name,
    check: async () => {
      await pool.query('SELECT 1');
    },
  };
}

/**
 * Kafka is reachable, in whatever way the caller's client proves it (e.g. `() => pingKafka(conn)`
 * from @syv/messaging, or a consumer-lag bound). The Kafka client lives in its own package.
 */
export function kafkaCheck(fn: () => Promise<void | { ok: boolean; detail?: string }>, name = 'kafka'): ReadinessCheck {
  return { name, check: fn };
}
