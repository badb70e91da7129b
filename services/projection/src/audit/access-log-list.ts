import type pg from 'pg';

interface AccessLogFilter {
  areas: readonly string[];
  caseId: string | undefined;
  user: string | undefined;
  /** Id of the last entry of the previous page. */
  after: string | undefined;
  limit: number;
}

interface AccessLogEntry {
  id: string;
  at: string;
  user: string;
  role: string;
  caseId: string;
  action: string;
}

/** Who read which case, when, oldest first; only cases of the auditor's areas. */
export async function listAccessLog(db: pg.Pool, schema: string, f: AccessLogFilter): Promise<AccessLogEntry[]> {
  const { rows } = await db.query<{ id: string; at: Date; user_sub: string; user_role: string; case_id: string; action: string }>(
    `SELECT l.id::text AS id, l.at, l.user_sub, l.user_role, l.case_id, l.action
       FROM ${schema}.access_log l JOIN ${schema}.cases c USING (case_id)
      WHERE c.area = ANY($1::text[])
        AND ($2::uuid IS NULL OR l.case_id = $2)
        AND ($3::text IS NULL OR l.user_sub = $3)
        AND ($4::bigint IS NULL OR l.id > $4)
      ORDER BY l.id LIMIT $5`,
    [f.areas, f.caseId ?? null, f.user ?? null, f.after ?? null, f.limit],
  );
  return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), user: r.user_sub, role: r.user_role, caseId: r.case_id, action: r.action }));
}
