import { z } from 'zod';
import { baseConfigSchema, envInt, envPort } from '@syv/service-kit';

/** What every service with its own event store and outbox on case-events reads: the command services and the projection. */
export const eventServiceConfigSchema = baseConfigSchema.extend({
  CASE_EVENTS_TOPIC: z.string().trim().min(1).default('case-events'),
  /** The outbox relay's poll: how soon it sees commands another instance committed (its own wake it at once). */
  OUTBOX_POLL_MS: envInt(100, { min: 10, max: 60_000 }),
  DATABASE_POOL_SIZE: envInt(10, { min: 1, max: 100 }),
  /**
   * Per-area configuration (JSON; see `packages/area-config/src/default-thresholds.json`): rule
   * thresholds, the re-referral window and each area's own labelling phrases. Every service reads
   * the same file; without it every area gets the defaults. A bad file stops the service at start.
   */
  THRESHOLDS_FILE: z.string().trim().min(1).optional(),
  /**
   * Wraps every child's data key (32 bytes, base64, e.g. from `openssl rand -base64 32`); the same
   * in every service. Unset: the public development key, with a warning at start.
   */
  DATA_KEY_ENCRYPTION_KEY: z.string().trim().min(1).optional(),
  /**
   * How long a child's data key, or the news of its erasure, is kept in memory: an erasure shows in
   * every answer of every service within this bound.
   */
  DATA_KEY_CACHE_MS: envInt(60_000, { min: 1, max: 3_600_000 }),
});

/** What every command service reads from the environment. */
export function commandServiceConfigSchema(defaultPort: number) {
  return eventServiceConfigSchema.extend({
    PORT: envPort(defaultPort),
    /** How long a command about a case this service has not heard of yet waits before answering 404. */
    CASE_VIEW_WAIT_MS: envInt(3_000, { min: 0, max: 30_000 }),
    /**
     * How long a case the service holds in memory is answered from there after the table or its own
     * consumer last confirmed it: the most by which a lookup can lag the table when another instance
     * consumes that case's partition. 0 reads the table on every command.
     */
    CASE_VIEW_MEMORY_MS: envInt(1_000, { min: 0, max: 60_000 }),
    /** Most cases held in memory (oldest confirmed out first). */
    CASE_VIEW_MEMORY_ENTRIES: envInt(100_000, { min: 0, max: 10_000_000 }),
    /** How long an Idempotency-Key answers with its first result; after that the same key is a new request. 168 h = 7 days. */
    IDEMPOTENCY_RETENTION_HOURS: envInt(168, { min: 1, max: 8_760 }),
    /** How often the keys older than the retention are removed (also once at start). */
    IDEMPOTENCY_EXPIRY_INTERVAL_MS: envInt(3_600_000, { min: 1_000, max: 86_400_000 }),
  });
}
export type CommandServiceConfig = z.infer<ReturnType<typeof commandServiceConfigSchema>>;
