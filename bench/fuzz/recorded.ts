import pg from 'pg';
import { topicEndOffsets } from '@syv/messaging';

/** The schemas whose `events` tables hold what the command services recorded. */
const EVENT_SCHEMAS = ['referral', 'intervention', 'case_closure'] as const;

/**
 * What only a request can make the projection write, when it runs: an acknowledgement (the
 * alert's row, and alert.acknowledged through its outbox), a replay started, a promotion. Its
 * read model follows the case-events topic, already counted. Not counted: the access log, which a
 * read that is allowed must grow, so a fuzzed request that was rightly served adds rows.
 */
const PROJECTION_COUNTS: Record<string, string> = {
  'projection alerts acknowledged': 'SELECT count(*)::text AS n FROM projection.alerts WHERE acknowledged_by IS NOT NULL',
  'projection replays': 'SELECT count(*)::text AS n FROM projection_audit.replays',
  'projection replays promoted': "SELECT count(*)::text AS n FROM projection_audit.replays WHERE status = 'promoted'",
  'projection replay shadow schemas': "SELECT count(*)::text AS n FROM pg_namespace WHERE nspname LIKE 'projection\\_replay\\_%'",
};

interface Recorded {
  /** Row counts by what they count: `<schema>.events`, and the projection's (see PROJECTION_COUNTS). */
  counts: Record<string, number>;
  /** Sum of the case-events topic's high watermarks. */
  topicEnd: number;
}

/** What has been recorded so far: each service's event count, the projection's, and how far the topic reaches. */
async function snapshotRecorded(databaseUrl: string, kafka: { brokers: string[]; topic: string }): Promise<Recorded> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const counts: Record<string, number> = {};
  const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  try {
    for (const schema of EVENT_SCHEMAS) counts[`${schema}.events`] = await count(`SELECT count(*)::text AS n FROM ${schema}.events`);
    const projection = await client.query<{ ok: boolean }>(`SELECT to_regclass('projection_audit.replays') IS NOT NULL AS ok`);
    if (projection.rows[0]?.ok) for (const [label, sql] of Object.entries(PROJECTION_COUNTS)) counts[label] = await count(sql);
  } finally {
    await client.end();
  }
  const ends = await topicEndOffsets({ brokers: kafka.brokers, clientId: 'bench-recorded' }, kafka.topic);
  return { counts, topicEnd: ends.reduce((n, p) => n + Number(p.high), 0) };
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
  for (const label of new Set([...Object.keys(before.counts), ...Object.keys(after.counts)])) {
    const a = before.counts[label] ?? 0;
    const b = after.counts[label] ?? 0;
    if (a !== b) changes.push(`${label}: ${a} → ${b} rows`);
  }
  if (before.topicEnd !== after.topicEnd) changes.push(`case-events end offsets: ${before.topicEnd} → ${after.topicEnd}`);
  return changes;
}
