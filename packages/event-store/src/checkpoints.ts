import type { Queryable } from './db.js';
import { qualified } from './schema-name.js';
import type { LogCheckpoint } from './types.js';

/** Where a subscription left off, or undefined when it has never stored one (start of the log). */
export async function loadCheckpoint(db: Queryable, schema: string, subscriptionId: string): Promise<LogCheckpoint | undefined> {
  const { rows } = await db.query<{ transaction_id: string; position: string }>(
    `SELECT transaction_id::text AS transaction_id, position::text AS position
       FROM ${qualified(schema, 'subscription_checkpoints')} WHERE subscription_id = $1`,
    [subscriptionId],
  );
  const row = rows[0];
  return row ? { transactionId: row.transaction_id, position: row.position } : undefined;
}

/**
 * Stores the checkpoint only if it is ahead of the stored one: a slow instance finishing an old
 * batch must not drag a subscription back over events another instance already handled.
 * `moved` is false when the stored checkpoint was already at or past this one.
 */
export async function storeCheckpoint(
  db: Queryable,
  schema: string,
  subscriptionId: string,
  checkpoint: LogCheckpoint,
): Promise<{ moved: boolean }> {
  const table = qualified(schema, 'subscription_checkpoints');
  const { rowCount } = await db.query(
    `INSERT INTO ${table} AS c (subscription_id, transaction_id, position, updated_at)
     VALUES ($1, $2::xid8, $3::bigint, now())
     ON CONFLICT (subscription_id) DO UPDATE
       SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position, updated_at = now()
     WHERE (c.transaction_id, c.position) < (EXCLUDED.transaction_id, EXCLUDED.position)`,
    [subscriptionId, checkpoint.transactionId, checkpoint.position],
  );
  return { moved: (rowCount ?? 0) > 0 };
}
