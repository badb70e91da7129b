export { guardPool, withTransaction, type Db, type Queryable } from './db.js';
export type { ExpectedVersion, LogCheckpoint, NewEvent, RecordedEvent } from './types.js';
export { assertSchemaName, eventsChannel } from './schema-name.js';
export {
  migrate,
  eventStoreMigrations,
  planMigrations,
  migrationChecksum,
  DEFAULT_COMPONENT,
  type MigrateResult,
  type Migration,
  type AppliedMigration,
  type MigrationPlan,
} from './migrations/index.js';
export { appendToStream, isAppendRace, type AnswerToRecord, type AppendResult, type RecordedAnswer, type VersionConflict } from './append.js';
export { announceAppend, onAppend } from './append-signal.js';
export { appendNewStreams } from './append-new-streams.js';
export { readStream, type StreamRead } from './read-stream.js';
export { readEvent } from './read-event.js';
export {
  runCommand,
  type AppendSuccess,
  type CommandDecision,
  type RunCommandError,
  type RunCommandOptions,
  type RunCommandResult,
} from './run-command.js';
export { readAllBatch, lastCommittedCheckpoint, countAfter, type LogBatch } from './read-all.js';
export { compareCheckpoints, startOfLog } from './checkpoint-order.js';
export { loadCheckpoint, storeCheckpoint } from './checkpoints.js';
export { outboxShutdownSteps, startOutboxRelay, type OutboxRelay, type OutboxRelayMetrics, type OutboxRelayOptions } from './outbox-relay.js';
export {
  findIdempotent,
  saveIdempotent,
  matchIdempotent,
  deleteIdempotentBefore,
  type IdempotencyMatch,
  type IdempotencyRecord,
} from './idempotency.js';
export { requestHash } from './request-hash.js';
export { backoffDelay } from './backoff.js';
