import type pg from 'pg';
import type { ClosureItem } from '../rules/index.js';

// Small per-fact tables beside the case rows: what the stats and the re-referral rule look up
// across cases without reading every case's events.

export async function insertReferral(
  client: pg.ClientBase,
  schema: string,
  r: { referralId: string; caseId: string; area: string; childId: string; receivedAt: string; reReferral: boolean },
): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.referrals (referral_id, case_id, area, child_id, received_at, re_referral) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (referral_id) DO NOTHING`,
    [r.referralId, r.caseId, r.area, r.childId, r.receivedAt, r.reReferral],
  );
}

export async function markReReferral(client: pg.ClientBase, schema: string, referralId: string): Promise<void> {
  await client.query(`UPDATE ${schema}.referrals SET re_referral = true WHERE referral_id = $1`, [referralId]);
}

/** Other cases of the child in the area with a referral received at or after `from`. */
export async function casesReferredSince(client: pg.ClientBase, schema: string, area: string, childId: string, from: Date, except: string): Promise<string[]> {
  const { rows } = await client.query<{ case_id: string }>(
    `SELECT DISTINCT case_id FROM ${schema}.referrals WHERE area = $1 AND child_id = $2 AND received_at >= $3 AND case_id <> $4 ORDER BY case_id`,
    [area, childId, from, except],
  );
  return rows.map((r) => r.case_id);
}

export async function upsertOnwardReferral(
  client: pg.ClientBase,
  schema: string,
  o: { onwardReferralId: string; caseId: string; area: string; agency?: string; referredAt?: string; startedAt?: string },
): Promise<void> {
  // A start may arrive before its referral (two services' outboxes); each half fills its own columns.
  await client.query(
    `INSERT INTO ${schema}.onward_referrals (onward_referral_id, case_id, area, agency, referred_at, started_at)
     VALUES ($1, $2, $3, COALESCE($4, 'unknown'), $5, $6)
     ON CONFLICT (onward_referral_id) DO UPDATE SET
       agency = CASE WHEN $4::text IS NULL THEN ${schema}.onward_referrals.agency ELSE EXCLUDED.agency END,
       referred_at = COALESCE(EXCLUDED.referred_at, ${schema}.onward_referrals.referred_at),
       started_at = COALESCE(EXCLUDED.started_at, ${schema}.onward_referrals.started_at)`,
    [o.onwardReferralId, o.caseId, o.area, o.agency ?? null, o.referredAt ?? null, o.startedAt ?? null],
  );
}

export async function insertClosureAssessment(
  client: pg.ClientBase,
  schema: string,
  a: { closureRequestId: string; caseId: string; area: string; flags: unknown[]; assessedAt: string },
): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.closure_assessments (closure_request_id, case_id, area, flags, assessed_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (closure_request_id) DO NOTHING`,
    [a.closureRequestId, a.caseId, a.area, JSON.stringify(a.flags), a.assessedAt],
  );
}

export async function insertClosure(client: pg.ClientBase, schema: string, c: ClosureItem & { area: string; childId: string | null }): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.closures (closure_request_id, event_id, case_id, area, child_id, reason, closed_at, approved_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (closure_request_id) DO NOTHING`,
    [c.closureRequestId, c.eventId, c.caseId, c.area, c.childId, c.reason, c.closedAt, c.approvedBy ?? null],
  );
}

/** Every closure of the child's cases in the area, as the re-referral rule reads them. */
export async function closuresOfChild(client: pg.ClientBase, schema: string, area: string, childId: string): Promise<ClosureItem[]> {
  const { rows } = await client.query<{ closure_request_id: string; event_id: string; case_id: string; reason: ClosureItem['reason']; closed_at: Date; approved_by: string | null }>(
    `SELECT closure_request_id, event_id, case_id, reason, closed_at, approved_by FROM ${schema}.closures
      WHERE area = $1 AND child_id = $2 ORDER BY closed_at, closure_request_id`,
    [area, childId],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    caseId: r.case_id,
    closureRequestId: r.closure_request_id,
    reason: r.reason,
    closedAt: r.closed_at,
    ...(r.approved_by === null ? {} : { approvedBy: r.approved_by }),
  }));
}
