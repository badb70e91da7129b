import type { Queryable } from './db.js';
import { eventColumns, toRecordedEvent, type EventRow } from './event-row.js';
import { qualified } from './schema-name.js';
import type { RecordedEvent } from './types.js';

export interface StreamRead {
  /** The stream's current version (0 when it has no events): the expected version for the next append. */
  version: number;
  events: RecordedEvent[];
}

async function selectStreamEvents(db: Queryable, schema: string, streamId: string, fromVersion: number): Promise<RecordedEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${eventColumns} FROM ${qualified(schema, 'events')}
      WHERE stream_id = $1 AND stream_version >= $2
      ORDER BY stream_version`,
    [streamId, fromVersion],
  );
  return rows.map(toRecordedEvent);
}

async function selectStreamVersion(db: Queryable, schema: string, streamId: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `SELECT coalesce(max(stream_version), 0) AS version FROM ${qualified(schema, 'events')} WHERE stream_id = $1`,
    [streamId],
  );
  return rows[0]?.version ?? 0;
}

/** A stream's events in version order, from `fromVersion` (default 1) on. */
export async function readStream(
  db: Queryable,
  schema: string,
  streamId: string,
  { fromVersion = 1 }: { fromVersion?: number } = {},
): Promise<StreamRead> {
  const events = await selectStreamEvents(db, schema, streamId, fromVersion);
  const last = events.at(-1);
  if (last) return { version: last.streamVersion, events };
  // Nothing from fromVersion on: the stream may still have earlier events.
  return { version: fromVersion <= 1 ? 0 : await selectStreamVersion(db, schema, streamId), events };
}
