import { join } from 'node:path';
import { ensureTopics, parseBrokers, waitForKafka } from '@syv/messaging';
import { dockerAvailable, startKafkaContainer, startPostgresContainer } from './docker.js';
import { kafkaVersion, type Log } from './kafka-jars.js';
import { localKafkaDataDir, MAX_LOCAL_NODES, startLocalKafkaCluster } from './kafka-local.js';
import { freePort } from './net.js';
import { MACHINE_POSTGRES_URL, machinePostgresAnswers, startEmbeddedPostgres } from './postgres-local.js';
import { caseTopics } from './topics.js';

// The one place that decides where Kafka and PostgreSQL come from, for tests and for `npm start`.

export type KafkaSource = 'env' | 'docker' | 'local';
export type PostgresSource = 'env' | 'docker' | 'machine' | 'embedded';

export interface InfraPlan {
  kafka: KafkaSource;
  postgres: PostgresSource;
}

export interface PlanInputs {
  env: { KAFKA_BROKERS?: string | undefined; DATABASE_URL?: string | undefined };
  dockerAvailable: boolean;
  /** Whether a server answers at 127.0.0.1:5432 (only consulted when neither env nor Docker decides). */
  machinePostgresAnswers: boolean;
  /** How many local Kafka nodes were asked for (localKafkaNodes); default 1. */
  kafkaNodes?: number;
}

const given = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** KAFKA_LOCAL_NODES: how many local Kafka nodes to start, 1 when unset or blank. */
export function localKafkaNodes(env: { KAFKA_LOCAL_NODES?: string | undefined }): number {
  const value = env.KAFKA_LOCAL_NODES;
  if (!given(value)) return 1;
  const nodes = Number(value.trim());
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_LOCAL_NODES) {
    throw new Error(`KAFKA_LOCAL_NODES must be a whole number from 1 to ${MAX_LOCAL_NODES} (3 for a replicated cluster), not "${value}"`);
  }
  return nodes;
}

/**
 * What the environment gives is used as it is; otherwise Docker, when an engine answers, runs
 * both; otherwise the local broker from Maven Central's jars, and the machine's PostgreSQL when it
 * answers or else an embedded one. Each of Kafka and PostgreSQL is decided on its own, so setting
 * only DATABASE_URL still gets a broker. Several Kafka nodes asked for are the local cluster even
 * where Docker answers: the Docker path runs one node.
 */
export function choosePlan({ env, dockerAvailable: docker, machinePostgresAnswers: machine, kafkaNodes = 1 }: PlanInputs): InfraPlan {
  const kafka: KafkaSource = given(env.KAFKA_BROKERS) ? 'env' : docker && kafkaNodes === 1 ? 'docker' : 'local';
  const postgres: PostgresSource = given(env.DATABASE_URL)
    ? 'env'
    : docker
      ? 'docker'
      : machine
        ? 'machine'
        : 'embedded';
  return { kafka, postgres };
}

export interface ProvisionOptions {
  /** Root for whatever must live on disk: the local broker's data (kafka/), embedded PostgreSQL (postgres/). */
  dataDir: string;
  /**
   * Client port of the local broker (the controller takes the next one). Default 9092. With several
   * nodes, node 1's: node i listens on kafkaPort + 2(i - 1) and its controller on the next port.
   */
  kafkaPort?: number;
  /**
   * How many local Kafka nodes (combined broker+controllers) to start when the local broker is
   * chosen. Default KAFKA_LOCAL_NODES, else 1. Three or more replicate every topic 3 times.
   */
  kafkaNodes?: number;
  log: Log;
  env?: NodeJS.ProcessEnv;
}

export interface ProvisionedInfra {
  kafkaBrokers: string[];
  /** URL of the server's maintenance database; services and tests make their own databases or schemas. */
  databaseUrl: string;
  plan: InfraPlan;
  /** One line saying what runs where, for logs. */
  describe(): string;
  /** Stops whatever this call started (nothing, for what the environment gave). Safe to call twice. */
  stop(): Promise<void>;
}

interface Started<T> {
  value: T;
  /** The cluster's size when this call started it, for the topics' replication. */
  nodes?: number;
  description: string;
  stop(): Promise<void>;
}

