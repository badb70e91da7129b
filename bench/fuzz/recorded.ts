import pg from 'pg';
import { topicEndOffsets } from '@syv/messaging';

/** The schemas whose `events` tables hold what the command services recorded. */
export const EVENT_SCHEMAS = ['referral', 'intervention', 'case_closure'] as const;

export interface Recorded {
  events: Record<string, number>;
  /** Sum of the case-events topic's high watermarks. */
  topicEnd: number;
}

/** What has been recorded so far: each service's event count and how far the topic reaches. */
export async function snapshotRecorded(databaseUrl: string, kafka: { brokers: string[]; topic: string }): Promise<Recorded> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const events: Record<string, number> = {};
  try {
    for (const schema of EVENT_SCHEMAS) {
      const res = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${schema}.events`);
      events[schema] = Number(res.rows[0]?.n ?? 0);
    }
  } finally {
    await client.end();
  }
  const ends = await topicEndOffsets({ brokers: kafka.brokers, clientId: 'bench-recorded' }, kafka.topic);
  return { events, topicEnd: ends.reduce((n, p) => n + Number(p.high), 0) };
}

/**
 * A snapshot once nothing has moved for `quietMs` (the outbox relay polls every 500 ms), so that
 * it is not overtaken by events recorded before it, e.g. by the fixtures.
 */
export async function settledSnapshot(databaseUrl: string, kafka: { brokers: string[]; topic: string }, quietMs = 1_500, timeoutMs = 30_000): Promise<Recorded> {
  const deadline = Date.now() + timeoutMs;
  let snap = await snapshotRecorded(databaseUrl, kafka);
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs) {
    if (Date.now() > deadline) throw new Error(`what is recorded kept changing for ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
    const next = await snapshotRecorded(databaseUrl, kafka);
    if (describeChange(snap, next).length > 0) quietSince = Date.now();
    snap = next;
  }
  return snap;
}

export function describeChange(before: Recorded, after: Recorded): string[] {
  const changes: string[] = [];
  for (const schema of EVENT_SCHEMAS) {
    const a = before.events[schema] ?? 0;
    const b = after.events[schema] ?? 0;
    if (a !== b) changes.push(`${schema}.events: ${a} → ${b} rows`);
  }
  if (before.topicEnd !== after.topicEnd) changes.push(`case-events end offsets: ${before.topicEnd} → ${after.topicEnd}`);
  return changes;
}
