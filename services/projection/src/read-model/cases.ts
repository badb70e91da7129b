import type pg from 'pg';
import type { AlertCandidate } from '../fold/alerts.js';
import type { CaseState } from '../fold/case-state.js';
import { decodeState } from '../fold/codec.js';
import { recheckCases } from '../fold/time-check.js';
import type { ReadModel } from './context.js';
import { raiseAlerts, writeOwnFlags, writeTimeChecks } from './write.js';

/**
 * Open cases the time rules are due to look at again by `asOf` (their next_sweep_at has come),
 * quiet since `quietSince` and not yet looked at that late: at most `limit`, through the index on
 * next_sweep_at, their rows locked. A row the consumer holds is skipped: the consumer is applying
 * an event to it, and the next round sees it.
 */
export async function lockDueCases(client: pg.ClientBase, schema: string, asOf: Date, quietSince: Date, limit: number): Promise<CaseState[]> {
  const { rows } = await client.query<{ state: string }>(
    `SELECT state::text AS state FROM ${schema}.cases
      WHERE status = 'open' AND next_sweep_at <= $1 AND last_recorded_at <= $2 AND (flags_as_of IS NULL OR flags_as_of < $1)
      ORDER BY next_sweep_at, case_id LIMIT $3
      FOR UPDATE SKIP LOCKED`,
    [asOf, quietSince, limit],
  );
  return rows.map((r) => decodeState(r.state));
}

/** These cases, their rows locked, among those whose time rules last looked before the given time. */
export async function lockCasesCheckedBefore(client: pg.ClientBase, schema: string, checks: readonly { caseId: string; at: Date }[]): Promise<{ state: CaseState; at: Date }[]> {
  if (checks.length === 0) return [];
  const { rows } = await client.query<{ state: string; at: Date }>(
    `SELECT c.state::text AS state, u.at FROM ${schema}.cases c JOIN unnest($1::uuid[], $2::timestamptz[]) AS u(case_id, at) ON u.case_id = c.case_id
      WHERE c.flags_as_of IS NULL OR c.flags_as_of < u.at
      ORDER BY c.case_id FOR UPDATE OF c`,
    [checks.map((c) => c.caseId), checks.map((c) => c.at)],
  );
  return rows.map((r) => ({ state: decodeState(r.state), at: r.at }));
}

/** The time rules on these locked cases at their times, written back in bulk; answers the alerts raised. */
export async function recheckAndWrite(client: pg.ClientBase, rm: ReadModel, checks: readonly { state: CaseState; at: Date }[]): Promise<AlertCandidate[]> {
  if (checks.length === 0) return [];
  const next = recheckCases(checks, rm.thresholdsFor);
  await writeTimeChecks(client, rm.schema, next.states);
  await writeOwnFlags(client, rm.schema, next.flagChanges);
  return raiseAlerts(client, rm.schema, next.alerts);
}
