import type pg from 'pg';
import type { Logger } from 'pino';
import type { KafkaConnection } from '@syv/messaging';
import { problem } from '@syv/service-kit';
import type { ReadModel } from '../read-model/context.js';
import { auditSchemaOf } from './audit-schema.js';
import { startReplayReader } from './replay-reader.js';
import { loadReplay, markPromoted, type PartitionOffset } from './replay-store.js';
import { dropShadow } from './shadow.js';

/**
 * Tables that are not a projection of the case-events log: they move from the live schema into
 * the promoted one as they are, so nothing of them is lost or done twice.
 * - events, subscription_checkpoints: the projection's own outbox (closure.assessed, alert.raised,
 *   alert.acknowledged) and the relay's place in it. What the old read model published stays
 *   published; the replay's own outbox rows are dropped, so a promotion publishes nothing again.
 * - idempotency_keys: retried acknowledgements still get their first answer.
 * - access_log: who read what is history, not a projection.
 * - consumer_offsets, rejected_messages: the live consumer's place in the log and what it set aside;
 *   the shadow is caught up to exactly that place before the swap (what was applied is recorded by
 *   the archive's key, case_events, which the shadow has rebuilt). processed_events is the generic
 *   consumer's dedup table, which this read model leaves empty.
 */
const CARRIED_OVER = ['events', 'subscription_checkpoints', 'idempotency_keys', 'access_log', 'consumer_offsets', 'processed_events', 'rejected_messages'];

export interface PromotionOptions {
  pool: pg.Pool;
  readModel: ReadModel;
  liveConsumer: string;
  kafka: KafkaConnection;
  topic: string;
  logger: Logger;
}

async function offsetsOf(db: pg.ClientBase | pg.Pool, schema: string, consumer: string, topic: string): Promise<PartitionOffset[]> {
  const { rows } = await db.query<{ partition: number; next_offset: string }>(
    `SELECT partition, next_offset::text FROM ${schema}.consumer_offsets WHERE consumer = $1 AND topic = $2 ORDER BY partition`,
    [consumer, topic],
  );
  return rows.map((r) => ({ topic, partition: r.partition, offset: r.next_offset }));
}

const same = (a: PartitionOffset[], b: PartitionOffset[]) => a.length === b.length && a.every((x, i) => x.partition === b[i]?.partition && x.offset === b[i]?.offset);

/**
 * Makes a finished replay the live read model without stopping the service:
 * 1. the shadow catches up, with the same reader, to where the live consumer is now;
 * 2. one transaction locks every table of the live schema (the live consumer, the sweep and the
 *    queries wait at their next statement, for milliseconds), checks the shadow is at exactly the
 *    live consumer's offsets (if not, it lets go, catches up again and retries), carries over
 *    acknowledgements and the tables in CARRIED_OVER, and renames the schemas;
 * 3. waiting statements resolve the schema's tables by name again after the lock (PostgreSQL
 *    re-looks-up a relation whose name changed while it waited), so they continue on the promoted one.
 */
export async function promoteReplay(o: PromotionOptions, replayId: string, acceptDifferences: boolean): Promise<{ retiredSchema: string }> {
  const { pool, logger } = o;
  const live = o.readModel.schema;
  const auditSchema = auditSchemaOf(live);
  const replay = await loadReplay(pool, auditSchema, replayId);
  if (!replay) throw problem('NOT_FOUND', `There is no replay ${replayId}.`);
  if (replay.status !== 'finished') throw problem('CONFLICT', `Replay ${replayId} is ${replay.status}; only a finished replay can be promoted.`);
  if (replay.faultInjection) throw problem('CONFLICT', `Replay ${replayId} ran with fault injection (${replay.faultInjection}) and can never be promoted.`);
  if (replay.matches !== true && !acceptDifferences) {
    throw problem('CONFLICT', `Replay ${replayId} does not match the live read model; promote it only with acceptDifferences after reviewing its differing cases.`);
  }
  const shadow: ReadModel = { ...o.readModel, schema: replay.shadowSchema };
  const consumer = `projection-replay-${replayId}`;
  const retiredSchema = `${live}_retired_${replay.shadowSchema.slice(-16)}`;

  for (let attempt = 1; attempt <= 10; attempt++) {
    const target = await offsetsOf(pool, live, o.liveConsumer, o.topic);
    if (!same(target, await offsetsOf(pool, shadow.schema, consumer, o.topic))) {
      const reader = await startReplayReader({ pool, kafka: o.kafka, topic: o.topic, readModel: shadow, consumer, targets: target, fault: undefined, onProgress: () => undefined, logger });
      try {
        await reader.done;
      } finally {
        await reader.stop();
      }
    }
    const swapped = await swap(pool, live, shadow.schema, retiredSchema, o.liveConsumer, consumer, o.topic, auditSchema, replayId);
    if (swapped) {
      await dropShadow(pool, retiredSchema);
      logger.info({ replayId, attempt }, 'replay promoted to live');
      return { retiredSchema };
    }
  }
  throw problem('CONFLICT', `The live consumer kept moving; replay ${replayId} was not promoted. Try again when writes are quieter.`);
}

async function swap(
  pool: pg.Pool,
  live: string,
  shadow: string,
  retired: string,
  liveConsumer: string,
  replayConsumer: string,
  topic: string,
  auditSchema: string,
  replayId: string,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL lock_timeout = '5s'`);
    const { rows } = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`, [live]);
    await client.query(`LOCK TABLE ${rows.map((r) => `${live}.${r.tablename}`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    const liveAt = await offsetsOf(client, live, liveConsumer, topic);
    const shadowAt = await offsetsOf(client, shadow, replayConsumer, topic);
    if (!same(liveAt, shadowAt)) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query(
      `UPDATE ${shadow}.alerts s SET acknowledged_by = l.acknowledged_by, acknowledged_at = l.acknowledged_at
         FROM ${live}.alerts l WHERE l.alert_id = s.alert_id AND l.acknowledged_by IS NOT NULL`,
    );
    for (const table of CARRIED_OVER) {
      await client.query(`DROP TABLE ${shadow}.${table}`);
      await client.query(`ALTER TABLE ${live}.${table} SET SCHEMA ${shadow}`);
    }
    await client.query(`ALTER SCHEMA ${live} RENAME TO ${retired}`);
    await client.query(`ALTER SCHEMA ${shadow} RENAME TO ${live}`);
    await markPromoted(client, auditSchema, replayId);
    await client.query('COMMIT');
    return true;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    // A live transaction holding one table while wanting one already locked here is a deadlock
    // PostgreSQL breaks by aborting one side; when it picks the swap, catch up and try again.
    const code = (err as { code?: string }).code;
    if (code === '40P01' || code === '55P03') return false;
    throw err;
  } finally {
    client.release();
  }
}
