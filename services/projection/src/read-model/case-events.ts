import type pg from 'pg';
import type { CaseEvent } from '@syv/contracts';
import { domainTimeOf } from './domain-time.js';

export interface LogPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Records the event and answers all of its case's events in log order, the new one included, in
 * one round trip. The SELECT runs on the statement's snapshot, which does not see the row the
 * INSERT adds, so that row comes from RETURNING; an event already recorded comes from the table.
 */
export async function recordCaseEvent(client: pg.ClientBase, schema: string, event: CaseEvent, at: LogPosition): Promise<CaseEvent[]> {
  const { rows } = await client.query<{ envelope: CaseEvent }>(
    `WITH added AS (
       INSERT INTO ${schema}.case_events (event_id, case_id, type, area, domain_time, recorded_at, envelope, topic, partition, "offset")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING
       RETURNING topic, partition, "offset", envelope)
     SELECT envelope FROM (
       SELECT topic, partition, "offset", envelope FROM ${schema}.case_events WHERE case_id = $2
       UNION ALL SELECT topic, partition, "offset", envelope FROM added) e
     ORDER BY topic, partition, "offset"`,
    [event.id, event.subject, event.type, event.area, domainTimeOf(event) ?? null, event.time, JSON.stringify(event), at.topic, at.partition, at.offset],
  );
  return rows.map((r) => r.envelope);
}

/**
 * One case's events in log order. All of a case's events share a partition (the key is the
 * caseId), so the offset orders them; the topic comes first only to keep a re-keyed topic apart.
 */
export async function loadCaseEvents(db: pg.ClientBase | pg.Pool, schema: string, caseId: string): Promise<CaseEvent[]> {
  const { rows } = await db.query<{ envelope: CaseEvent }>(
    `SELECT envelope FROM ${schema}.case_events WHERE case_id = $1 ORDER BY topic, partition, "offset"`,
    [caseId],
  );
  return rows.map((r) => r.envelope);
}
