import type pg from 'pg';
import type { Agency, ClosureReason } from '@syv/contracts';
import type { CaseState } from '../fold/case-state.js';
import { decodeState } from '../fold/codec.js';
import { childKey, type ChildFacts } from '../fold/rereferral.js';

/**
 * The stored states of these cases, their rows locked for this transaction (the sweep skips a row
 * the consumer holds, and the consumer waits for a row the sweep holds). Locked in id order, so
 * two writers that lock several rows never wait on each other in a circle.
 */
export async function loadStates(client: pg.ClientBase, schema: string, caseIds: readonly string[]): Promise<Map<string, CaseState>> {
  const { rows } = await client.query<{ state: string }>(
    `SELECT state::text AS state FROM ${schema}.cases WHERE case_id = ANY($1::uuid[]) ORDER BY case_id FOR UPDATE`,
    [caseIds],
  );
  const out = new Map<string, CaseState>();
  for (const r of rows) {
    const state = decodeState(r.state);
    out.set(state.caseId, state);
  }
  return out;
}

interface ReferralRow {
  area: string;
  child_id: string;
  case_id: string;
  referral_id: string;
  event_id: string;
  source_agency: Agency;
  received_at: Date;
  re_referral: boolean;
  correlation_id: string;
  recorded_at: Date;
}

interface ClosureRow {
  area: string;
  child_id: string;
  closure_request_id: string;
  event_id: string;
  case_id: string;
  reason: ClosureReason;
  closed_at: Date;
  approved_by: string | null;
}

/**
 * Every referral and closure of these children, across their cases, after locking each child for
 * this transaction: two partitions' slices that touch one child (a referral on one case, a closure
 * on another) take turns, so the second sees what the first wrote. Locked in one order, so they
 * never wait on each other in a circle.
 */
export async function loadChildren(client: pg.ClientBase, schema: string, children: readonly { area: string; childId: string }[]): Promise<Map<string, ChildFacts>> {
  const out = new Map<string, ChildFacts>();
  if (children.length === 0) return out;
  const keys = children.map((c) => childKey(c.area, c.childId)).sort();
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($2 || k, 0)) FROM unnest($1::text[]) AS k`, [keys, `${schema}:child:`]);
  for (const c of children) out.set(childKey(c.area, c.childId), { area: c.area, childId: c.childId, referrals: [], closures: [] });
  // Both tables are read for the same children, each in the order its facts happened.
  const eachRow = async <R extends { area: string; child_id: string }>(from: string, columns: string, orderBy: string, add: (facts: ChildFacts, row: R) => void) => {
    const { rows } = await client.query<R>(`SELECT ${columns} FROM ${schema}.${from} WHERE (area, child_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY ${orderBy}`, [
      children.map((c) => c.area),
      children.map((c) => c.childId),
    ]);
    for (const row of rows) {
      const facts = out.get(childKey(row.area, row.child_id));
      if (facts) add(facts, row);
    }
  };
  await eachRow<ReferralRow>('referrals', 'area, child_id, case_id, referral_id, event_id, source_agency, received_at, re_referral, correlation_id, recorded_at', 'received_at, referral_id', (facts, r) =>
    facts.referrals.push({
      caseId: r.case_id,
      referralId: r.referral_id,
      eventId: r.event_id,
      sourceAgency: r.source_agency,
      receivedAt: r.received_at,
      reReferral: r.re_referral,
      cause: { id: r.event_id, correlationid: r.correlation_id },
      recordedAt: r.recorded_at,
    }),
  );
  await eachRow<ClosureRow>('closures', 'area, child_id, closure_request_id, event_id, case_id, reason, closed_at, approved_by', 'closed_at, closure_request_id', (facts, c) =>
    facts.closures.push({
      eventId: c.event_id,
      caseId: c.case_id,
      closureRequestId: c.closure_request_id,
      reason: c.reason,
      closedAt: c.closed_at,
      ...(c.approved_by === null ? {} : { approvedBy: c.approved_by }),
    }),
  );
  return out;
}
