import type pg from 'pg';
import type { CaseRow } from '../fold/case-row.js';

/** A case as the case list shows it: the columns of its row the list needs. */
type CaseListRow = Pick<CaseRow, 'caseId' | 'area' | 'childId' | 'status' | 'riskLevel' | 'openedAt' | 'closedAt' | 'lastContactAt' | 'agencies' | 'allocatedTo'>;

interface CaseListFilter {
  areas: readonly string[];
  status?: 'open' | 'closed' | undefined;
  flag?: string | undefined;
  /** A worker's user id: their caseload. */
  allocatedTo?: string | undefined;
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
    allocated_to: string | null;
  }>(
    `SELECT case_id, area, child_id, status, risk_level, opened_at, closed_at, last_contact_at, agencies, allocated_to FROM ${schema}.cases c
      WHERE area = ANY($1::text[])
        AND ($2::text IS NULL OR status = $2)
        AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM ${schema}.case_flags f WHERE f.case_id = c.case_id AND f.rule = $3))
        AND ($6::text IS NULL OR allocated_to = $6)
      ORDER BY opened_at DESC NULLS LAST, case_id LIMIT $4 OFFSET $5`,
    [f.areas, f.status ?? null, f.flag ?? null, f.limit, f.offset, f.allocatedTo ?? null],
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
    allocatedTo: r.allocated_to,
  }));
}

export interface WaitingOnwardReferral {
  onwardReferralId: string;
  agency: string;
  referredAt: Date;
}

/**
 * These cases' onward referrals in one read, per case: those still waiting (not started, declined
 * or withdrawn), oldest first, and the agencies of those that started. With the agencies of a row's
 * interventions, the started ones are what agenciesWorkingWith counts; the row's own `agencies`
 * column stays the agencies of interventions only, as it is part of the read model's checksum.
 */
export async function onwardReferralsOfCases(
  db: pg.Pool,
  schema: string,
  caseIds: readonly string[],
): Promise<{ waiting: Map<string, WaitingOnwardReferral[]>; startedAgencies: Map<string, string[]> }> {
  const waiting = new Map<string, WaitingOnwardReferral[]>();
  const startedAgencies = new Map<string, string[]>();
  if (caseIds.length === 0) return { waiting, startedAgencies };
  const { rows } = await db.query<{ case_id: string; onward_referral_id: string; agency: string; referred_at: Date; started: boolean; ended_waiting: boolean }>(
    `SELECT case_id, onward_referral_id, agency, referred_at, started_at IS NOT NULL AS started,
            (started_at IS NOT NULL OR declined_at IS NOT NULL OR withdrawn_at IS NOT NULL) AS ended_waiting
       FROM ${schema}.onward_referrals
      WHERE case_id = ANY($1::uuid[]) AND referred_at IS NOT NULL ORDER BY referred_at, onward_referral_id`,
    [caseIds],
  );
  for (const r of rows) {
    if (r.started) {
      const agencies = startedAgencies.get(r.case_id) ?? [];
      if (!agencies.includes(r.agency)) startedAgencies.set(r.case_id, [...agencies, r.agency]);
    }
    if (!r.ended_waiting) waiting.set(r.case_id, [...(waiting.get(r.case_id) ?? []), { onwardReferralId: r.onward_referral_id, agency: r.agency, referredAt: r.referred_at }]);
  }
  return { waiting, startedAgencies };
}

export async function caseArea(db: pg.Pool, schema: string, caseId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ area: string }>(`SELECT area FROM ${schema}.cases WHERE case_id = $1`, [caseId]);
  return rows[0]?.area;
}
