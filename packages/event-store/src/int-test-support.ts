// Shared set-up for this package's integration tests (not exported): one database per test file,
// one schema per test, real PostgreSQL and Kafka from the test harness.
import { randomBytes, randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '@syv/messaging';
import { createTestDatabase, type TestDatabase } from '@syv/test-harness';
import pg from 'pg';
import { migrate } from './migrations/migrate.js';
import { eventStoreMigrations } from './migrations/event-store-migrations.js';
import type { NewEvent, RecordedEvent } from './types.js';

export interface TestStore {
  db: TestDatabase;
  pool: pg.Pool;
  /** A migrated schema of its own, for one test. */
  schema(): Promise<string>;
  close(): Promise<void>;
}

export async function createTestStore(prefix: string, poolSize = 20): Promise<TestStore> {
  const db = await createTestDatabase(prefix);
  const pool = new pg.Pool({ connectionString: db.url, max: poolSize });
  // An idle client dropped by the server must not crash the test process.
  pool.on('error', () => undefined);
  return {
    db,
    pool,
    async schema() {
      const schema = `s_${randomBytes(4).toString('hex')}`;
      await migrate(pool, schema, eventStoreMigrations);
      return schema;
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}

export function newEvent(type = 'thing.happened.v1', data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

/** The message the tests publish: key = the case (stream) id, value = what a consumer needs to check order. */
export function testMessage(event: RecordedEvent): OutgoingMessage {
  return {
    key: String(event.metadata.caseId ?? event.streamId),
    value: JSON.stringify({ id: event.id, type: event.type, streamId: event.streamId, streamVersion: event.streamVersion }),
    headers: { ce_id: event.id },
  };
}

interface PublishedEvent {
  id: string;
  streamId: string;
  streamVersion: number;
  partition: number;
  offset: string;
}

export function parsePublished(m: { value: Buffer | null; partition: number; offset: string }): PublishedEvent {
  const v = JSON.parse(String(m.value)) as { id: string; streamId: string; streamVersion: number };
  return { id: v.id, streamId: v.streamId, streamVersion: v.streamVersion, partition: m.partition, offset: m.offset };
}

/** What a consumer that deduplicates by event id keeps: the first delivery of each id, in log order. */
export function dedupeById(messages: PublishedEvent[]): { kept: PublishedEvent[]; duplicates: number } {
  const seen = new Set<string>();
  const kept: PublishedEvent[] = [];
  for (const m of messages) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    kept.push(m);
  }
  return { kept, duplicates: messages.length - kept.length };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
