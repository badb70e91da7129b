import pg from 'pg';
import { pino } from 'pino';
import { createTestDatabase, createTestTopics, testInfra, type TestDatabase, type TestTopics } from '@syv/test-harness';
import { mintDevToken, type Role } from '@syv/service-kit';
import { buildProjection, stopProjection, type BuiltProjection, type ProjectionOptions } from '../service.js';

const TEST_JWT_SECRET = 'projection-int-test-secret-0123456789abcdef';

export interface ProjectionHarness {
  db: TestDatabase;
  topics: TestTopics;
  pool: pg.Pool;
  env: Record<string, string>;
  /** A projection in this process; stopped by `close()` unless stopped before. */
  start(opts?: Omit<ProjectionOptions, 'env'> & { env?: Record<string, string> }): Promise<BuiltProjection>;
  stop(p: BuiltProjection): Promise<void>;
  token(role: Role, areas: string[], sub?: string): Promise<string>;
  close(): Promise<void>;
}

/** A database and topics of the test file's own, and projections built against them. */
export async function projectionHarness(prefix: string, partitions = 3): Promise<ProjectionHarness> {
  const db = await createTestDatabase(prefix);
  const topics = await createTestTopics(prefix, partitions);
  const pool = new pg.Pool({ connectionString: db.url, max: 5 });
  pool.on('error', () => undefined);
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    CASE_EVENTS_TOPIC: topics.caseEvents,
    CASE_ALERTS_TOPIC: topics.caseAlerts,
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    OUTBOX_POLL_MS: '100',
    // Tests sweep by hand (runOnce) with their own clock.
    SWEEP_INTERVAL_MS: '86400000',
    SWEEP_QUIET_MS: '0',
  };
  const running = new Set<BuiltProjection>();
  return {
    db,
    topics,
    pool,
    env,
    async start(opts = {}) {
      const p = await buildProjection({ ...opts, env: { ...env, ...opts.env }, logger: pino({ level: env.LOG_LEVEL ?? 'silent' }) });
      running.add(p);
      return p;
    },
    async stop(p) {
      running.delete(p);
      await stopProjection(p);
    },
    token: (role, areas, sub = `${role}-1`) => mintDevToken({ sub, role, areas, secret: TEST_JWT_SECRET, ttl: '1h' }),
    async close() {
      await Promise.allSettled([...running].map((p) => stopProjection(p)));
      await pool.end();
      await db.drop();
    },
  };
}

/** Waits until the read model in `schema` holds every one of these events. */
export async function waitForApplied(pool: pg.Pool, schema: string, eventIds: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.case_events WHERE event_id = ANY($1::uuid[])`, [eventIds]);
    if (Number(rows[0]?.n) === eventIds.length) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0]?.n} of ${eventIds.length} events reached ${schema}.case_events within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
