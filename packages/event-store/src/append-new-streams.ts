import type pg from 'pg';
import { eventsChannel, qualified } from './schema-name.js';
import type { NewEvent } from './types.js';

/**
 * Appends events that each open a stream of their own (version 1), in one statement, in the order
 * given: for writers whose streams are one event by construction (an alert, an assessment), so
 * there is no head to read and no version to check. An id already recorded is skipped, and so a
 * reprocessed batch appends nothing twice. Wakes the relays at commit, as appendToStream does.
 * Returns the ids written now.
 */
export async function appendNewStreams(client: pg.ClientBase, schema: string, entries: readonly { streamId: string; event: NewEvent }[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const { rows } = await client.query<{ event_id: string }>(
    `WITH added AS (
       INSERT INTO ${qualified(schema, 'events')} (stream_id, stream_version, event_id, type, data, metadata)
       SELECT e.stream_id, 1, e.event_id, e.type, e.data::jsonb, e.metadata::jsonb
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS e(stream_id, event_id, type, data, metadata, ord)
        ORDER BY e.ord
       ON CONFLICT DO NOTHING
       RETURNING event_id)
     SELECT event_id::text, pg_notify($6, '')::text AS notified FROM added`,
    [
      entries.map((e) => e.streamId),
      entries.map((e) => e.event.id),
      entries.map((e) => e.event.type),
      entries.map((e) => JSON.stringify(e.event.data)),
      entries.map((e) => JSON.stringify(e.event.metadata)),
      eventsChannel(schema),
    ],
  );
  return rows.map((r) => r.event_id);
}
