import type pg from 'pg';

export interface CaseListRow {
  caseId: string;
  area: string;
  childId: string | null;
  status: 'open' | 'closed';
  riskLevel: string | null;
  openedAt: Date | null;
  closedAt: Date | null;
  lastContactAt: Date | null;
  agencies: string[];
}

export interface CaseListFilter {
  areas: readonly string[];
  status?: 'open' | 'closed' | undefined;
  flag?: string | undefined;
  limit: number;
  offset: number;
}

export async function listCases(db: pg.Pool, schema: string, f: CaseListFilter): Promise<CaseListRow[]> {
  const { rows } = await db.query<{
    case_id: string;
    area: string;
    child_id: string | null;
    status: 'open' | 'closed';
    risk_level: string | null;
    opened_at: Date | null;
    closed_at: Date | null;
    last_contact_at: Date | null;
    agencies: string[];
  }>(
    `SELECT case_id, area, child_id, status, risk_level, opened_at, closed_at, last_contact_at, agencies FROM ${schema}.cases c
      WHERE area = ANY($1::text[])
        AND ($2::text IS NULL OR status = $2)
        AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM ${schema}.case_flags f WHERE f.case_id = c.case_id AND f.rule = $3))
      ORDER BY opened_at DESC NULLS LAST, case_id LIMIT $4 OFFSET $5`,
    [f.areas, f.status ?? null, f.flag ?? null, f.limit, f.offset],
  );
  return rows.map((r) => ({
    caseId: r.case_id,
    area: r.area,
    childId: r.child_id,
    status: r.status,
    riskLevel: r.risk_level,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    lastContactAt: r.last_contact_at,
    agencies: r.agencies,
  }));
}

export async function caseArea(db: pg.Pool, schema: string, caseId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ area: string }>(`SELECT area FROM ${schema}.cases WHERE case_id = $1`, [caseId]);
  return rows[0]?.area;
}
