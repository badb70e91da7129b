import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startSystem, type RunningSystem, type ServiceName } from '@syv/launcher';
import { ensureTopics, keepForever } from '@syv/messaging';
import { mintDevToken, type Role } from '@syv/service-kit';
import type { OwnInfra } from '@syv/test-harness';
import { repoRoot } from './paths.js';
import { BENCH_JWT_SECRET } from './system.js';

export interface OwnSystem {
  system: RunningSystem;
  database: string;
  databaseUrl: string;
  topics: { caseEvents: string; caseAlerts: string };
  url(name: ServiceName): string;
  token(role: Role, areas: string[], sub?: string): Promise<string>;
  /** Output lines of the services, newest last, for failure reports. */
  lines: string[];
  stop(): Promise<void>;
}

/** The services as real processes on a fresh database and fresh topics of an OwnInfra. */
export async function startOwnSystem(
  infra: OwnInfra,
  opts: { only: ServiceName[]; basePort: number; env?: Record<string, string>; /** Options for the services' node (e.g. --cpu-prof). */ nodeArgs?: string[] },
): Promise<OwnSystem> {
  const suffix = randomBytes(4).toString('hex');
  const database = `bench_${suffix}`;
  const databaseUrl = await infra.createDatabase(database);
  const topics = { caseEvents: `case-events-bench-${suffix}`, caseAlerts: `case-alerts-bench-${suffix}` };
  if (infra.kafkaBrokers.length > 0) {
    await ensureTopics({ brokers: infra.kafkaBrokers, clientId: 'bench' }, [
      { name: topics.caseEvents, partitions: 3, config: keepForever },
      { name: topics.caseAlerts, partitions: 3, config: keepForever },
    ]);
  }
  const ports = { referral: opts.basePort + 1, intervention: opts.basePort + 2, 'case-closure': opts.basePort + 3, projection: opts.basePort + 4 };
  let system: RunningSystem;
  try {
    system = await startSystem({
      repoRoot,
      env: {
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        CASE_EVENTS_TOPIC: topics.caseEvents,
        CASE_ALERTS_TOPIC: topics.caseAlerts,
        JWT_SECRET: BENCH_JWT_SECRET,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        ...opts.env,
      },
      ports,
      only: opts.only,
      ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
      // BENCH_SERVICE_LOG=FILE keeps every line of the services' output (the run keeps only the last 2,000).
      ...(process.env.BENCH_SERVICE_LOG ? { onLine: (name: ServiceName, line: string) => appendFileSync(process.env.BENCH_SERVICE_LOG!, `[${name}] ${line}\n`) } : {}),
    });
  } catch (err) {
    await infra.dropDatabase(database).catch(() => undefined);
    throw err; // startSystem's error already ends with the services' output
  }
  return {
    system,
    database,
    databaseUrl,
    topics,
    url: (name) => system.url(name),
    token: (role, areas, sub = `${role}-bench`) => mintDevToken({ sub, role, areas, secret: BENCH_JWT_SECRET, ttl: '2h' }),
    get lines() {
      return system.output();
    },
    async stop() {
      await system.stop();
      await infra.dropDatabase(database).catch(() => undefined);
    },
  };
}
