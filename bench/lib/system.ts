import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { provisionInfra, type ProvisionedInfra } from '@syv/infra';
import { startService, startSystem, type RunningService, type RunningSystem, type ServiceName } from '@syv/launcher';
import { ensureTopics, keepForever } from '@syv/messaging';
import { mintDevToken, type Role } from '@syv/service-kit';
import { repoRoot } from './paths.js';

export const BENCH_JWT_SECRET = 'bench-only-secret-not-for-production-0123456789';

/** What a bench run drives: services on their own ports, their database, their topic. */
export interface BenchSystem {
  system: RunningSystem;
  /** Every projection instance, the first one included (one unless `projections` asked for more). */
  projections: RunningService[];
  databaseUrl: string;
  kafkaBrokers: string[];
  caseEventsTopic: string;
  caseAlertsTopic: string;
  url(name: ServiceName): string;
  token(role: Role, areas: string[], sub?: string): Promise<string>;
  /** Output lines of the services, newest last, for failure reports. */
  lines: string[];
  stop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Outside vitest there is no global setup: provision Kafka and PostgreSQL the way the tests do (the
 * same resolver, a broker port of the bench's own), then a throwaway database and topics, then
 * the services as real processes.
 */
export async function startBenchSystem(opts: {
  only: ServiceName[];
  basePort: number;
  kafkaPort: number;
  log: (msg: string) => void;
  /** More environment for the services (e.g. a sweep interval). */
  env?: Record<string, string>;
  /** Options for the services' node (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** What starting a service waits for (default: ready). */
  waitFor?: 'ready' | 'live';
  /** Partitions of the bench's topics (default 3). */
  partitions?: number;
  /** Projection instances in one consumer group (default 1); the others on the ports after the first's. */
  projections?: number;
  /** Runs once Kafka, the database and the topics exist, before any service starts (e.g. to fill the topic). */
  beforeServices?: (ready: { databaseUrl: string; kafkaBrokers: string[]; caseEventsTopic: string }) => Promise<void>;
}): Promise<BenchSystem> {
  const infra: ProvisionedInfra = await provisionInfra({ dataDir: join(repoRoot, '.data', `bench-${opts.kafkaPort}`), kafkaPort: opts.kafkaPort, log: opts.log });
  opts.log(`infra: ${infra.describe()}`);
  const suffix = randomBytes(4).toString('hex');
  const database = `bench_${suffix}`;
  const admin = new pg.Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const caseEventsTopic = `case-events-bench-${suffix}`;
  const caseAlertsTopic = `case-alerts-bench-${suffix}`;
  await ensureTopics({ brokers: infra.kafkaBrokers, clientId: 'bench' }, [
    { name: caseEventsTopic, partitions: opts.partitions ?? 3, config: keepForever },
    { name: caseAlertsTopic, partitions: opts.partitions ?? 3, config: keepForever },
  ]);
  const databaseUrl = withDatabase(infra.databaseUrl, database);
  const ports = { referral: opts.basePort + 1, intervention: opts.basePort + 2, 'case-closure': opts.basePort + 3, projection: opts.basePort + 4 };
  const dropDatabase = async () => {
    const c = new pg.Client({ connectionString: infra.databaseUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).finally(() => c.end());
  };
  // Stopped once, by the bench or by Ctrl-C / SIGTERM at any point from here: a bench killed midway
  // leaves no service, database or broker behind (the services run in their own process groups).
  let system: RunningSystem | undefined;
  const moreProjections: RunningService[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await Promise.all([system?.stop(), ...moreProjections.map((p) => p.stop())]);
      await dropDatabase().catch((err: unknown) => opts.log(`could not drop ${database}: ${String(err)}`));
      await infra.stop();
    })());
  function onSignal(signal: NodeJS.Signals) {
    opts.log(`${signal}: stopping the services, dropping the bench database, stopping the broker`);
    void stop().finally(() => process.exit(130));
  }
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await opts.beforeServices?.({ databaseUrl, kafkaBrokers: infra.kafkaBrokers, caseEventsTopic });
    const env = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      CASE_EVENTS_TOPIC: caseEventsTopic,
      CASE_ALERTS_TOPIC: caseAlertsTopic,
      JWT_SECRET: BENCH_JWT_SECRET,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      ...opts.env,
    };
    const more = Math.max(0, (opts.projections ?? 1) - 1);
    const started = await Promise.all([
      startSystem({
        repoRoot,
        env,
        ports,
        only: opts.only,
        ...(opts.waitFor ? { waitFor: opts.waitFor } : {}),
        ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
      }),
      // The other instances of the projection join the same consumer group as they start.
      ...Array.from({ length: more }, (_, i) =>
        startService({ repoRoot, name: 'projection', port: ports.projection + 10 + i, env, onLine: () => undefined, ...(opts.waitFor ? { waitFor: opts.waitFor } : {}) }).then((p) => {
          moreProjections.push(p);
          return p;
        }),
      ),
    ]);
    system = started[0] as RunningSystem;
  } catch (err) {
    await stop().catch(() => undefined);
    throw err; // startSystem's error already ends with the services' output
  }
  const running = system;
  const first = running.services.find((s) => s.name === 'projection');
  return {
    system: running,
    projections: [...(first ? [first] : []), ...moreProjections],
    databaseUrl,
    kafkaBrokers: infra.kafkaBrokers,
    caseEventsTopic,
    caseAlertsTopic,
    url: (name) => running.url(name),
    token: (role, areas, sub = `${role}-bench`) => mintDevToken({ sub, role, areas, secret: BENCH_JWT_SECRET, ttl: '2h' }),
    get lines() {
      return running.output();
    },
    stop,
  };
}
