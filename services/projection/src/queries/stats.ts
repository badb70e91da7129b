import type pg from 'pg';

interface AreaStats {
  area: string;
  openCases: number;
  /** Median whole-case support (first intervention to closure) of closed cases, in days. */
  medianSupportDays: number | null;
  waitsByAgency: { agency: string; medianWaitDays: number; started: number; waiting: number }[];
  closures: number;
  closuresFlagged: number;
  /** Share of closures whose assessment found at least one flag. */
  shareOfClosuresFlagged: number | null;
  closuresFollowedByReReferral: number;
  referrals: number;
  reReferrals: number;
  reReferralRate: number | null;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

const DAY = 86_400;

/** Statistics per area; a wait still running counts up to now (or to the case's closure). */
export async function areaStats(db: pg.Pool, schema: string, areas: readonly string[], now: Date): Promise<AreaStats[]> {
  const [cases, waits, closures, referrals] = await Promise.all([
    db.query<{ area: string; open_cases: string; median_support: number | null }>(
      `SELECT area, count(*) FILTER (WHERE status = 'open') AS open_cases,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - first_intervention_at) / ${DAY})
                FILTER (WHERE status = 'closed' AND first_intervention_at IS NOT NULL) AS median_support
         FROM ${schema}.cases WHERE area = ANY($1::text[]) GROUP BY area`,
      [areas],
    ),
    db.query<{ area: string; agency: string; median_wait: number; started: string; waiting: string }>(
      `SELECT o.area, o.agency,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM COALESCE(o.started_at, c.closed_at, $2) - o.referred_at) / ${DAY}) AS median_wait,
              count(*) FILTER (WHERE o.started_at IS NOT NULL) AS started, count(*) FILTER (WHERE o.started_at IS NULL) AS waiting
         FROM ${schema}.onward_referrals o JOIN ${schema}.cases c USING (case_id)
        WHERE o.area = ANY($1::text[]) AND o.referred_at IS NOT NULL GROUP BY o.area, o.agency ORDER BY o.area, o.agency`,
      [areas, now],
    ),
    db.query<{ area: string; closures: string; flagged: string; rereferred: string }>(
      `SELECT c.area, count(*) AS closures,
              count(*) FILTER (WHERE jsonb_array_length(a.flags) > 0) AS flagged,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${schema}.case_flags f
                                              WHERE f.case_id = c.case_id AND f.flag_key = 'REREFERRAL_AFTER_CLOSURE:' || c.closure_request_id)) AS rereferred
         FROM ${schema}.closures c LEFT JOIN ${schema}.closure_assessments a USING (closure_request_id)
        WHERE c.area = ANY($1::text[]) GROUP BY c.area`,
      [areas],
    ),
    db.query<{ area: string; referrals: string; rereferrals: string }>(
      `SELECT area, count(*) AS referrals, count(*) FILTER (WHERE re_referral) AS rereferrals FROM ${schema}.referrals
        WHERE area = ANY($1::text[]) GROUP BY area`,
      [areas],
    ),
  ]);
  return areas.map((area) => {
    const c = cases.rows.find((r) => r.area === area);
    const cl = closures.rows.find((r) => r.area === area);
    const rf = referrals.rows.find((r) => r.area === area);
    const closureCount = Number(cl?.closures ?? 0);
    const flagged = Number(cl?.flagged ?? 0);
    const referralCount = Number(rf?.referrals ?? 0);
    const reReferrals = Number(rf?.rereferrals ?? 0);
    return {
      area,
      openCases: Number(c?.open_cases ?? 0),
      medianSupportDays: round1(c?.median_support ?? null),
      waitsByAgency: waits.rows
        .filter((w) => w.area === area)
        .map((w) => ({ agency: w.agency, medianWaitDays: round1(w.median_wait) ?? 0, started: Number(w.started), waiting: Number(w.waiting) })),
      closures: closureCount,
      closuresFlagged: flagged,
      shareOfClosuresFlagged: ratio(flagged, closureCount),
      closuresFollowedByReReferral: Number(cl?.rereferred ?? 0),
      referrals: referralCount,
      reReferrals,
      reReferralRate: ratio(reReferrals, referralCount),
    };
  });
}
