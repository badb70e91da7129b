import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DifferingCase } from './replay-store.js';

/** The time rules: what they flag depends on when they were asked, and the sweep asks by the wall clock. */
const TIME_RULES = `('SLOW_START', 'CONTACT_GAP', 'LONG_WAIT')`;

/**
 * What the checksum covers: every table of the read model that is a function of the log, keyed by
 * case, each row normalised to its text form (timestamps in UTC) and ordered by its key.
 *
 * Left out, and why:
 * - `cases.next_sweep_at`: a scheduling hint for the sweep, not something anyone is shown.
 * - `case_flags.since` of time flags and `alerts.raised_at` / `explanation` of time-rule alerts:
 *   the moment a time flag was first seen is when the sweep happened to look (wall clock); the
 *   log does not hold the sweep's rounds. The flag itself, its wording now and its evidence are
 *   compared (the replay re-checks each case at the live one's last check time, see replay-runner).
 * - `alerts.acknowledged_by` / `acknowledged_at`: supervisors' acts over HTTP, not in the log;
 *   a promotion carries them over.
 * - `access_log`: records reads at the wall-clock time of the read; it is not a projection of the
 *   log at all (a promotion carries it over).
 * - consumer offsets, dedup and rejected-message records, the outbox: bookkeeping of delivery.
 */
const TABLES: readonly { name: string; columns: string; order: string }[] = [
  {
    name: 'cases',
    columns: `area, child_id, status, risk_level, opened_at, closed_at, closure_reason, first_intervention_at, last_contact_at, agencies, event_count, last_recorded_at, flags_as_of`,
    order: 'case_id',
  },
  { name: 'case_events', columns: `event_id, type, area, domain_time, recorded_at, envelope, topic, partition, "offset"`, order: 'topic, partition, "offset"' },
  {
    name: 'case_flags',
    columns: `flag_key, source, rule, severity, explanation, evidence, CASE WHEN source = 'time' THEN NULL ELSE since END`,
    order: 'flag_key',
  },
  {
    name: 'alerts',
    columns: `alert_id, alert_key, area, rule, severity, evidence,
              CASE WHEN rule IN ${TIME_RULES} THEN NULL ELSE explanation END, CASE WHEN rule IN ${TIME_RULES} THEN NULL ELSE raised_at END`,
    order: 'alert_key',
  },
  { name: 'referrals', columns: `referral_id, area, child_id, received_at, re_referral`, order: 'referral_id' },
  { name: 'onward_referrals', columns: `onward_referral_id, area, agency, referred_at, started_at`, order: 'onward_referral_id' },
  { name: 'closure_assessments', columns: `closure_request_id, area, flags, assessed_at`, order: 'closure_request_id' },
  { name: 'closures', columns: `closure_request_id, event_id, area, child_id, reason, closed_at, approved_by`, order: 'closure_request_id' },
];

export const CHECKSUMMED_TABLES = TABLES.map((t) => t.name);

/**
 * caseId → that case's digests: for each table of CHECKSUMMED_TABLES in order, 16 bytes of md5 over
 * the case's normalised rows in it (all zero where the case has none). One small buffer per case
 * instead of a map of hex strings: a live snapshot of 1,000,000 cases held ~1.1 KiB per case.
 */
export type CaseDigests = Map<string, Buffer>;

const DIGEST_BYTES = 16;
const FETCH_ROWS = 10_000;
const NONE = Buffer.alloc(DIGEST_BYTES);

/** The hex md5 of the case's rows in table `index`, or undefined when it has none there. */
function digestAt(digests: Buffer | undefined, index: number): string | undefined {
  if (!digests) return undefined;
  const slot = digests.subarray(index * DIGEST_BYTES, (index + 1) * DIGEST_BYTES);
  return slot.equals(NONE) ? undefined : slot.toString('hex');
}

/**
 * Per-case digests of one read model. Run inside the caller's transaction, so that a live read
 * model is digested at one snapshot (REPEATABLE READ) together with the offsets it had reached.
 * Read through a cursor, 10,000 cases at a time, so a large read model is never one result in memory.
 */
export async function digestReadModel(client: pg.ClientBase, schema: string): Promise<CaseDigests> {
  // Timestamps print in the session's zone; pin it so two sessions print the same text.
  await client.query(`SET LOCAL TimeZone = 'UTC'`);
  const out: CaseDigests = new Map();
  for (const [index, t] of TABLES.entries()) {
    await client.query(
      `DECLARE syv_digests NO SCROLL CURSOR FOR
         SELECT case_id::text AS case_id, decode(md5(string_agg(ROW(${t.columns})::text, E'\\n' ORDER BY ${t.order})), 'hex') AS digest
           FROM ${schema}.${t.name} GROUP BY case_id`,
    );
    for (;;) {
      const { rows } = await client.query<{ case_id: string; digest: Buffer }>(`FETCH ${FETCH_ROWS} FROM syv_digests`);
      for (const r of rows) {
        let perCase = out.get(r.case_id);
        if (!perCase) {
          perCase = Buffer.allocUnsafe(TABLES.length * DIGEST_BYTES).fill(0);
          out.set(r.case_id, perCase);
        }
        r.digest.copy(perCase, index * DIGEST_BYTES);
      }
      if (rows.length < FETCH_ROWS) break;
    }
    await client.query('CLOSE syv_digests');
  }
  return out;
}

/** One hex digest of the whole read model: its cases in id order, each with its tables in a fixed order. */
export function checksumOf(digests: CaseDigests): string {
  const hash = createHash('sha256');
  for (const caseId of [...digests.keys()].sort()) {
    hash.update(caseId);
    const perCase = digests.get(caseId);
    for (const [index, table] of CHECKSUMMED_TABLES.entries()) hash.update(`|${table}:${digestAt(perCase, index) ?? '-'}`);
    hash.update('\n');
  }
  return `sha256:${hash.digest('hex')}`;
}

export interface Comparison {
  casesCompared: number;
  differing: DifferingCase[];
}

/** The cases whose rows differ between two read models, naming the tables where they do. */
export function compareDigests(live: CaseDigests, replayed: CaseDigests): Comparison {
  const differing: DifferingCase[] = [];
  const ids = new Set([...live.keys(), ...replayed.keys()]);
  for (const caseId of [...ids].sort()) {
    const a = live.get(caseId);
    const b = replayed.get(caseId);
    if (!a) differing.push({ caseId, tables: ['missing in live'] });
    else if (!b) differing.push({ caseId, tables: ['missing in replay'] });
    else if (!a.equals(b)) differing.push({ caseId, tables: CHECKSUMMED_TABLES.filter((_, index) => digestAt(a, index) !== digestAt(b, index)) });
  }
  return { casesCompared: ids.size, differing };
}
