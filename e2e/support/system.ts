import { createTestDatabase, createTestTopics, repoRoot, testInfra, type TestDatabase, type TestTopics } from '@syv/test-harness';
import { startSystem, type RunningSystem, type ServiceName } from '@syv/launcher';
import { mintDevToken, type Role } from '@syv/service-kit';

export const JWT_SECRET = 'e2e-only-secret-not-for-production-0123456789';

export interface E2eSystem {
  system: RunningSystem;
  db: TestDatabase;
  topics: TestTopics;
  url(name: ServiceName): string;
  token(role: Role, areas: string[], sub?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The services as real processes on their own ports, with this test file's own database and
 * topics, against the run's real Kafka and PostgreSQL. A failed start reports the services' output.
 */
export async function startE2eSystem(opts: { only?: ServiceName[]; basePort: number }): Promise<E2eSystem> {
  const db = await createTestDatabase('e2e');
  const topics = await createTestTopics('e2e');
  const infra = testInfra();
  const ports = { referral: opts.basePort + 1, intervention: opts.basePort + 2, 'case-closure': opts.basePort + 3, projection: opts.basePort + 4, console: opts.basePort + 5 };
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const system = await startSystem({
    repoRoot,
    env: {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      CASE_EVENTS_TOPIC: topics.caseEvents,
      CASE_ALERTS_TOPIC: topics.caseAlerts,
      JWT_SECRET,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      // The console forwards /api/<service>/* to these (one env for every service).
      REFERRAL_URL: local(ports.referral),
      INTERVENTION_URL: local(ports.intervention),
      CASE_CLOSURE_URL: local(ports['case-closure']),
      PROJECTION_URL: local(ports.projection),
      CONSOLE_DEV_TOKENS: '1',
    },
    ports,
    ...(opts.only ? { only: opts.only } : {}),
    ...(process.env.E2E_LOG_LEVEL ? { onLine: (service: ServiceName, line: string) => console.log(`[${service}] ${line}`) } : {}),
  });
  return {
    system,
    db,
    topics,
    url: (name) => system.url(name),
    token: (role, areas, sub = `${role}-1`) => mintDevToken({ sub, role, areas, secret: JWT_SECRET, ttl: '1h' }),
    async stop() {
      await system.stop();
      await db.drop();
    },
  };
}
