import type pg from 'pg';
import { digestReadModel, type CaseDigests } from './checksum.js';
import type { PartitionOffset } from './replay-store.js';

export interface LiveSnapshot {
  /** Next offset per partition the live consumer had applied: the prefix the replay rebuilds. */
  offsets: PartitionOffset[];
  digests: CaseDigests;
  /** Per case, the last time the time rules looked at it (an event's time or the sweep's clock). */
  flagsAsOf: Map<string, Date>;
}

/**
 * The live read model at one instant, together with the offsets it had reached then. The consumer
 * commits a batch's changes and its offsets in one transaction, so one REPEATABLE READ snapshot
 * sees a read model that is exactly the function of the log up to those offsets: no need to pause
 * the live consumer, which keeps serving and moving on while the replay runs.
 */
export async function snapshotLive(pool: pg.Pool, schema: string, consumer: string, topic: string): Promise<LiveSnapshot> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const { rows } = await client.query<{ partition: number; next_offset: string }>(
        `SELECT partition, next_offset::text FROM ${schema}.consumer_offsets WHERE consumer = $1 AND topic = $2 ORDER BY partition`,
        [consumer, topic],
      );
      const digests = await digestReadModel(client, schema);
      const asOf = await client.query<{ case_id: string; flags_as_of: Date }>(`SELECT case_id, flags_as_of FROM ${schema}.cases WHERE flags_as_of IS NOT NULL`);
      return {
        offsets: rows.map((r) => ({ topic, partition: r.partition, offset: r.next_offset })),
        digests,
        flagsAsOf: new Map(asOf.rows.map((r) => [r.case_id, r.flags_as_of])),
      };
    } finally {
      await client.query('COMMIT');
    }
  } finally {
    client.release();
  }
}
