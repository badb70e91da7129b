import type pg from 'pg';
import type { AnyEnvelope } from '@syv/contracts';

/** A place in the log: the partition and the offset there. The topic is the one case-events topic. */
interface LogCursor {
  partition: number;
  offset: string;
}

export function formatCursor(c: LogCursor): string {
  return `${c.partition}:${c.offset}`;
}

export function parseCursor(text: string): LogCursor | undefined {
  const m = /^(\d{1,6}):(\d{1,19})$/.exec(text);
  return m?.[1] && m[2] ? { partition: Number(m[1]), offset: m[2] } : undefined;
}

interface HistoryFilter {
  areas: readonly string[];
  after: LogCursor | undefined;
  types: readonly string[] | undefined;
  from: Date | undefined;
  to: Date | undefined;
  caseId: string | undefined;
  limit: number;
}

interface HistoryItem {
  position: LogCursor;
  event: AnyEnvelope;
}

/**
 * Every event in log order: partition by partition, offset order within one. That is the only
 * order Kafka itself guarantees, and it keeps each case's events in the order they happened to
 * the case; the cursor (partition, offset) is stable however many events arrive meanwhile.
 */
export async function readHistory(db: pg.Pool, schema: string, f: HistoryFilter): Promise<HistoryItem[]> {
  // The offset leaves as text (int64); ordered by the column itself, not by that text.
  const { rows } = await db.query<{ partition: number; offset_text: string; envelope: AnyEnvelope }>(
    `SELECT e.partition, e."offset"::text AS offset_text, e.envelope FROM ${schema}.case_events e
      WHERE area = ANY($1::text[])
        AND ($2::int IS NULL OR (partition, "offset") > ($2::int, $3::bigint))
        AND ($4::text[] IS NULL OR type = ANY($4::text[]))
        AND ($5::timestamptz IS NULL OR recorded_at >= $5)
        AND ($6::timestamptz IS NULL OR recorded_at < $6)
        AND ($7::uuid IS NULL OR case_id = $7)
      ORDER BY e.partition, e."offset" LIMIT $8`,
    [f.areas, f.after?.partition ?? null, f.after?.offset ?? null, f.types ?? null, f.from ?? null, f.to ?? null, f.caseId ?? null, f.limit],
  );
  return rows.map((r) => ({ position: { partition: r.partition, offset: r.offset_text }, event: r.envelope }));
}
