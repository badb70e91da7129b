import { createWriteStream } from 'node:fs';
import { expect } from 'vitest';
import { createTestDatabase, createTestTopics, repoRoot, testInfra, type TestDatabase, type TestTopics } from '@syv/test-harness';
import { startService, startSystem, type RunningService, type RunningSystem, type ServiceName } from '@syv/launcher';
import { mintDevToken, type Role } from '@syv/service-kit';
import { resetE2eLog } from './logs.js';

export const JWT_SECRET = 'e2e-only-secret-not-for-production-0123456789';

export interface E2eSystem {
  system: RunningSystem;
  db: TestDatabase;
  topics: TestTopics;
  url(name: ServiceName): string;
  token(role: Role, areas: string[], sub?: string): Promise<string>;
  /**
   * Another projection instance on `port`: the same database, topics and consumer group as the
   * system's, its output in the same log as `label`; `env` adds to the system's variables.
   */
  startProjection(port: number, label: string, env?: Record<string, string>): Promise<RunningService>;
  /** Stops the extra projections, then the system. */
  stop(): Promise<void>;
}

/**
 * The services as real processes on their own ports, with this test file's own database and
 * topics, against the run's real Kafka and PostgreSQL. A failed start reports the services' output;
 * all of it goes to `.data/e2e-logs/<file>.log` (at `E2E_LOG_LEVEL`, default info), and also to the
 * console when `E2E_LOG_LEVEL` is set. `env` adds to every service's variables. `infra` puts the
 * database and topics on a server and broker of the file's own (one it restarts) instead of the run's.
 */
export async function startE2eSystem(opts: {
  only?: ServiceName[];
  basePort: number;
  env?: Record<string, string>;
  infra?: { databaseUrl: string; kafkaBrokers: string[] };
}): Promise<E2eSystem> {
  const infra = opts.infra ?? testInfra();
  const db = await createTestDatabase('e2e', infra);
  const topics = await createTestTopics('e2e', 3, infra);
  const ports = { referral: opts.basePort + 1, intervention: opts.basePort + 2, 'case-closure': opts.basePort + 3, projection: opts.basePort + 4, console: opts.basePort + 5 };
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const log = createWriteStream(resetE2eLog(expect.getState().testPath ?? 'e2e'));
  const echo = process.env.E2E_LOG_LEVEL !== undefined;
  const extras: RunningService[] = [];
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    CASE_EVENTS_TOPIC: topics.caseEvents,
    CASE_ALERTS_TOPIC: topics.caseAlerts,
    JWT_SECRET,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    // The console forwards /api/<service>/* to these (one env for every service).
    REFERRAL_URL: local(ports.referral),
    INTERVENTION_URL: local(ports.intervention),
    CASE_CLOSURE_URL: local(ports['case-closure']),
    PROJECTION_URL: local(ports.projection),
    CONSOLE_DEV_TOKENS: '1',
    ...opts.env,
  };
  const onLine = (label: string, line: string) => {
    log.write(`[${label}] ${line}\n`);
    if (echo) console.log(`[${label}] ${line}`);
  };
  const system = await startSystem({ repoRoot, env, ports, ...(opts.only ? { only: opts.only } : {}), onLine }).catch((err: unknown) => {
    log.end();
    throw err;
  });
  return {
    system,
    db,
    topics,
    url: (name) => system.url(name),
    token: (role, areas, sub = `${role}-1`) => mintDevToken({ sub, role, areas, secret: JWT_SECRET, ttl: '1h' }),
    async startProjection(port, label, extraEnv = {}) {
      const recent: string[] = [];
      const projection = await startService({
        repoRoot,
        name: 'projection',
        port,
        env: { ...env, ...extraEnv },
        onLine: (line) => {
          recent.push(line);
          if (recent.length > 30) recent.shift();
          onLine(label, line);
        },
      }).catch((err: unknown) => {
        throw new Error(`${String(err)}\n--- ${label} output ---\n${recent.join('\n')}`);
      });
      extras.push(projection);
      return projection;
    },
    async stop() {
      for (const extra of extras) await extra.stop();
      await system.stop();
      await new Promise<void>((done) => log.end(done));
      await db.drop();
    },
  };
}
