import { caseViewTableSql } from '@syv/case-view';
import type { Migration } from '@syv/event-store';
import { projectionTablesSql } from '@syv/kafka-projection';

// Tables every command service has besides its events: the local case view and the bookkeeping of
// the consumer that fills it. `migrate` sets search_path to the service's schema, so the SQL below
// is generated for that schema name by the caller. Never edit a released one; add a new version.
export function sharedMigrations(schema: string): Migration[] {
  return [
    { component: 'case-view', version: 1, name: 'case_view', sql: caseViewTableSql(schema) },
    { component: 'kafka-projection', version: 1, name: 'offsets, dedup, rejected messages', sql: projectionTablesSql(schema) },
  ];
}
