import type pg from 'pg';
import type { CsvValue } from './csv.js';

export interface AreaStats {
  area: string;
  openCases: number;
  /** Median whole-case support (first intervention to closure) of cases closed in the period, in days. */
  medianSupportDays: number | null;
  waitsByAgency: AgencyStats[];
  closures: number;
  closuresFlagged: number;
  /** Share of closures whose assessment found at least one flag. */
  shareOfClosuresFlagged: number | null;
  /** Closures whose assessment found flags and that a supervisor approved all the same. */
  closuresFlaggedApprovedAnyway: number;
  shareOfClosuresFlaggedApprovedAnyway: number | null;
  closuresFollowedByReReferral: number;
  referrals: number;
  reReferrals: number;
  reReferralRate: number | null;
}

/** Onward referrals to one agency made in the period, as they stood at its end. */
export interface AgencyStats {
  agency: string;
  /** Median days from referral to start, refusal or withdrawal (to the end of the period, or the closure, while waiting). */
  medianWaitDays: number;
  started: number;
  waiting: number;
  declined: number;
  withdrawn: number;
  /** Share of the referrals made that the agency declined; null when none were made. */
  shareDeclined: number | null;
  /** Referrals whose support ended. */
  ended: number;
  /** Median days from start to end over the referrals whose support ended; null when none has. */
  medianSupportDays: number | null;
}

/** One agency's row of the waits query: counts as text (bigint), medians as numbers. */
export interface AgencyRow {
  agency: string;
  median_wait: number;
  referrals: string;
  started: string;
  waiting: string;
  declined: string;
  withdrawn: string;
  ended: string;
  median_support: number | null;
}

/** An agency's row of the waits query as the statistics answer it. Pure. */
export function agencyStats(w: AgencyRow): AgencyStats {
  const referrals = Number(w.referrals);
  const declined = Number(w.declined);
  return {
    agency: w.agency,
    medianWaitDays: round1(w.median_wait) ?? 0,
    started: Number(w.started),
    waiting: Number(w.waiting),
    declined,
    withdrawn: Number(w.withdrawn),
    shareDeclined: ratio(declined, referrals),
    ended: Number(w.ended),
    medianSupportDays: round1(w.median_support),
  };
}

/** Bounds of the period, both inclusive; a missing bound leaves that side open. */
export interface StatsPeriod {
  from?: Date | undefined;
  to?: Date | undefined;
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);

const DAY = 86_400;

/** `column` within the period: `$2` is `from` and `$3` is `to` in every query below (null when open). */
const inPeriod = (column: string) => `($2::timestamptz IS NULL OR ${column} >= $2) AND ($3::timestamptz IS NULL OR ${column} <= $3)`;

/**
 * Statistics per area. Referrals count by when they were received, closures (and the support of the
 * cases they closed) by when they closed, onward referrals by when they were made; open cases are
 * those open at `to`, or now. A wait still running counts up to `to` or now (or to the case's closure).
 */
