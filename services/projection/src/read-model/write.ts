import type pg from 'pg';
import { toStoredEvent } from '@syv/command-service';
import { appendNewStreams } from '@syv/event-store';
import { alertRaisedEvent, type AlertCandidate } from '../fold/alerts.js';
import { caseRowOf } from '../fold/case-row.js';
import type { CaseState, FlagChanges } from '../fold/case-state.js';
import { encodeStates } from '../fold/codec.js';
import { domainTimeOf } from '../fold/domain-time.js';
import type { ChildRereferrals } from '../fold/rereferral.js';
import type { Assessment, StepEffects } from '../fold/step.js';
import type { Positioned } from '../fold/slice.js';

// The bulk writes of a slice: one statement per table whatever the number of events, each from
// arrays (unnest) or, for rows with long texts, one JSON array the server parses (an array literal
// of long texts costs more to quote than JSON to parse), in the caller's transaction. Every write
// is safe to repeat: a redelivered slice writes nothing twice.

const list = (xs: readonly string[]) => xs.join(',');

/**
 * Appends the events to the archive that a case's history, as-of views and the audit read, and
 * answers the ids written now: an id archived before (a redelivery) is skipped, so the archive's
 * key is also the read model's record of the events it has applied.
 */
export async function archiveEvents(client: pg.ClientBase, schema: string, events: readonly Positioned[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  // The envelopes go as one JSON text, parsed by the server, rather than as an array of texts
  // (whose literal quoting costs more than the parse).
  const { rows } = await client.query<{ event_id: string }>(
    `INSERT INTO ${schema}.case_events (event_id, case_id, type, area, domain_time, recorded_at, envelope, topic, partition, "offset")
     SELECT (e.v->>'id')::uuid, (e.v->>'subject')::uuid, e.v->>'type', e.v->>'area', p.domain_time, (e.v->>'time')::timestamptz, e.v, p.topic, p.partition, p."offset"
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, n)
       JOIN unnest($2::timestamptz[], $3::text[], $4::int[], $5::bigint[]) WITH ORDINALITY AS p(domain_time, topic, partition, "offset", n) ON p.n = e.n
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id::text`,
    [
      JSON.stringify(events.map((e) => e.event)),
      events.map((e) => domainTimeOf(e.event) ?? null),
      events.map((e) => e.at.topic),
      events.map((e) => e.at.partition),
      events.map((e) => e.at.offset),
    ],
  );
  return new Set(rows.map((r) => r.event_id));
}

/** Each case's row as its state says, with the state itself. */
export async function writeCases(client: pg.ClientBase, schema: string, states: readonly CaseState[]): Promise<void> {
  if (states.length === 0) return;
  const rows = states.map(caseRowOf);
  await client.query(
    `INSERT INTO ${schema}.cases (case_id, area, child_id, status, risk_level, opened_at, closed_at, closure_reason,
                                  first_intervention_at, last_contact_at, agencies, event_count, last_recorded_at, flags_as_of, next_sweep_at, allocated_to, state)
     SELECT case_id, area, child_id, status, risk_level, opened_at, closed_at, closure_reason, first_intervention_at, last_contact_at,
            string_to_array(agencies, ','), event_count, last_recorded_at, flags_as_of, next_sweep_at, allocated_to, s.v
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::timestamptz[],
                   $10::timestamptz[], $11::text[], $12::int[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::text[]) WITH ORDINALITY
         AS c(case_id, area, child_id, status, risk_level, opened_at, closed_at, closure_reason, first_intervention_at, last_contact_at,
              agencies, event_count, last_recorded_at, flags_as_of, next_sweep_at, allocated_to, n)
       JOIN jsonb_array_elements($17::jsonb) WITH ORDINALITY AS s(v, n) ON s.n = c.n
     ON CONFLICT (case_id) DO UPDATE SET area = EXCLUDED.area, child_id = EXCLUDED.child_id, status = EXCLUDED.status,
       risk_level = EXCLUDED.risk_level, opened_at = EXCLUDED.opened_at, closed_at = EXCLUDED.closed_at,
       closure_reason = EXCLUDED.closure_reason, first_intervention_at = EXCLUDED.first_intervention_at,
       last_contact_at = EXCLUDED.last_contact_at, agencies = EXCLUDED.agencies, event_count = EXCLUDED.event_count,
       last_recorded_at = EXCLUDED.last_recorded_at, flags_as_of = EXCLUDED.flags_as_of, next_sweep_at = EXCLUDED.next_sweep_at,
       allocated_to = EXCLUDED.allocated_to, state = EXCLUDED.state`,
    [
      rows.map((r) => r.caseId),
      rows.map((r) => r.area),
      rows.map((r) => r.childId),
      rows.map((r) => r.status),
      rows.map((r) => r.riskLevel),
      rows.map((r) => r.openedAt),
      rows.map((r) => r.closedAt),
      rows.map((r) => r.closureReason),
      rows.map((r) => r.firstInterventionAt),
      rows.map((r) => r.lastContactAt),
      rows.map((r) => list(r.agencies)),
      rows.map((r) => r.eventCount),
      rows.map((r) => r.lastRecordedAt),
      rows.map((r) => r.flagsAsOf),
      rows.map((r) => r.nextSweepAt),
      rows.map((r) => r.allocatedTo),
      encodeStates(states),
    ],
  );
}

/** A time-rule check of these cases without an event: only where the rules looked and when they look next change, and the state. */
export async function writeTimeChecks(client: pg.ClientBase, schema: string, states: readonly CaseState[]): Promise<void> {
  if (states.length === 0) return;
  await client.query(
    `UPDATE ${schema}.cases AS c SET flags_as_of = u.flags_as_of, next_sweep_at = u.next_sweep_at, state = s.v
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS u(case_id, flags_as_of, next_sweep_at, n)
       JOIN jsonb_array_elements($4::jsonb) WITH ORDINALITY AS s(v, n) ON s.n = u.n
      WHERE c.case_id = u.case_id`,
    [states.map((s) => s.caseId), states.map((s) => s.flagsAsOf), states.map((s) => s.nextSweepAt), encodeStates(states)],
  );
}

/** The own flags (time, closure, language) of the cases change as the fold found: keys gone are deleted, new or reworded ones written. */
export async function writeOwnFlags(client: pg.ClientBase, schema: string, changes: FlagChanges): Promise<void> {
  if (changes.removed.length > 0) {
    await client.query(
      `DELETE FROM ${schema}.case_flags f USING unnest($1::uuid[], $2::text[]) AS g(case_id, flag_key)
        WHERE f.case_id = g.case_id AND f.flag_key = g.flag_key`,
      [changes.removed.map((r) => r.caseId), changes.removed.map((r) => r.key)],
    );
  }
  if (changes.upserted.length === 0) return;
  await client.query(
    `INSERT INTO ${schema}.case_flags (case_id, flag_key, source, rule, severity, explanation, evidence, since)
     SELECT (f->>'caseId')::uuid, f->>'key', f->>'source', f->>'rule', f->>'severity', f->>'explanation',
            ARRAY(SELECT jsonb_array_elements_text(f->'evidence'))::uuid[], (f->>'since')::timestamptz
       FROM jsonb_array_elements($1::jsonb) AS f
     ON CONFLICT (case_id, flag_key) DO UPDATE SET source = EXCLUDED.source, rule = EXCLUDED.rule, severity = EXCLUDED.severity,
       explanation = EXCLUDED.explanation, evidence = EXCLUDED.evidence, since = EXCLUDED.since`,
    [JSON.stringify(changes.upserted)],
  );
}

type ReferralRow = NonNullable<StepEffects['referral']>;
type OnwardRow = NonNullable<StepEffects['onward']>;
type ClosureRow = NonNullable<StepEffects['closure']>;

/** The small per-fact tables beside the case rows, which the statistics and the re-referral rule read across cases. */
export async function writeFacts(client: pg.ClientBase, schema: string, f: { referrals: readonly ReferralRow[]; onward: readonly OnwardRow[]; closures: readonly ClosureRow[] }): Promise<void> {
  if (f.referrals.length > 0) {
    await client.query(
      `INSERT INTO ${schema}.referrals (referral_id, case_id, area, child_id, received_at, re_referral, event_id, source_agency, correlation_id, recorded_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::boolean[], $7::uuid[], $8::text[], $9::text[], $10::timestamptz[])
       ON CONFLICT (referral_id) DO NOTHING`,
      [
        f.referrals.map((r) => r.referralId),
        f.referrals.map((r) => r.caseId),
        f.referrals.map((r) => r.area),
        f.referrals.map((r) => r.childId),
        f.referrals.map((r) => r.receivedAt),
        f.referrals.map((r) => r.reReferral),
        f.referrals.map((r) => r.eventId),
        f.referrals.map((r) => r.sourceAgency),
        f.referrals.map((r) => r.correlationId),
        f.referrals.map((r) => r.recordedAt),
      ],
    );
  }
  if (f.onward.length > 0) {
    // A start or an outcome may arrive before its referral (two services' outboxes); each event fills its own columns.
    await client.query(
      `INSERT INTO ${schema}.onward_referrals AS o (onward_referral_id, case_id, area, agency, referred_at, started_at, declined_at, withdrawn_at, ended_at, outcome)
       SELECT id, case_id, area, COALESCE(agency, 'unknown'), referred_at, started_at, declined_at, withdrawn_at, ended_at, outcome
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::text[])
           AS u(id, case_id, area, agency, referred_at, started_at, declined_at, withdrawn_at, ended_at, outcome)
       ON CONFLICT (onward_referral_id) DO UPDATE SET
         agency = CASE WHEN EXCLUDED.agency = 'unknown' THEN o.agency ELSE EXCLUDED.agency END,
         referred_at = COALESCE(EXCLUDED.referred_at, o.referred_at),
         started_at = COALESCE(EXCLUDED.started_at, o.started_at),
         declined_at = COALESCE(EXCLUDED.declined_at, o.declined_at),
         withdrawn_at = COALESCE(EXCLUDED.withdrawn_at, o.withdrawn_at),
         ended_at = COALESCE(EXCLUDED.ended_at, o.ended_at),
         outcome = COALESCE(EXCLUDED.outcome, o.outcome)`,
      [
        f.onward.map((o) => o.onwardReferralId),
        f.onward.map((o) => o.caseId),
        f.onward.map((o) => o.area),
        f.onward.map((o) => o.agency ?? null),
        f.onward.map((o) => o.referredAt ?? null),
        f.onward.map((o) => o.startedAt ?? null),
        f.onward.map((o) => o.declinedAt ?? null),
        f.onward.map((o) => o.withdrawnAt ?? null),
        f.onward.map((o) => o.endedAt ?? null),
        f.onward.map((o) => o.outcome ?? null),
      ],
    );
  }
  if (f.closures.length > 0) {
    await client.query(
      `INSERT INTO ${schema}.closures (closure_request_id, event_id, case_id, area, child_id, reason, closed_at, approved_by)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])
       ON CONFLICT (closure_request_id) DO NOTHING`,
      [
        f.closures.map((c) => c.closureRequestId),
        f.closures.map((c) => c.eventId),
        f.closures.map((c) => c.caseId),
        f.closures.map((c) => c.area),
        f.closures.map((c) => c.childId),
        f.closures.map((c) => c.reason),
        f.closures.map((c) => c.closedAt),
        f.closures.map((c) => c.approvedBy ?? null),
      ],
    );
  }
}

/** Closure assessments, stored and appended to the outbox for case-closure to close or hold. */
export async function writeAssessments(client: pg.ClientBase, schema: string, assessments: readonly Assessment[]): Promise<void> {
  if (assessments.length === 0) return;
  await client.query(
    `INSERT INTO ${schema}.closure_assessments (closure_request_id, case_id, area, flags, assessed_at)
     SELECT id, case_id, area, flags::jsonb, assessed_at FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[]) AS a(id, case_id, area, flags, assessed_at)
     ON CONFLICT (closure_request_id) DO NOTHING`,
    [
      assessments.map((a) => a.closureRequestId),
      assessments.map((a) => a.caseId),
      assessments.map((a) => a.area),
      assessments.map((a) => JSON.stringify(a.flags)),
      assessments.map((a) => a.assessedAt),
    ],
  );
  await appendNewStreams(
    client,
    schema,
    assessments.map((a) => ({ streamId: `closure-assessment-${a.closureRequestId}`, event: toStoredEvent(a.event) })),
  );
}

/**
 * The re-referral flags of the children looked at again: on each child's closed cases they become
 * exactly what the rule now says, and the referrals they name count as re-referrals.
 */
export async function writeRereferrals(client: pg.ClientBase, schema: string, children: readonly { closedCases: readonly string[]; result: ChildRereferrals }[]): Promise<void> {
  const closedCases = [...new Set(children.flatMap((c) => c.closedCases))];
  if (closedCases.length === 0) return;
  const flags = children.flatMap((c) => c.result.flags);
  await client.query(
    `DELETE FROM ${schema}.case_flags f WHERE f.source = 'rereferral' AND f.case_id = ANY($1::uuid[])
        AND (f.case_id, f.flag_key) NOT IN (SELECT * FROM unnest($2::uuid[], $3::text[]))`,
    [closedCases, flags.map((f) => f.caseId), flags.map((f) => f.flag.key)],
  );
  if (flags.length === 0) return;
  await client.query(
    `INSERT INTO ${schema}.case_flags AS f (case_id, flag_key, source, rule, severity, explanation, evidence, since)
     SELECT case_id, flag_key, 'rereferral', rule, severity, explanation, string_to_array(evidence, ',')::uuid[], since
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) AS u(case_id, flag_key, rule, severity, explanation, evidence, since)
     ON CONFLICT (case_id, flag_key) DO UPDATE SET severity = EXCLUDED.severity, explanation = EXCLUDED.explanation, evidence = EXCLUDED.evidence, since = EXCLUDED.since`,
    [
      flags.map((f) => f.caseId),
      flags.map((f) => f.flag.key),
      flags.map((f) => f.flag.rule),
      flags.map((f) => f.flag.severity),
      flags.map((f) => f.flag.explanation),
      flags.map((f) => list(f.flag.evidence)),
      flags.map((f) => f.since),
    ],
  );
  const cited = children.flatMap((c) => c.result.cited);
  if (cited.length > 0) await client.query(`UPDATE ${schema}.referrals SET re_referral = true WHERE referral_id = ANY($1::uuid[]) AND NOT re_referral`, [cited]);
}

/**
 * Raises the alerts whose keys have none yet (the first candidate of a key wins, as when they were
 * raised one at a time) and appends each raised one's event to the outbox. Returns those raised.
 */
export async function raiseAlerts(client: pg.ClientBase, schema: string, candidates: readonly AlertCandidate[]): Promise<AlertCandidate[]> {
  const byKey = new Map<string, AlertCandidate>();
  for (const a of candidates) if (!byKey.has(a.key)) byKey.set(a.key, a);
  const unique = [...byKey.values()];
  if (unique.length === 0) return [];
  const { rows } = await client.query<{ alert_key: string }>(
    `INSERT INTO ${schema}.alerts (alert_id, alert_key, case_id, area, rule, severity, explanation, evidence, raised_at)
     SELECT (a->>'alertId')::uuid, a->>'key', (a->>'caseId')::uuid, a->>'area', a->'flag'->>'rule', a->'flag'->>'severity', a->'flag'->>'explanation',
            ARRAY(SELECT jsonb_array_elements_text(a->'flag'->'evidence'))::uuid[], (a->>'raisedAt')::timestamptz
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS u(a, ord)
      ORDER BY ord
     ON CONFLICT (alert_key) DO NOTHING
     RETURNING alert_key`,
    [JSON.stringify(unique.map(({ alertId, key, caseId, area, flag, raisedAt }) => ({ alertId, key, caseId, area, flag, raisedAt })))],
  );
  const inserted = new Set(rows.map((r) => r.alert_key));
  const raised = unique.filter((a) => inserted.has(a.key));
  await appendNewStreams(
    client,
    schema,
    raised.map((a) => ({ streamId: `alert-${a.alertId}`, event: toStoredEvent(alertRaisedEvent(a)) })),
  );
  return raised;
}
