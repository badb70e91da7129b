import type { Queryable } from './db.js';
import { eventColumns, toRecordedEvent, type EventRow } from './event-row.js';
import { qualified } from './schema-name.js';
import type { RecordedEvent } from './types.js';

/** One event by its id, whichever stream holds it; undefined when this store has none. */
export async function readEvent(db: Queryable, schema: string, eventId: string): Promise<RecordedEvent | undefined> {
  const { rows } = await db.query<EventRow>(`SELECT ${eventColumns} FROM ${qualified(schema, 'events')} WHERE event_id = $1`, [eventId]);
  const row = rows[0];
  return row ? toRecordedEvent(row) : undefined;
}