export async function areaStats(db: pg.Pool, schema: string, areas: readonly string[], now: Date, period: StatsPeriod = {}): Promise<AreaStats[]> {
  const from = period.from ?? null;
  const to = period.to ?? null;
  const end = to ?? now;
  const [cases, waits, closures, referrals] = await Promise.all([
    db.query<{ area: string; open_cases: string; median_support: number | null }>(
      // Without `to`, open means open now (as the row says). With it, a case counts if it had opened
      // by then and its closure, if any, came later.
      `SELECT area,
              count(*) FILTER (WHERE CASE WHEN $3::timestamptz IS NULL THEN status = 'open'
                                          ELSE opened_at <= $3 AND (status = 'open' OR closed_at > $3) END) AS open_cases,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - first_intervention_at) / ${DAY})
                FILTER (WHERE status = 'closed' AND first_intervention_at IS NOT NULL AND ${inPeriod('closed_at')}) AS median_support
         FROM ${schema}.cases WHERE area = ANY($1::text[]) GROUP BY area`,
      [areas, from, to],
    ),
    // A referral's wait ends at its start, refusal or withdrawal; its support runs from the start to
    // the end. Each as it stood at the end of the period ($4).
    db.query<AgencyRow & { area: string }>(
      `SELECT o.area, o.agency,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM LEAST(COALESCE(o.started_at, o.declined_at, o.withdrawn_at, c.closed_at, $4), $4) - o.referred_at) / ${DAY}) AS median_wait,
              count(*) AS referrals,
              count(*) FILTER (WHERE o.started_at <= $4) AS started,
              count(*) FILTER (WHERE (o.started_at IS NULL OR o.started_at > $4) AND (o.declined_at IS NULL OR o.declined_at > $4)
                                 AND (o.withdrawn_at IS NULL OR o.withdrawn_at > $4)) AS waiting,
              count(*) FILTER (WHERE o.declined_at <= $4) AS declined,
              count(*) FILTER (WHERE o.withdrawn_at <= $4) AS withdrawn,
              count(*) FILTER (WHERE o.ended_at <= $4 AND o.started_at IS NOT NULL) AS ended,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM o.ended_at - o.started_at) / ${DAY})
                FILTER (WHERE o.ended_at <= $4 AND o.started_at IS NOT NULL) AS median_support
         FROM ${schema}.onward_referrals o JOIN ${schema}.cases c USING (case_id)
        WHERE o.area = ANY($1::text[]) AND o.referred_at IS NOT NULL AND ${inPeriod('o.referred_at')}
        GROUP BY o.area, o.agency ORDER BY o.area, o.agency`,
      [areas, from, to, end],
    ),
    db.query<{ area: string; closures: string; flagged: string; flagged_approved: string; rereferred: string }>(
      `SELECT c.area, count(*) AS closures,
              count(*) FILTER (WHERE jsonb_array_length(a.flags) > 0) AS flagged,
              count(*) FILTER (WHERE jsonb_array_length(a.flags) > 0 AND c.approved_by IS NOT NULL) AS flagged_approved,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${schema}.case_flags f
                                              WHERE f.case_id = c.case_id AND f.flag_key = 'REREFERRAL_AFTER_CLOSURE:' || c.closure_request_id)) AS rereferred
         FROM ${schema}.closures c LEFT JOIN ${schema}.closure_assessments a USING (closure_request_id)
        WHERE c.area = ANY($1::text[]) AND ${inPeriod('c.closed_at')} GROUP BY c.area`,
      [areas, from, to],
    ),
    db.query<{ area: string; referrals: string; rereferrals: string }>(
      `SELECT area, count(*) AS referrals, count(*) FILTER (WHERE re_referral) AS rereferrals FROM ${schema}.referrals
        WHERE area = ANY($1::text[]) AND ${inPeriod('received_at')} GROUP BY area`,
      [areas, from, to],
    ),
  ]);
  return areas.map((area) => {
    const c = cases.rows.find((r) => r.area === area);
    const cl = closures.rows.find((r) => r.area === area);
    const rf = referrals.rows.find((r) => r.area === area);
    const closureCount = Number(cl?.closures ?? 0);
    const flagged = Number(cl?.flagged ?? 0);
    const flaggedApproved = Number(cl?.flagged_approved ?? 0);
    const referralCount = Number(rf?.referrals ?? 0);
    const reReferrals = Number(rf?.rereferrals ?? 0);
    return {
      area,
      openCases: Number(c?.open_cases ?? 0),
      medianSupportDays: round1(c?.median_support ?? null),
      waitsByAgency: waits.rows.filter((w) => w.area === area).map(agencyStats),
      closures: closureCount,
      closuresFlagged: flagged,
      shareOfClosuresFlagged: ratio(flagged, closureCount),
      closuresFlaggedApprovedAnyway: flaggedApproved,
      shareOfClosuresFlaggedApprovedAnyway: ratio(flaggedApproved, closureCount),
      closuresFollowedByReReferral: Number(cl?.rereferred ?? 0),
      referrals: referralCount,
      reReferrals,
      reReferralRate: ratio(reReferrals, referralCount),
    };
  });
}

/** The area measures in the order the CSV lists them (the per-agency waits follow them). */
const AREA_MEASURES = [
  'openCases',
  'medianSupportDays',
  'closures',
  'closuresFlagged',
  'shareOfClosuresFlagged',
  'closuresFlaggedApprovedAnyway',
  'shareOfClosuresFlaggedApprovedAnyway',
  'closuresFollowedByReReferral',
  'referrals',
  'reReferrals',
  'reReferralRate',
] as const satisfies readonly (keyof AreaStats)[];

const AGENCY_MEASURES = ['medianWaitDays', 'started', 'waiting', 'declined', 'withdrawn', 'shareDeclined', 'ended', 'medianSupportDays'] as const satisfies readonly (keyof AgencyStats)[];

/** The statistics as `area,measure,agency,value` rows, header first; agency is empty but for the waits. */
export function statsRows(areas: readonly AreaStats[]): CsvValue[][] {
  const rows: CsvValue[][] = [['area', 'measure', 'agency', 'value']];
  for (const a of areas) {
    for (const m of AREA_MEASURES) rows.push([a.area, m, '', a[m]]);
    for (const w of a.waitsByAgency) for (const m of AGENCY_MEASURES) rows.push([a.area, m, w.agency, w[m]]);
  }
  return rows;
}
