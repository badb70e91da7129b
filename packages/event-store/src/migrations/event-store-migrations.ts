import type { Migration } from './plan.js';

// The event store's own tables, applied by the same migrate() as a service's, under the component
// 'event-store' so its version numbers never collide with the service's. Unqualified names: migrate
// sets search_path to the service's schema. Never edit one of these once released; add a new one.

const events: Migration = {
  component: 'event-store',
  version: 1,
  name: 'events',
  sql: `
CREATE TABLE events (
  global_position bigserial PRIMARY KEY,
  stream_id       text        NOT NULL,
  stream_version  integer     NOT NULL CHECK (stream_version > 0),
  event_id        uuid        NOT NULL,
  type            text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_version_key UNIQUE (stream_id, stream_version)
);

-- The log reader's order and range condition: (transaction_id, global_position) > checkpoint.
CREATE INDEX events_log_order_idx ON events (transaction_id, global_position);

-- History is evidence: refuse to rewrite it, even by mistake from psql.
CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the events table is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();
`,
};

const checkpoints: Migration = {
  component: 'event-store',
  version: 2,
  name: 'subscription_checkpoints',
  sql: `
CREATE TABLE subscription_checkpoints (
  subscription_id text        PRIMARY KEY,
  transaction_id  xid8        NOT NULL,
  position        bigint      NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
`,
};

const idempotency: Migration = {
  component: 'event-store',
  version: 3,
  name: 'idempotency_keys',
  sql: `
CREATE TABLE idempotency_keys (
  scope        text        NOT NULL,
  key          text        NOT NULL,
  request_hash text        NOT NULL,
  status       integer     NOT NULL,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Expiry deletes by age.
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
`,
};

