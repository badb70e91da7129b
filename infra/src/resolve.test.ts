import { describe, expect, it } from 'vitest';
import { choosePlan, redactUrl, type PlanInputs } from './resolve.js';

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
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl(DATABASE_URL)).toBe('postgres://app:***@db.example:5432/app');
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/postgres')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
  });
});
