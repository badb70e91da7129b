import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicationFor } from '@syv/messaging';
import { kafkaVersion } from './kafka-jars.js';
import { repoRoot } from './paths.js';
import { caseTopics } from './topics.js';

// docker-compose.yml and its three-node override cannot run on machines without Docker (CI
// included), so what they must agree on with the no-Docker path is checked here, as text.
const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
const clusterFile = 'docker-compose.kafka-cluster.yml';
const cluster = readFileSync(join(repoRoot, clusterFile), 'utf8');

function section(name: string, text = compose, file = 'docker-compose.yml'): string {
  const start = text.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`${file} has no service ${name}`);
  const rest = text.slice(start + 1);
  const next = rest.slice(1).search(/\n {2}[a-z][\w-]*:\n|\n[a-z]/);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

/** A top-level block (e.g. an x- anchor) up to the next top-level key. */
function topLevel(name: string, text: string): string {
  const start = text.search(new RegExp(`^${name}:`, 'm'));
  if (start < 0) throw new Error(`no top-level ${name}`);
  const rest = text.slice(start);
  const next = rest.slice(1).search(/\n[a-z]/);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

const setting = (text: string, key: string): string | undefined => new RegExp(`^\\s+${key}: (.+)$`, 'm').exec(text)?.[1]?.trim();

describe('docker-compose.yml', () => {
  it('runs the same Apache Kafka version as infra/kafka/pom.xml pins, in the three-node override too', () => {
    const tags = [...compose.matchAll(/image:\s*apache\/kafka:(\S+)/g)].map((m) => m[1]);
    expect(tags.length).toBeGreaterThanOrEqual(2);
    const clusterTags = [...cluster.matchAll(/image:\s*apache\/kafka:(\S+)/g)].map((m) => m[1]);
    expect(clusterTags).toHaveLength(2);
    for (const tag of [...tags, ...clusterTags]) expect(tag).toBe(kafkaVersion());
  });

  it('creates the same topics as infra, with the same partitions and unlimited retention', () => {
    const init = section('topic-init');
    for (const topic of caseTopics) expect(init).toContain(topic.name);
    const partitions = new Set(caseTopics.map((t) => t.partitions));
    expect(partitions.size).toBe(1);
    expect(init).toContain(`--partitions ${[...partitions][0]}`);
    expect(init).toContain('retention.ms=-1');
  });

  it.each([
    ['referral', 3001],
    ['intervention', 3002],
    ['case-closure', 3003],
    ['projection', 3004],
    ['console', 3005],
  ])('builds %s from the shared Dockerfile and checks /health/ready on port %i', (service, port) => {
    const text = section(service);
    expect(text).toContain(`SERVICE: ${service}`);
    expect(text).toContain(`PORT: ${port}`);
    expect(text).toContain(`"${port}:${port}"`);
    expect(text).toMatch(/healthcheck: \*service-health|healthcheck: &service-health/);
  });

  it('builds from a Dockerfile that exists, and every service waits for its dependencies', () => {
    expect(compose).toContain('dockerfile: infra/docker/service.Dockerfile');
    expect(existsSync(join(repoRoot, 'infra', 'docker', 'service.Dockerfile'))).toBe(true);
    expect(compose).toContain('/health/ready');
    expect(compose).toMatch(/topic-init:\s*\n\s*condition: service_completed_successfully/);
    expect(compose).toMatch(/postgres:\s*\n\s*condition: service_healthy/);
  });
});

describe(clusterFile, () => {
  const nodeEnv = topLevel('x-kafka-node-env', cluster);
  const nodes = [
    { service: 'kafka', id: 1, port: 9092 },
    { service: 'kafka-2', id: 2, port: 9094 },
    { service: 'kafka-3', id: 3, port: 9096 },
  ];
  const node = (service: string) => section(service, cluster, clusterFile);

  it('makes three combined KRaft nodes of one static quorum, node 1 being the base file\'s kafka', () => {
    expect(setting(nodeEnv, 'KAFKA_PROCESS_ROLES')).toBe('broker,controller');
    expect(setting(nodeEnv, 'KAFKA_CONTROLLER_QUORUM_VOTERS')).toBe('1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093');
    for (const { service, id } of nodes) {
      const text = node(service);
      expect(text).toContain('<<: *kafka-node-env');
      expect(setting(text, 'KAFKA_NODE_ID')).toBe(String(id));
      expect(setting(text, 'KAFKA_ADVERTISED_LISTENERS')).toContain(`INTERNAL://${service}:19092`);
      expect(setting(text, 'KAFKA_LISTENERS')).toContain('CONTROLLER://0.0.0.0:9093');
    }
  });

  it('gives the cluster one id of its own and each node its own volume: the one-node log is never taken over', () => {
    const clusterId = setting(nodeEnv, 'CLUSTER_ID');
    expect(clusterId).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(clusterId).not.toBe(setting(section('kafka'), 'CLUSTER_ID'));
    const volumes = nodes.map(({ service }) => /- ([\w-]+):\/var\/lib\/kafka\/data/.exec(node(service))?.[1]);
    expect(volumes).toEqual(['kafka-1-data', 'kafka-2-data', 'kafka-3-data']);
    for (const volume of volumes) expect(topLevel('volumes', cluster)).toContain(`  ${volume}:`);
  });

  it('publishes the nodes on the host ports of the local three-node layout (9092, 9094, 9096)', () => {
    for (const { service, port } of nodes) {
      expect(setting(node(service), 'KAFKA_ADVERTISED_LISTENERS')).toContain(`EXTERNAL://localhost:${port}`);
      // kafka's 9092 is published by the base file; the others publish their own.
      if (service !== 'kafka') expect(node(service)).toContain(`"${port}:${port}"`);
    }
  });

  it('replicates every topic, internal ones included, as infra does for three nodes', () => {
    const { replicationFactor, minInsyncReplicas } = replicationFor(3);
    for (const key of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', 'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR', 'KAFKA_DEFAULT_REPLICATION_FACTOR']) {
      expect(setting(nodeEnv, key), key).toBe(String(replicationFactor));
    }
    for (const key of ['KAFKA_TRANSACTION_STATE_LOG_MIN_ISR', 'KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR', 'KAFKA_MIN_INSYNC_REPLICAS']) {
      expect(setting(nodeEnv, key), key).toBe(String(minInsyncReplicas));
    }
  });

  it('creates the same topics as infra with 3 replicas and min.insync.replicas=2, once all three nodes are healthy', () => {
    const init = node('topic-init');
    for (const topic of caseTopics) expect(init).toContain(topic.name);
    expect(init).toContain(`--partitions ${caseTopics[0]!.partitions}`);
    expect(init).toContain(`--replication-factor ${replicationFor(3).replicationFactor}`);
    expect(init).toContain(`--config min.insync.replicas=${replicationFor(3).minInsyncReplicas}`);
    expect(init).toContain('retention.ms=-1');
    expect(init).toMatch(/kafka-2:\s*\n\s*condition: service_healthy/);
    expect(init).toMatch(/kafka-3:\s*\n\s*condition: service_healthy/);
    for (const { service } of nodes.slice(1)) expect(node(service)).toMatch(/healthcheck:\s*\n\s*<<: \*kafka-node-health/);
  });

  it.each(['referral', 'intervention', 'case-closure', 'projection', 'console'])('points %s at all three nodes', (service) => {
    expect(section(service)).toContain('<<: *service-env');
    expect(setting(node(service), 'KAFKA_BROKERS')).toBe('*kafka-brokers');
    expect(topLevel('x-kafka-brokers', cluster).trim()).toBe('x-kafka-brokers: &kafka-brokers kafka:19092,kafka-2:19092,kafka-3:19092');
  });
});
