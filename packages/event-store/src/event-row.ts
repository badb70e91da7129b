import type { RecordedEvent } from './types.js';

// How an events row comes back from pg and becomes a RecordedEvent; shared by every read.

export interface EventRow {
  global_position: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transaction_id: string;
  recorded_at: Date;
}

/** The columns every read selects, with the 64-bit ones as text so nothing is rounded. */
export const eventColumns =
  'global_position::text AS global_position, stream_id, stream_version, event_id, type, data, metadata, transaction_id::text AS transaction_id, recorded_at';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: row.global_position,
    transactionId: row.transaction_id,
    recordedAt: row.recorded_at,
  };
}
