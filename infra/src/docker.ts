import { kafkaVersion } from './kafka-jars.js';
import { freePort } from './net.js';

// testcontainers is imported lazily: loading it costs ~0.5 s and machines without Docker never need it.

/**
 * True when a Docker (or compatible) engine answers, using testcontainers' own discovery
 * (DOCKER_HOST, ~/.testcontainers.properties, the usual sockets), so the answer matches what
 * testcontainers will do next. Bounded: a socket that exists but hangs must not stall a test run.
 */
export async function dockerAvailable(timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const probe = (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
      return true;
    } catch {
      return false;
    }
  })();
  try {
    return await Promise.race([probe, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export interface KafkaContainerHandle {
  brokers: string[];
  image: string;
  stop(): Promise<void>;
}

/**
 * Apache Kafka's own image, the same version as the no-Docker broker, as one KRaft node.
 *
 * Not @testcontainers/kafka's KafkaContainer: in 11.14 it drives Confluent's cp-kafka images only
 * (it runs /etc/confluent/docker/run and rejects KRaft for tags below 7.0.0, which "4.3.1" is).
 * apache/kafka is configured by KAFKA_* variables instead. The client listener is advertised
 * with a host port chosen before start, because the advertised address must be known when
 * the broker starts and testcontainers' random mapping is only known after.
 */
export async function startKafkaContainer(): Promise<KafkaContainerHandle> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const image = `apache/kafka:${kafkaVersion()}`;
  // The engine's host as clients reach it (not always loopback: DOCKER_HOST may be remote).
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  // Free here; for a remote engine it is a good guess, and a clash fails the start loudly.
  const hostPort = await freePort();
  const container = await new GenericContainer(image)
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${hostPort}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_NUM_PARTITIONS: '6',
      KAFKA_HEAP_OPTS: '-Xmx512m',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return {
    brokers: [`${host}:${hostPort}`],
    image,
    async stop() {
      await container.stop();
    },
  };
}

export interface PostgresContainerHandle {
  databaseUrl: string;
  image: string;
  stop(): Promise<void>;
}

/** PostgreSQL 15, the version the machine server and docker-compose.yml use. */
export async function startPostgresContainer(): Promise<PostgresContainerHandle> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const image = 'postgres:15';
  const container = await new PostgreSqlContainer(image)
    .withDatabase('postgres')
    .withUsername('postgres')
    .withPassword('postgres')
    .start();
  return {
    databaseUrl: container.getConnectionUri(),
    image,
    async stop() {
      await container.stop();
    },
  };
}
