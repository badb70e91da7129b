import type pg from 'pg';
import { withTransaction } from '@syv/event-store';
import { caseRanges, countCases, storeDigests } from './digest-store.js';
import type { PartitionOffset } from './replay-store.js';

export interface LiveSnapshot {
  /** Next offset per partition the live consumer had applied: the prefix the replay rebuilds. */
  offsets: PartitionOffset[];
  /** Digests the live read model as of the snapshot into replay_digests, a range of cases per short transaction. */
  digest(auditSchema: string, replayId: string, stopped: () => boolean): Promise<void>;
  /** Ends the snapshot (its transaction holds back every outbox reader on the server while open). */
  close(): Promise<void>;
}

/**
 * The live read model at one instant, together with the offsets it had reached then. The consumer
 * commits a slice's changes and its offsets in one transaction, so one REPEATABLE READ snapshot
 * sees a read model that is exactly the function of the log up to those offsets: no need to pause
 * the live consumer, which keeps serving and moving on while the replay runs. The snapshot is
 * exported, so the digests are written by short transactions that each read it.
 */
export async function openLiveSnapshot(pool: pg.Pool, schema: string, consumer: string, topic: string): Promise<LiveSnapshot> {
  const holder = await pool.connect();
  let open = true;
  const close = async () => {
    if (!open) return;
    open = false;
    await holder.query('COMMIT').catch(() => undefined);
    holder.release();
  };
  try {
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshotId = (await holder.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    const { rows } = await holder.query<{ partition: number; next_offset: string }>(
      `SELECT partition, next_offset::text FROM ${schema}.consumer_offsets WHERE consumer = $1 AND topic = $2 ORDER BY partition`,
      [consumer, topic],
    );
    const cases = await countCases(holder, schema);
    return {
      offsets: rows.map((r) => ({ topic, partition: r.partition, offset: r.next_offset })),
      async digest(auditSchema, replayId, stopped) {
        for (const range of caseRanges(cases)) {
          if (stopped()) return;
          await withTransaction(pool, async (client) => {
            await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
            await client.query(`SET TRANSACTION SNAPSHOT '${snapshotId.replace(/[^0-9A-F-]/gi, '')}'`);
            await storeDigests(client, auditSchema, replayId, 'live', schema, range);
          });
        }
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
