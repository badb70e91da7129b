import { eventStoreMigrations, type Migration } from '@syv/event-store';
import { projectionTablesSql } from '@syv/kafka-projection';

// The read model: a deterministic function of the case-events log (plus the sweep's clock for the
// time rules). `migrate` runs this SQL with search_path set to the schema, so names are unqualified
// here; the code that reads and writes qualifies them, so a second schema (a shadow rebuild) can
// hold a second copy. Never edit a released migration; add a new version.

const readModelV1 = `
-- Every case event in log order: the source of as-of views, of /events, and of every rule.
CREATE TABLE case_events (
  event_id uuid PRIMARY KEY,
  case_id uuid NOT NULL,
  type text NOT NULL,
  area text NOT NULL,
  domain_time timestamptz,
  recorded_at timestamptz NOT NULL,
  envelope jsonb NOT NULL,
  topic text NOT NULL,
  partition int NOT NULL,
  "offset" bigint NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, partition, "offset");

CREATE TABLE cases (
  case_id uuid PRIMARY KEY,
  area text NOT NULL,
  child_id text,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  risk_level text,
  opened_at timestamptz,
  closed_at timestamptz,
  closure_reason text,
  first_intervention_at timestamptz,
  last_contact_at timestamptz,
  agencies text[] NOT NULL DEFAULT '{}',
  event_count int NOT NULL DEFAULT 0,
  -- Envelope time of the latest event: the sweep waits until a case has been quiet.
  last_recorded_at timestamptz NOT NULL,
  -- The point in time the time rules last saw the case at; it only moves forward.
  flags_as_of timestamptz
);
CREATE INDEX cases_by_area_status ON cases (area, status);
CREATE INDEX cases_by_child ON cases (area, child_id);

-- The flags a case has now, each with the key that makes its alert be raised once.
CREATE TABLE case_flags (
  case_id uuid NOT NULL,
  flag_key text NOT NULL,
  source text NOT NULL CHECK (source IN ('time', 'closure', 'language', 'rereferral')),
  rule text NOT NULL,
  severity text NOT NULL,
  explanation text NOT NULL,
  evidence uuid[] NOT NULL,
  since timestamptz NOT NULL,
  PRIMARY KEY (case_id, flag_key)
);
CREATE INDEX case_flags_by_rule ON case_flags (rule, case_id);

CREATE TABLE alerts (
  alert_id uuid PRIMARY KEY,
  alert_key text NOT NULL UNIQUE,
  case_id uuid NOT NULL,
  area text NOT NULL,
  rule text NOT NULL,
  severity text NOT NULL,
  explanation text NOT NULL,
  evidence uuid[] NOT NULL,
  raised_at timestamptz NOT NULL,
  acknowledged_by text,
  acknowledged_at timestamptz
);
CREATE INDEX alerts_by_area ON alerts (area, raised_at);
CREATE INDEX alerts_by_case ON alerts (case_id);

CREATE TABLE referrals (
  referral_id uuid PRIMARY KEY,
  case_id uuid NOT NULL,
  area text NOT NULL,
  child_id text NOT NULL,
  received_at timestamptz NOT NULL,
  re_referral boolean NOT NULL
);
CREATE INDEX referrals_by_child ON referrals (area, child_id, received_at);

CREATE TABLE onward_referrals (
  onward_referral_id uuid PRIMARY KEY,
  case_id uuid NOT NULL,
  area text NOT NULL,
  agency text NOT NULL,
  referred_at timestamptz,
  started_at timestamptz
);
CREATE INDEX onward_referrals_by_area ON onward_referrals (area, agency);

CREATE TABLE closure_assessments (
  closure_request_id uuid PRIMARY KEY,
  case_id uuid NOT NULL,
  area text NOT NULL,
  flags jsonb NOT NULL,
  assessed_at timestamptz NOT NULL
);

CREATE TABLE closures (
  closure_request_id uuid PRIMARY KEY,
  event_id uuid NOT NULL,
  case_id uuid NOT NULL,
  area text NOT NULL,
  child_id text,
  reason text NOT NULL,
  closed_at timestamptz NOT NULL,
  approved_by text
);
CREATE INDEX closures_by_child ON closures (area, child_id);

-- Who read which case, when. Not part of the replayable read model: it records reads.
CREATE TABLE access_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_sub text NOT NULL,
  user_role text NOT NULL,
  case_id uuid NOT NULL,
  action text NOT NULL
);
CREATE INDEX access_log_by_case ON access_log (case_id, at);
CREATE INDEX access_log_by_user ON access_log (user_sub, at);
`;

