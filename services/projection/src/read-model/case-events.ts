import type pg from 'pg';
import type { CaseEvent } from '@syv/contracts';
import { domainTimeOf } from './domain-time.js';

export interface LogPosition {
  topic: string;
  partition: number;
  offset: string;
}

export async function insertCaseEvent(client: pg.ClientBase, schema: string, event: CaseEvent, at: LogPosition): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.case_events (event_id, case_id, type, area, domain_time, recorded_at, envelope, topic, partition, "offset")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING`,
    [event.id, event.subject, event.type, event.area, domainTimeOf(event) ?? null, event.time, JSON.stringify(event), at.topic, at.partition, at.offset],
  );
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
