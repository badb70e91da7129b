import type { LogCheckpoint } from './types.js';

/** Before any event: every (transaction_id, global_position) pair in the log is greater. */
export const startOfLog: LogCheckpoint = { transactionId: '0', position: '0' };

/** Orders checkpoints as PostgreSQL orders the row (transaction_id, global_position): -1, 0 or 1. */
export function compareCheckpoints(a: LogCheckpoint, b: LogCheckpoint): -1 | 0 | 1 {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  const pa = BigInt(a.position);
  const pb = BigInt(b.position);
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}