/** Hides a password in a connection URL before it reaches a log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function provideKafka(source: KafkaSource, opts: ProvisionOptions, env: NodeJS.ProcessEnv): Promise<Started<string[]>> {
  const { log } = opts;
  switch (source) {
    case 'env': {
      const brokers = parseBrokers(env.KAFKA_BROKERS ?? '');
      try {
        await waitForKafka({ brokers, clientId: 'syv-infra' }, 15_000);
      } catch (err) {
        throw new Error(`KAFKA_BROKERS=${brokers.join(',')} does not answer: ${String(err)}`);
      }
      return { value: brokers, description: `Kafka from KAFKA_BROKERS (${brokers.join(',')})`, stop: async () => undefined };
    }
    case 'docker': {
      log(`starting apache/kafka:${kafkaVersion()} with testcontainers`);
      const container = await startKafkaContainer();
      return {
        value: container.brokers,
        description: `Kafka in Docker (${container.image} at ${container.brokers.join(',')})`,
        stop: () => container.stop(),
      };
    }
    case 'local': {
      const nodes = opts.kafkaNodes ?? localKafkaNodes(env);
      const cluster = await startLocalKafkaCluster({
        nodes,
        port: opts.kafkaPort ?? 9092,
        dataDir: localKafkaDataDir(join(opts.dataDir, 'kafka'), nodes),
        log,
        ...(nodes === 1 ? { startTimeoutMs: 90_000 } : {}),
      });
      const pids = cluster.nodes.map((n) => n.pid).join(', ');
      const { replicationFactor, minInsyncReplicas } = cluster.replication;
      return {
        value: cluster.brokers,
        nodes,
        description:
          nodes === 1
            ? `local Apache Kafka ${cluster.version} (${cluster.brokers.join(',')}, pid ${pids})`
            : `local Apache Kafka ${cluster.version}, ${nodes} nodes (${cluster.brokers.join(',')}, pids ${pids}; ` +
              `replication factor ${replicationFactor}, min.insync.replicas ${minInsyncReplicas})`,
        stop: () => cluster.stop(),
      };
    }
  }
}

async function providePostgres(source: PostgresSource, opts: ProvisionOptions, env: NodeJS.ProcessEnv): Promise<Started<string>> {
  const { log } = opts;
  switch (source) {
    case 'env': {
      const url = env.DATABASE_URL ?? '';
      return { value: url, description: `PostgreSQL from DATABASE_URL (${redactUrl(url)})`, stop: async () => undefined };
    }
    case 'docker': {
      log('starting postgres:15 with testcontainers');
      const container = await startPostgresContainer();
      return {
        value: container.databaseUrl,
        description: `PostgreSQL in Docker (${container.image})`,
        stop: () => container.stop(),
      };
    }
    case 'machine':
      return { value: MACHINE_POSTGRES_URL, description: "the machine's PostgreSQL (127.0.0.1:5432)", stop: async () => undefined };
    case 'embedded': {
      const port = await freePort();
      const server = await startEmbeddedPostgres({ dataDir: join(opts.dataDir, 'postgres', 'cluster'), port, log });
      return { value: server.databaseUrl, description: `embedded PostgreSQL (127.0.0.1:${port})`, stop: () => server.stop() };
    }
  }
}

/**
 * Decides (choosePlan), starts what the plan needs, and makes sure the system's topics exist.
 * Kafka and PostgreSQL start side by side; if either fails, the other is stopped again.
 */
export async function provisionInfra(opts: ProvisionOptions): Promise<ProvisionedInfra> {
  const env = opts.env ?? process.env;
  const { log } = opts;
  const needsDocker = !given(env.KAFKA_BROKERS) || !given(env.DATABASE_URL);
  const docker = needsDocker ? await dockerAvailable() : false;
  const machine = !given(env.DATABASE_URL) && !docker ? await machinePostgresAnswers(MACHINE_POSTGRES_URL) : false;
  const kafkaNodes = opts.kafkaNodes ?? localKafkaNodes(env);
  const plan = choosePlan({ env, dockerAvailable: docker, machinePostgresAnswers: machine, kafkaNodes });
  log(`plan: Kafka from ${plan.kafka}, PostgreSQL from ${plan.postgres}`);

  const [kafka, postgres] = await Promise.allSettled([provideKafka(plan.kafka, opts, env), providePostgres(plan.postgres, opts, env)]);
  if (kafka.status === 'rejected' || postgres.status === 'rejected') {
    await Promise.allSettled([
      kafka.status === 'fulfilled' ? kafka.value.stop() : undefined,
      postgres.status === 'fulfilled' ? postgres.value.stop() : undefined,
    ]);
    throw kafka.status === 'rejected' ? kafka.reason : (postgres as PromiseRejectedResult).reason;
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const results = await Promise.allSettled([kafka.value.stop(), postgres.value.stop()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return stopping;
  };

  try {
    const brokerCount = kafka.value.nodes;
    await ensureTopics({ brokers: kafka.value.value, clientId: 'syv-infra' }, caseTopics, brokerCount === undefined ? {} : { brokerCount });
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }

  return {
    kafkaBrokers: kafka.value.value,
    databaseUrl: postgres.value.value,
    plan,
    describe: () => `${kafka.value.description}; ${postgres.value.description}`,
    stop,
  };
}
