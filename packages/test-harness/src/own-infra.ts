import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { localKafkaStatus, startEmbeddedPostgres, startLocalKafka, type EmbeddedPostgres, type LocalKafka } from '@syv/infra';

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
  if (kafkaOpts && opts.freshKafka && (await localKafkaStatus({ dataDir: kafkaOpts.dataDir })).state !== 'running') {
    rmSync(kafkaOpts.dataDir, { recursive: true, force: true });
  }
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
