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

export const eventStoreMigrations: readonly Migration[] = [events, checkpoints, idempotency];
