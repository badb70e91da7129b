import type pg from 'pg';

export async function loadOffset(db: pg.Pool | pg.PoolClient, schema: string, consumer: string, topic: string, partition: number): Promise<string | undefined> {
  const res = await db.query<{ next_offset: string }>(
    `SELECT next_offset FROM ${schema}.consumer_offsets WHERE consumer = $1 AND topic = $2 AND partition = $3`,
    [consumer, topic, partition],
  );
  return res.rows[0]?.next_offset;
}

export async function storeOffset(db: pg.PoolClient, schema: string, consumer: string, topic: string, partition: number, nextOffset: string): Promise<void> {
  await db.query(
    `INSERT INTO ${schema}.consumer_offsets (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
     ON CONFLICT (consumer, topic, partition)
     DO UPDATE SET next_offset = GREATEST(${schema}.consumer_offsets.next_offset, EXCLUDED.next_offset), updated_at = now()`,
    [consumer, topic, partition, nextOffset],
  );
}

/**
 * Records a batch's event ids as processed by this consumer, in one statement, and answers where
 * the ids seen for the first time are: the index of each one's first occurrence in `eventIds`.
 * The caller applies the events at those indexes and skips the rest as redelivered duplicates.
 */
export async function markProcessed(db: pg.PoolClient, schema: string, consumer: string, eventIds: readonly string[]): Promise<Set<number>> {
  if (eventIds.length === 0) return new Set();
  const res = await db.query<{ ord: string }>(
    `WITH batch AS (SELECT id::uuid AS id, ord FROM unnest($2::text[]) WITH ORDINALITY AS u(id, ord)),
          fresh AS (INSERT INTO ${schema}.processed_events (consumer, event_id)
                    SELECT $1, id FROM batch ORDER BY ord ON CONFLICT DO NOTHING RETURNING event_id)
     SELECT min(batch.ord)::text AS ord FROM batch JOIN fresh ON fresh.event_id = batch.id GROUP BY batch.id`,
    [consumer, eventIds],
  );
  return new Set(res.rows.map((r) => Number(r.ord) - 1));
}

export async function recordRejected(
  db: pg.PoolClient,
  schema: string,
  row: { consumer: string; topic: string; partition: number; offset: string; error: string; raw: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO ${schema}.rejected_messages (consumer, topic, partition, "offset", error, raw) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING`,
    [row.consumer, row.topic, row.partition, row.offset, row.error, row.raw],
  );
}

export interface RejectedMessage {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  error: string;
  raw: string | null;
  rejectedAt: string;
}

/** Oldest first; `after` (an id from an earlier page) pages on through a long list. */
export async function listRejected(db: pg.Pool, schema: string, consumer: string, limit = 100, after = '0'): Promise<RejectedMessage[]> {
  const res = await db.query<{ id: string; consumer: string; topic: string; partition: number; offset: string; error: string; raw: string | null; rejected_at: Date }>(
    `SELECT id, consumer, topic, partition, "offset", error, raw, rejected_at FROM ${schema}.rejected_messages
     WHERE consumer = $1 AND id > $3 ORDER BY id LIMIT $2`,
    [consumer, limit, after],
  );
  return res.rows.map(({ rejected_at, ...r }) => ({ ...r, rejectedAt: rejected_at.toISOString() }));
}
