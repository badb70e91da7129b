import type pg from 'pg';

export type ReplayStatus = 'running' | 'cancelling' | 'cancelled' | 'finished' | 'failed' | 'promoted';

export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface ReplayRow {
  replayId: string;
  status: ReplayStatus;
  shadowSchema: string;
  requestedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
  heartbeatAt: Date;
  targets: PartitionOffset[];
  highWatermarks: PartitionOffset[];
  eventsTotal: number;
  eventsDone: number;
  eventsPerSecond: number | null;
  faultInjection: string | null;
  liveChecksum: string | null;
  replayChecksum: string | null;
  matches: boolean | null;
  casesCompared: number | null;
  differingCount: number | null;
  differingCases: DifferingCase[] | null;
  error: string | null;
  promotedAt: Date | null;
}

export interface DifferingCase {
  caseId: string;
  /** Tables whose rows of this case differ, or `missing in live` / `missing in replay`. */
  tables: string[];
}

/** A running replay whose instance has not touched it for this long is taken to be dead. */
const ABANDONED_AFTER_MS = 30_000;

interface Raw {
  replay_id: string;
  status: ReplayStatus;
  shadow_schema: string;
  requested_by: string;
  started_at: Date;
  finished_at: Date | null;
  heartbeat_at: Date;
  targets: PartitionOffset[];
  high_watermarks: PartitionOffset[];
  events_total: string;
  events_done: string;
  events_per_second: number | null;
  fault_injection: string | null;
  live_checksum: string | null;
  replay_checksum: string | null;
  matches: boolean | null;
  cases_compared: number | null;
  differing_count: number | null;
  differing_cases: DifferingCase[] | null;
  error: string | null;
  promoted_at: Date | null;
}

function fromRaw(r: Raw): ReplayRow {
  return {
    replayId: r.replay_id,
    status: r.status,
    shadowSchema: r.shadow_schema,
    requestedBy: r.requested_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    heartbeatAt: r.heartbeat_at,
    targets: r.targets,
    highWatermarks: r.high_watermarks,
    eventsTotal: Number(r.events_total),
    eventsDone: Number(r.events_done),
    eventsPerSecond: r.events_per_second,
    faultInjection: r.fault_injection,
    liveChecksum: r.live_checksum,
    replayChecksum: r.replay_checksum,
    matches: r.matches,
    casesCompared: r.cases_compared,
    differingCount: r.differing_count,
    differingCases: r.differing_cases,
    error: r.error,
    promotedAt: r.promoted_at,
  };
}

/** Marks replays whose instance stopped beating as failed, so they no longer hold the one slot. */
export async function failAbandonedReplays(db: pg.Pool | pg.ClientBase, auditSchema: string): Promise<string[]> {
  const { rows } = await db.query<{ replay_id: string }>(
    `UPDATE ${auditSchema}.replays SET status = 'failed', finished_at = now(), error = 'abandoned: the instance running it stopped'
      WHERE status IN ('running', 'cancelling') AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)
      RETURNING replay_id`,
    [ABANDONED_AFTER_MS],
  );
  return rows.map((r) => r.replay_id);
}

interface NewReplay {
  replayId: string;
  shadowSchema: string;
  requestedBy: string;
  targets: PartitionOffset[];
  highWatermarks: PartitionOffset[];
  eventsTotal: number;
  faultInjection: string | null;
}

/** False when another replay is active (the partial unique index refused the row). */
export async function insertReplay(db: pg.Pool | pg.ClientBase, auditSchema: string, r: NewReplay): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO ${auditSchema}.replays (replay_id, status, shadow_schema, requested_by, started_at, heartbeat_at, targets, high_watermarks, events_total, fault_injection)
     VALUES ($1, 'running', $2, $3, now(), now(), $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [r.replayId, r.shadowSchema, r.requestedBy, JSON.stringify(r.targets), JSON.stringify(r.highWatermarks), r.eventsTotal, r.faultInjection],
  );
  return rowCount === 1;
}

export async function activeReplayId(db: pg.Pool | pg.ClientBase, auditSchema: string): Promise<string | undefined> {
  const { rows } = await db.query<{ replay_id: string }>(`SELECT replay_id FROM ${auditSchema}.replays WHERE status IN ('running', 'cancelling')`);
  return rows[0]?.replay_id;
}

export async function loadReplay(db: pg.Pool | pg.ClientBase, auditSchema: string, replayId: string): Promise<ReplayRow | undefined> {
  const { rows } = await db.query<Raw>(`SELECT * FROM ${auditSchema}.replays WHERE replay_id = $1`, [replayId]);
  return rows[0] ? fromRaw(rows[0]) : undefined;
}

export async function listReplays(db: pg.Pool, auditSchema: string, limit: number): Promise<ReplayRow[]> {
  const { rows } = await db.query<Raw>(`SELECT * FROM ${auditSchema}.replays ORDER BY started_at DESC LIMIT $1`, [limit]);
  return rows.map(fromRaw);
}

/** Progress and heartbeat; answers the status, so the runner sees a cancel asked on another instance. */
export async function reportProgress(db: pg.Pool, auditSchema: string, replayId: string, done: number, perSecond: number | null): Promise<ReplayStatus | undefined> {
  const { rows } = await db.query<{ status: ReplayStatus }>(
    `UPDATE ${auditSchema}.replays SET events_done = $2, events_per_second = $3, heartbeat_at = now() WHERE replay_id = $1 RETURNING status`,
    [replayId, done, perSecond],
  );
  return rows[0]?.status;
}

export async function requestCancel(db: pg.Pool, auditSchema: string, replayId: string): Promise<ReplayStatus | undefined> {
  const { rows } = await db.query<{ status: ReplayStatus }>(
    `UPDATE ${auditSchema}.replays SET status = CASE WHEN status = 'running' THEN 'cancelling' ELSE status END WHERE replay_id = $1 RETURNING status`,
    [replayId],
  );
  return rows[0]?.status;
}

interface ReplayOutcome {
  liveChecksum: string;
  replayChecksum: string;
  matches: boolean;
  casesCompared: number;
  differingCount: number;
  differingCases: DifferingCase[];
}

export async function finishReplay(db: pg.Pool, auditSchema: string, replayId: string, done: number, perSecond: number | null, o: ReplayOutcome): Promise<void> {
  await db.query(
    `UPDATE ${auditSchema}.replays SET status = 'finished', finished_at = now(), heartbeat_at = now(), events_done = $2, events_per_second = $3,
            live_checksum = $4, replay_checksum = $5, matches = $6, cases_compared = $7, differing_count = $8, differing_cases = $9
      WHERE replay_id = $1`,
    [replayId, done, perSecond, o.liveChecksum, o.replayChecksum, o.matches, o.casesCompared, o.differingCount, JSON.stringify(o.differingCases)],
  );
}

export async function endReplay(db: pg.Pool, auditSchema: string, replayId: string, status: 'cancelled' | 'failed', error: string | null): Promise<void> {
  await db.query(`UPDATE ${auditSchema}.replays SET status = $2, finished_at = now(), heartbeat_at = now(), error = $3 WHERE replay_id = $1`, [
    replayId,
    status,
    error,
  ]);
}

export async function markPromoted(db: pg.ClientBase, auditSchema: string, replayId: string): Promise<void> {
  await db.query(`UPDATE ${auditSchema}.replays SET status = 'promoted', promoted_at = now() WHERE replay_id = $1`, [replayId]);
}