// The sweep looks only at cases a time rule could change its answer on by then, not at every open case.
const nextSweepV2 = `
ALTER TABLE cases ADD COLUMN next_sweep_at timestamptz;
CREATE INDEX cases_due_for_sweep ON cases (next_sweep_at) WHERE status = 'open';
`;

// Each case's state (its facts, own flags and bookkeeping) is stored with its row, so applying an
// event never reads the case's earlier events back; a referral row carries what a re-referral alert
// is attributed to. A row from before this version has no state yet: the projection fills it from
// the case's archived events at start-up (read-model/backfill.ts), once.
const caseStateV3 = `
ALTER TABLE cases ADD COLUMN state jsonb;
-- lz4 compresses a state several times faster than the default pglz; a server built without it keeps pglz.
DO $$ BEGIN
  ALTER TABLE cases ALTER COLUMN state SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN NULL;
END $$;
ALTER TABLE referrals ADD COLUMN event_id uuid, ADD COLUMN source_agency text, ADD COLUMN correlation_id text, ADD COLUMN recorded_at timestamptz;
UPDATE referrals r SET event_id = e.event_id, source_agency = e.envelope->'data'->>'sourceAgency',
       correlation_id = e.envelope->>'correlationid', recorded_at = e.recorded_at
  FROM case_events e
 WHERE e.type = 'referral.received.v1' AND (e.envelope->'data'->>'referralId')::uuid = r.referral_id;
-- A replay digests the read model a range of case ids at a time.
CREATE INDEX referrals_by_case ON referrals (case_id);
CREATE INDEX onward_referrals_by_case ON onward_referrals (case_id);
CREATE INDEX closure_assessments_by_case ON closure_assessments (case_id);
CREATE INDEX closures_by_case ON closures (case_id);
`;

// Cases have an allocated worker (case.allocated.v1, a type that did not exist before this version,
// so no row needs filling): their caseload, their alerts. An acknowledgement can say what was done.
const allocationV4 = `
ALTER TABLE cases ADD COLUMN allocated_to text;
CREATE INDEX cases_by_worker ON cases (allocated_to, area) WHERE allocated_to IS NOT NULL;
ALTER TABLE alerts ADD COLUMN acknowledgement_note text;
`;

// An onward referral's outcome (onward-referral.declined/withdrawn/ended.v1, types that did not
// exist before this version, so no row needs filling): the statistics read declines and the length
// of support across cases.
const onwardOutcomesV5 = `
ALTER TABLE onward_referrals ADD COLUMN declined_at timestamptz, ADD COLUMN withdrawn_at timestamptz, ADD COLUMN ended_at timestamptz, ADD COLUMN outcome text;
`;

export function projectionMigrations(schema: string): Migration[] {
  return [
    ...eventStoreMigrations,
    { component: 'kafka-projection', version: 1, name: 'offsets, dedup, rejected messages', sql: projectionTablesSql(schema) },
    { component: 'projection', version: 1, name: 'read model: case events, cases, flags, alerts, stats tables, access log', sql: readModelV1 },
    { component: 'projection', version: 2, name: 'cases.next_sweep_at', sql: nextSweepV2 },
    { component: 'projection', version: 3, name: 'cases.state, referrals: event, source agency, correlation, time', sql: caseStateV3 },
    { component: 'projection', version: 4, name: 'cases.allocated_to, alerts.acknowledgement_note', sql: allocationV4 },
    { component: 'projection', version: 5, name: 'onward_referrals: declined, withdrawn, ended and outcome', sql: onwardOutcomesV5 },
  ];
}
