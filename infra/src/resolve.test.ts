import { describe, expect, it } from 'vitest';
import { localKafkaDataDir } from './kafka-local.js';
import { choosePlan, localKafkaNodes, redactUrl, type PlanInputs } from './resolve.js';

const KAFKA_BROKERS = 'kafka.example:9092';
const DATABASE_URL = 'postgres://app:secret@db.example:5432/app';

function plan(env: PlanInputs['env'], dockerAvailable: boolean, machinePostgresAnswers: boolean) {
  return choosePlan({ env, dockerAvailable, machinePostgresAnswers });
}

describe('choosePlan', () => {
  it('uses what the environment gives, whatever else is available', () => {
    for (const docker of [true, false]) {
      for (const machine of [true, false]) {
        expect(plan({ KAFKA_BROKERS, DATABASE_URL }, docker, machine)).toEqual({ kafka: 'env', postgres: 'env' });
      }
    }
  });

  it('given only KAFKA_BROKERS, with Docker: PostgreSQL from Docker', () => {
    expect(plan({ KAFKA_BROKERS }, true, true)).toEqual({ kafka: 'env', postgres: 'docker' });
  });

  it('given only KAFKA_BROKERS, without Docker: the machine PostgreSQL when it answers, else embedded', () => {
    expect(plan({ KAFKA_BROKERS }, false, true)).toEqual({ kafka: 'env', postgres: 'machine' });
    expect(plan({ KAFKA_BROKERS }, false, false)).toEqual({ kafka: 'env', postgres: 'embedded' });
  });

  it('given only DATABASE_URL: Kafka from Docker when it answers, else the local broker', () => {
    expect(plan({ DATABASE_URL }, true, false)).toEqual({ kafka: 'docker', postgres: 'env' });
    expect(plan({ DATABASE_URL }, false, true)).toEqual({ kafka: 'local', postgres: 'env' });
  });

  it('given nothing, with Docker: both from Docker, even when the machine has PostgreSQL', () => {
    expect(plan({}, true, true)).toEqual({ kafka: 'docker', postgres: 'docker' });
    expect(plan({}, true, false)).toEqual({ kafka: 'docker', postgres: 'docker' });
  });

  it("given nothing, without Docker: the local broker and the machine's PostgreSQL when it answers", () => {
    expect(plan({}, false, true)).toEqual({ kafka: 'local', postgres: 'machine' });
  });

  it('given nothing, without Docker or a machine PostgreSQL: the local broker and an embedded PostgreSQL', () => {
    expect(plan({}, false, false)).toEqual({ kafka: 'local', postgres: 'embedded' });
  });

  it('treats an empty or blank variable as not given', () => {
    expect(plan({ KAFKA_BROKERS: '', DATABASE_URL: '  ' }, false, false)).toEqual({ kafka: 'local', postgres: 'embedded' });
  });

  it('asked for several Kafka nodes: the local cluster even with Docker, but KAFKA_BROKERS still wins', () => {
    expect(choosePlan({ env: {}, dockerAvailable: true, machinePostgresAnswers: true, kafkaNodes: 3 })).toEqual({ kafka: 'local', postgres: 'docker' });
    expect(choosePlan({ env: {}, dockerAvailable: true, machinePostgresAnswers: true, kafkaNodes: 1 })).toEqual({ kafka: 'docker', postgres: 'docker' });
    expect(choosePlan({ env: { KAFKA_BROKERS }, dockerAvailable: false, machinePostgresAnswers: true, kafkaNodes: 3 })).toEqual({ kafka: 'env', postgres: 'machine' });
  });
});

describe('localKafkaNodes', () => {
  it('is 1 unless KAFKA_LOCAL_NODES says otherwise', () => {
    expect(localKafkaNodes({})).toBe(1);
    expect(localKafkaNodes({ KAFKA_LOCAL_NODES: ' ' })).toBe(1);
    expect(localKafkaNodes({ KAFKA_LOCAL_NODES: '3' })).toBe(3);
    expect(localKafkaNodes({ KAFKA_LOCAL_NODES: ' 1 ' })).toBe(1);
  });

  it.each(['0', '-1', '2.5', 'three', '6'])('refuses KAFKA_LOCAL_NODES=%s, naming the variable', (value) => {
    expect(() => localKafkaNodes({ KAFKA_LOCAL_NODES: value })).toThrow(/KAFKA_LOCAL_NODES must be a whole number from 1 to 5/);
  });

  it("keeps a cluster's data apart from one node's", () => {
    expect(localKafkaDataDir('/d/kafka', 1)).toBe('/d/kafka');
    expect(localKafkaDataDir('/d/kafka', 3)).toBe('/d/kafka-3-nodes');
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl(DATABASE_URL)).toBe('postgres://app:***@db.example:5432/app');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });
});
