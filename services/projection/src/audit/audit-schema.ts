import type { Migration } from '@syv/event-store';

/**
 * The audit's own bookkeeping lives in a schema beside the live read model, not inside it: a
 * promotion swaps the read model's schema for a replayed one, and the record of replays (including
 * the one being promoted) must survive that swap.
 */
export function auditSchemaOf(liveSchema: string): string {
  return `${liveSchema}_audit`;
}

/** The shadow schema a replay rebuilds into; ids are uuids, so only hex digits reach the name. */
export function shadowSchemaOf(liveSchema: string, replayId: string): string {
  return `${liveSchema}_replay_${replayId.replaceAll('-', '').slice(0, 16)}`;
}

const replaysV1 = `
CREATE TABLE replays (
  replay_id uuid PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('running', 'cancelling', 'cancelled', 'finished', 'failed', 'promoted')),
  shadow_schema text NOT NULL,
  requested_by text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  -- The running instance touches this every second; a replay whose instance died stops blocking others.
  heartbeat_at timestamptz NOT NULL,
  -- The live consumer's stored offsets at the start: the log prefix both checksums cover.
  targets jsonb NOT NULL,
  high_watermarks jsonb NOT NULL,
  events_total bigint NOT NULL,
  events_done bigint NOT NULL DEFAULT 0,
  events_per_second double precision,
  fault_injection text,
  live_checksum text,
  replay_checksum text,
  matches boolean,
  cases_compared int,
  differing_count int,
  differing_cases jsonb,
  error text,
  promoted_at timestamptz
);
-- Only one replay at a time, across every instance of the projection.
CREATE UNIQUE INDEX one_active_replay ON replays ((true)) WHERE status IN ('running', 'cancelling');
`;

// A replay's two sets of per-case digests, the live read model's (at the snapshot its targets come
// from) and the rebuilt one's, held here and compared in SQL rather than in the process's memory.
// With the live side, the time the live time rules last looked at each case, which the replay
// aligns to. Rows go when their replay ends.
const replayDigestsV2 = `
CREATE TABLE replay_digests (
  replay_id uuid NOT NULL,
  side text NOT NULL CHECK (side IN ('live', 'replay')),
  case_id uuid NOT NULL,
  digests bytea NOT NULL,
  flags_as_of timestamptz,
  PRIMARY KEY (replay_id, side, case_id)
);
`;

export const auditMigrations: Migration[] = [
  { component: 'projection-audit', version: 1, name: 'replays', sql: replaysV1 },
  { component: 'projection-audit', version: 2, name: 'replay digests', sql: replayDigestsV2 },
];
