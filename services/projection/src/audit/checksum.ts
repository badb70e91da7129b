import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { DifferingCase } from './replay-store.js';

/**
 * The time rules, and the rules asked with them: when they are first seen depends on when they
 * were asked, and the sweep asks by the wall clock (a back-dated outcome is seen at the case's last check).
 */
const TIME_RULES = `('SLOW_START', 'CONTACT_GAP', 'LONG_WAIT', 'ONWARD_REFERRAL_DECLINED', 'SUPPORT_ENDED_EARLY')`;

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
// `appended`: columns added after read models were digested, appended to the row's text only where
// set, so a case that has none digests as it did before they existed.
const TABLES: readonly { name: string; columns: string; order: string; appended?: string }[] = [
  {
    name: 'cases',
    columns: `area, child_id, status, risk_level, opened_at, closed_at, closure_reason, first_intervention_at, last_contact_at, agencies, event_count, last_recorded_at, flags_as_of`,
    order: 'case_id',
    appended: `coalesce(' allocated_to=' || allocated_to, '')`,
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
  {
    name: 'onward_referrals',
    columns: `onward_referral_id, area, agency, referred_at, started_at`,
    order: 'onward_referral_id',
    appended: `coalesce(' declined_at=' || declined_at, '') || coalesce(' withdrawn_at=' || withdrawn_at, '') || coalesce(' ended_at=' || ended_at, '') || coalesce(' outcome=' || outcome, '')`,
  },
  { name: 'closure_assessments', columns: `closure_request_id, area, flags, assessed_at`, order: 'closure_request_id' },
  { name: 'closures', columns: `closure_request_id, event_id, area, child_id, reason, closed_at, approved_by`, order: 'closure_request_id' },
];

export const CHECKSUMMED_TABLES = TABLES.map((t) => t.name);

/**
 * caseId → that case's digests: for each table of CHECKSUMMED_TABLES in order, 16 bytes of md5 over
 * the case's normalised rows in it (all zero where the case has none).
 */
export type CaseDigests = Map<string, Buffer>;

const DIGEST_BYTES = 16;
const NONE = Buffer.alloc(DIGEST_BYTES);

/** The hex md5 of the case's rows in table `index`, or undefined when it has none there. */
function digestAt(digests: Buffer | undefined, index: number): string | undefined {
  if (!digests) return undefined;
  const slot = digests.subarray(index * DIGEST_BYTES, (index + 1) * DIGEST_BYTES);
  return slot.equals(NONE) ? undefined : slot.toString('hex');
}

/** Case ids from `from` to `to` (inclusive), a page of the uuid space. */
export interface CaseRange {
  from: string;
  to: string;
}

/**
 * One row per case of the read model in `schema` (within `range`): its id and its digests, one
 * buffer of CHECKSUMMED_TABLES.length × 16 bytes, computed by the server. Timestamps are printed in
 * the session's zone: the caller pins it to UTC (SET LOCAL TimeZone) so two sessions agree.
 */
export function digestQuery(schema: string, range?: CaseRange): { text: string; values: string[] } {
  const where = range ? 'WHERE case_id BETWEEN $1::uuid AND $2::uuid' : '';
  const per = TABLES.map(
    (t, i) =>
      `t${i} AS (SELECT case_id, decode(md5(string_agg(ROW(${t.columns})::text${t.appended ? ` || ${t.appended}` : ''}, E'\\n' ORDER BY ${t.order})), 'hex') AS d FROM ${schema}.${t.name} ${where} GROUP BY case_id)`,
  );
  const none = `'\\x${'00'.repeat(DIGEST_BYTES)}'::bytea`;
  const joined = TABLES.map((_, i) => (i === 0 ? 't0' : `FULL JOIN t${i} USING (case_id)`)).join(' ');
  const digests = TABLES.map((_, i) => `coalesce(t${i}.d, ${none})`).join(' || ');
  return { text: `WITH ${per.join(',\n')} SELECT case_id, ${digests} AS digests FROM ${joined}`, values: range ? [range.from, range.to] : [] };
}

/**
 * Per-case digests of one (small) read model into memory, inside the caller's transaction (one
 * snapshot). A replay keeps its digests in PostgreSQL instead (digest-store.ts).
 */
export async function digestReadModel(client: pg.ClientBase, schema: string): Promise<CaseDigests> {
  await client.query(`SET LOCAL TimeZone = 'UTC'`);
  const q = digestQuery(schema);
  const { rows } = await client.query<{ case_id: string; digests: Buffer }>(q.text, q.values);
  return new Map(rows.map((r) => [r.case_id, r.digests]));
}

/** Hashes cases' digests into the read model's checksum, fed in case id order. */
export function checksumHasher(): { add(caseId: string, digests: Buffer): void; digest(): string } {
  const hash = createHash('sha256');
  return {
    add(caseId, perCase) {
      hash.update(caseId);
      for (const [index, table] of CHECKSUMMED_TABLES.entries()) hash.update(`|${table}:${digestAt(perCase, index) ?? '-'}`);
      hash.update('\n');
    },
    digest: () => `sha256:${hash.digest('hex')}`,
  };
}

/** One hex digest of the whole read model: its cases in id order, each with its tables in a fixed order. */
export function checksumOf(digests: CaseDigests): string {
  const h = checksumHasher();
  for (const caseId of [...digests.keys()].sort()) h.add(caseId, digests.get(caseId)!);
  return h.digest();
}

/** The tables whose digests differ between two of a case's digest buffers. */
export function differingTables(live: Buffer | null, replayed: Buffer | null): string[] {
  if (!live) return ['missing in live'];
  if (!replayed) return ['missing in replay'];
  return CHECKSUMMED_TABLES.filter((_, index) => digestAt(live, index) !== digestAt(replayed, index));
}

interface Comparison {
  casesCompared: number;
  differing: DifferingCase[];
}

/** The cases whose rows differ between two read models, naming the tables where they do. */
export function compareDigests(live: CaseDigests, replayed: CaseDigests): Comparison {
  const differing: DifferingCase[] = [];
  const ids = new Set([...live.keys(), ...replayed.keys()]);
  for (const caseId of [...ids].sort()) {
    const a = live.get(caseId) ?? null;
    const b = replayed.get(caseId) ?? null;
    if (!a || !b || !a.equals(b)) differing.push({ caseId, tables: differingTables(a, b) });
  }
  return { casesCompared: ids.size, differing };
}
