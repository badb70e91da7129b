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
  // One JSON text for the batch, parsed by the server: cheaper than an array literal of texts.
  const { rows } = await client.query<{ event_id: string }>(
    `WITH added AS (
       INSERT INTO ${qualified(schema, 'events')} (stream_id, stream_version, event_id, type, data, metadata)
       SELECT e.v->>'streamId', 1, (e.v->>'id')::uuid, e.v->>'type', e.v->'data', e.v->'metadata'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, ord)
        ORDER BY e.ord
       ON CONFLICT DO NOTHING
       RETURNING event_id)
     SELECT event_id::text, pg_notify($2, '')::text AS notified FROM added`,
    [JSON.stringify(entries.map(({ streamId, event }) => ({ streamId, id: event.id, type: event.type, data: event.data, metadata: event.metadata }))), eventsChannel(schema)],
  );
  return rows.map((r) => r.event_id);
}
