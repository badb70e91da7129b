import type { Queryable } from './db.js';
import { eventColumns, toRecordedEvent, type EventRow } from './event-row.js';
import { qualified } from './schema-name.js';
import type { LogCheckpoint, RecordedEvent } from './types.js';

export interface LogBatch {
  events: RecordedEvent[];
  /** Where the next read starts: the last event's pair, or `after` when the batch is empty. */
  checkpoint: LogCheckpoint;
  /** The batch was full: read again at once rather than waiting. */
  hasMore: boolean;
  /**
   * The batch is empty although events after `after` are committed: they belong to transactions
   * not yet below the oldest running one. Read again shortly rather than at the next poll.
   */
  heldBack: boolean;
}

/**
 * The next events of the whole log after `after`, in (transaction_id, global_position) order.
 *
 * Only rows of transactions older than every transaction still running are returned. bigserial
 * values are handed out at insert, not at commit, so a transaction that took position 10 may commit
 * after one that took 11; a reader that had moved past 11 would never see 10. Any transaction
 * below pg_snapshot_xmin has ended, so everything it wrote is visible now or never will be, and
 * nothing can later appear below the checkpoint. The cost: one long-running writing transaction,
 * anywhere on the server, holds every reader back until it ends.
 */
export async function readAllBatch(db: Queryable, schema: string, after: LogCheckpoint, limit: number): Promise<LogBatch> {
  const { rows } = await db.query<EventRow>(
    // ORDER BY names e.* explicitly: bare names would mean the text aliases of the select list,
    // and '10' sorts before '9'.
    `SELECT ${eventColumns} FROM ${qualified(schema, 'events')} AS e
      WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
        AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.transaction_id, e.global_position
      LIMIT $3`,
    [after.transactionId, after.position, limit],
  );
  const events = rows.map(toRecordedEvent);
  const last = events.at(-1);
  const heldBack =
    events.length === 0 &&
    (
      await db.query<{ waiting: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${qualified(schema, 'events')} AS e WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)) AS waiting`,
        [after.transactionId, after.position],
      )
    ).rows[0]?.waiting === true;
  return {
    events,
    checkpoint: last ? { transactionId: last.transactionId, position: last.globalPosition } : after,
    hasMore: events.length === limit,
    heldBack,
  };
}

/**
 * The pair of the newest event committed when this runs (readable or still held back), for flush(): once a
 * reader's checkpoint reaches it, everything committed before this call has been read.
 */
export async function lastCommittedCheckpoint(db: Queryable, schema: string): Promise<LogCheckpoint | undefined> {
  const { rows } = await db.query<{ transaction_id: string; position: string }>(
    `SELECT transaction_id::text AS transaction_id, global_position::text AS position
       FROM ${qualified(schema, 'events')} AS e
      ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1`,
  );
  const row = rows[0];
  return row ? { transactionId: row.transaction_id, position: row.position } : undefined;
}

/** Events after the checkpoint that are committed: how far a reader is behind. */
export async function countAfter(db: Queryable, schema: string, after: LogCheckpoint): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${qualified(schema, 'events')}
      WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)`,
    [after.transactionId, after.position],
  );
  return Number(rows[0]?.n ?? 0);
}