// One append, one call: the idempotency look-up, the stream's head, the recorded-ids check, the
// transaction-order check, the insert and the idempotency record, on the server, with nothing
// written unless everything passes. See append.ts for the caller's side and what each answer means.
// SET search_path FROM CURRENT binds the function to this schema's tables (migrate sets the path).
const appendFunction: Migration = {
  component: 'event-store',
  version: 4,
  name: 'append_events function',
  sql: `
CREATE FUNCTION append_events(
  p_stream_id   text,
  p_expected    integer, -- NULL: any version; 0: no stream yet; n: the stream is at n
  p_events      jsonb,   -- [{id, type, data, metadata}], ids in canonical lower case, no repeats
  p_notify      boolean, -- pg_notify('<schema>_events') at commit: for callers that commit elsewhere
  p_idempotency jsonb    -- NULL, or {scope, key, requestHash, status, response}: the answer to record
) RETURNS TABLE (outcome text, stream_version integer, reason text, positions text[], appended text[], duplicates text[], replay jsonb)
LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
#variable_conflict use_column
DECLARE
  v_count    integer := jsonb_array_length(p_events);
  v_head     integer;
  v_later    boolean;
  v_recorded text[];
  v_added    integer;
  v_pos      text[];
  v_ids      text[];
  v_prior    idempotency_keys%ROWTYPE;
  v_given    uuid[] := ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) AS x);
BEGIN
  -- A key answered before: its first answer, and nothing written.
  IF p_idempotency IS NOT NULL THEN
    SELECT * INTO v_prior FROM idempotency_keys WHERE scope = p_idempotency->>'scope' AND key = p_idempotency->>'key';
    IF FOUND THEN
      RETURN QUERY SELECT 'replay', NULL::integer, NULL::text, NULL::text[], NULL::text[], NULL::text[],
        jsonb_build_object('requestHash', v_prior.request_hash, 'status', v_prior.status, 'response', v_prior.response);
      RETURN;
    END IF;
  END IF;

  -- Writers of one stream take turns: each sees the head its predecessor committed.
  PERFORM pg_advisory_xact_lock(hashtextextended('syv:stream:' || current_schema() || ':' || p_stream_id, 0));

  FOR v_round IN 1..5 LOOP
    -- The head, and whether its writer began writing after this transaction (see append.ts).
    SELECT e.stream_version, e.transaction_id > pg_current_xact_id() INTO v_head, v_later
      FROM events e WHERE e.stream_id = p_stream_id ORDER BY e.stream_version DESC LIMIT 1;
    v_head := coalesce(v_head, 0);
    -- = ANY of an array, so the look-up is by the unique index whatever the table's size.
    SELECT coalesce(array_agg(e.event_id::text), '{}') INTO v_recorded FROM events e WHERE e.event_id = ANY (v_given);

    -- Everything recorded before: the append already happened, whatever version is expected now.
    IF v_count > 0 AND cardinality(v_recorded) = v_count THEN
      v_pos := '{}'; v_ids := '{}';
      EXIT;
    END IF;
    IF p_expected IS NOT NULL AND p_expected <> v_head THEN
      RETURN QUERY SELECT 'conflict', v_head, 'version', NULL::text[], NULL::text[], NULL::text[], NULL::jsonb;
      RETURN;
    END IF;
    IF v_count = 0 THEN
      v_pos := '{}'; v_ids := '{}';
      EXIT;
    END IF;
    IF coalesce(v_later, false) THEN
      RETURN QUERY SELECT 'conflict', v_head, 'transaction_order', NULL::text[], NULL::text[], NULL::text[], NULL::jsonb;
      RETURN;
    END IF;

    -- One statement for the batch, numbered after the head without holes; ORDER BY makes
    -- global_position follow stream_version.
    WITH fresh AS (
      SELECT x.value, x.ord, row_number() OVER (ORDER BY x.ord) AS n
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(value, ord)
       WHERE NOT (x.value->>'id' = ANY (v_recorded))),
    added AS (
      INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata)
      SELECT p_stream_id, v_head + f.n::integer, (f.value->>'id')::uuid, f.value->>'type', f.value->'data', coalesce(f.value->'metadata', '{}'::jsonb)
        FROM fresh f ORDER BY f.ord
      ON CONFLICT (event_id) DO NOTHING
      RETURNING events.stream_version AS v, events.global_position AS g, events.event_id AS id)
    SELECT count(*), coalesce(array_agg(a.g::text ORDER BY a.v), '{}'), coalesce(array_agg(a.id::text ORDER BY a.v), '{}')
      INTO v_added, v_pos, v_ids FROM added a;

    EXIT WHEN v_added = v_count - cardinality(v_recorded);
    -- Another transaction recorded one of these ids after the check. Nothing written: look again.
    -- Some written: the versions numbered around the skipped one would have a hole; only the
    -- transaction's owner can undo them.
    IF v_added > 0 THEN
      RAISE EXCEPTION 'append to %: an event id was recorded concurrently', p_stream_id USING ERRCODE = 'SYV01';
    END IF;
    IF v_round = 5 THEN
      RAISE EXCEPTION 'append to %: its event ids kept being recorded concurrently', p_stream_id USING ERRCODE = 'SYV01';
    END IF;
  END LOOP;

  -- The answer, with the events. A concurrent request with the same key that committed first wins:
  -- this one's events must not commit, so the statement fails and the caller replays that answer.
  IF p_idempotency IS NOT NULL THEN
    INSERT INTO idempotency_keys (scope, key, request_hash, status, response)
    VALUES (p_idempotency->>'scope', p_idempotency->>'key', p_idempotency->>'requestHash', (p_idempotency->>'status')::integer,
            nullif(p_idempotency->'response', 'null'::jsonb))
    ON CONFLICT (scope, key) DO NOTHING;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'idempotency key %: answered concurrently', p_idempotency->>'key' USING ERRCODE = 'SYV02';
    END IF;
  END IF;

  IF p_notify AND cardinality(v_ids) > 0 THEN
    PERFORM pg_notify(current_schema() || '_events', '');
  END IF;
  RETURN QUERY SELECT 'appended', v_head + cardinality(v_ids), NULL::text, v_pos, v_ids, v_recorded, NULL::jsonb;
END
$fn$;
`,
};

export const eventStoreMigrations: readonly Migration[] = [events, checkpoints, idempotency, appendFunction];
