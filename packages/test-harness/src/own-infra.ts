import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  localKafkaNodeDirs,
  localKafkaStatus,
  startEmbeddedPostgres,
  startLocalKafka,
  startLocalKafkaCluster,
  type EmbeddedPostgres,
  type LocalKafka,
  type LocalKafkaCluster,
} from '@syv/infra';

/**
 * A broker and a PostgreSQL server that belong to one run alone (a bench, or a test file that
 * restarts them), on ports of its own and data directories under its own directory. Fault runs
 * restart them; the machine's PostgreSQL at 127.0.0.1:5432 and the test run's shared broker are
 * never touched.
 */
export interface OwnInfra {
  /** Maintenance database `postgres` on the embedded server. */
  adminUrl: string;
  kafkaBrokers: string[];
  /** A fresh, empty database; answers its URL. */
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  /** Graceful stop, then start again on the same data dir and port. */
  restartKafka(): Promise<void>;
  /** Embedded stop (fast shutdown), then start again on the same data dir and port. */
  restartPostgres(): Promise<void>;
  stop(): Promise<void>;
}

interface OwnInfraOptions {
  /** PostgreSQL's cluster goes in `pg/` and the broker's in `kafka/` below it. */
  dataDir: string;
  pgPort: number;
  /** Omit for a run that needs no broker. */
  kafkaPort?: number;
  /**
   * Start the broker on an empty log: topics of earlier runs are throwaway and would otherwise pile
   * up. A broker still running from the directory is left for startLocalKafka to judge.
   */
  freshKafka?: boolean;
  log: (msg: string) => void;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function startOwnInfra(opts: OwnInfraOptions): Promise<OwnInfra> {
  const pgOpts = { dataDir: join(opts.dataDir, 'pg'), port: opts.pgPort, log: opts.log };
  const kafkaOpts = opts.kafkaPort === undefined ? undefined : { dataDir: join(opts.dataDir, 'kafka'), port: opts.kafkaPort, controllerPort: opts.kafkaPort + 1, log: opts.log };
  if (kafkaOpts && opts.freshKafka) await clearKafkaDataUnlessRunning(kafkaOpts.dataDir);
  let postgres: EmbeddedPostgres = await startEmbeddedPostgres(pgOpts);
  let kafka: LocalKafka | undefined;
  try {
    kafka = kafkaOpts ? await startLocalKafka(kafkaOpts) : undefined;
  } catch (err) {
    await postgres.stop();
    throw err;
  }
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: postgres.databaseUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return {
    adminUrl: postgres.databaseUrl,
    kafkaBrokers: kafka?.brokers ?? [],
    async createDatabase(name) {
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin(`CREATE DATABASE "${name}"`);
      return withDatabase(postgres.databaseUrl, name);
    },
    dropDatabase: (name) => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    async restartKafka() {
      if (!kafka || !kafkaOpts) throw new Error('this run has no broker');
      await kafka.stop();
      kafka = await startLocalKafka(kafkaOpts);
    },
    async restartPostgres() {
      await postgres.stop();
      postgres = await startEmbeddedPostgres(pgOpts);
    },
    async stop() {
      await kafka?.stop();
      await postgres.stop();
    },
  };
}

/**
 * Empties a broker's or a cluster's data directory: topics of earlier runs are throwaway and would
 * otherwise pile up. A broker still running from it (one node, or any node of a cluster) is left for
 * the start to judge: stopped if its starter is gone, refused if it belongs to a live run.
 */
async function clearKafkaDataUnlessRunning(dataDir: string): Promise<void> {
  for (const dir of localKafkaNodeDirs(dataDir)) if ((await localKafkaStatus({ dataDir: dir })).state === 'running') return;
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * A local Kafka cluster of `nodes` combined broker+controllers that belongs to one run alone (a test
 * file that kills its brokers), on an empty log: node i on port + 2(i - 1) and its controller on the
 * port after that, its data in dataDir/node-<i>. Topics created on it are replicated by
 * replicationFor(nodes). Any failure to start throws.
 */
export async function startOwnKafkaCluster(opts: { dataDir: string; port: number; nodes: number; log: (msg: string) => void }): Promise<LocalKafkaCluster> {
  await clearKafkaDataUnlessRunning(opts.dataDir);
  return startLocalKafkaCluster({ nodes: opts.nodes, port: opts.port, dataDir: opts.dataDir, log: opts.log });
}
