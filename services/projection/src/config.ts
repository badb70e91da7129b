import { z } from 'zod';
import { eventServiceConfigSchema } from '@syv/command-service';
import { envInt, envPort } from '@syv/service-kit';

export const projectionConfigSchema = eventServiceConfigSchema.extend({
  PORT: envPort(3004),
  CASE_ALERTS_TOPIC: z.string().trim().min(1).default('case-alerts'),
  /**
   * Most case events applied in one transaction: a fetch from Kafka is applied in slices of this
   * many, each read, ruled on in memory and written back in bulk. Larger slices cost fewer
   * statements per event; a longer transaction holds back the outbox readers on the same server.
   */
  APPLY_SLICE_SIZE: envInt(1_000, { min: 1, max: 50_000 }),
  /** An audit replay's slices: its shadow schema has no outbox readers waiting on it. */
  REPLAY_SLICE_SIZE: envInt(5_000, { min: 1, max: 50_000 }),
  /** Partitions of the case-events topic this instance applies at once (each in its own order). */
  APPLY_PARTITIONS_CONCURRENTLY: envInt(2, { min: 1, max: 64 }),
  /** How often the time rules are checked against the clock, so silence is caught. */
  SWEEP_INTERVAL_MS: envInt(60_000, { min: 10, max: 86_400_000 }),
  /**
   * The sweep leaves a case alone until nothing has been recorded on it for this long: a worker
   * back-filling a case (referral first, the contact that followed a minute later) is not alerted
   * about a silence their next entry fills.
   */
  SWEEP_QUIET_MS: envInt(120_000, { min: 0, max: 86_400_000 }),
  /** A sweep round checks the cases due in pages of this many, one short transaction each, so its memory stays flat however many cases there are. */
  SWEEP_PAGE_SIZE: envInt(1_000, { min: 1, max: 100_000 }),
  /** Pages a sweep round checks at once: a round over many due cases uses more than one connection and core. */
  SWEEP_CONCURRENCY: envInt(2, { min: 1, max: 16 }),
  /** Comment lines on the alert stream keep proxies from closing an idle connection. */
  SSE_HEARTBEAT_MS: envInt(15_000, { min: 100, max: 300_000 }),
}).refine((c) => c.APPLY_PARTITIONS_CONCURRENTLY + c.SWEEP_CONCURRENCY < c.DATABASE_POOL_SIZE, {
  // The consumer's partitions and the sweep's pages each hold a connection of the one pool for a
  // transaction; the HTTP routes and the alert stream need one left, or they wait for a whole round.
  path: ['SWEEP_CONCURRENCY'],
  message: 'APPLY_PARTITIONS_CONCURRENTLY + SWEEP_CONCURRENCY must be less than DATABASE_POOL_SIZE, leaving connections for requests',
});
export type ProjectionConfig = z.infer<typeof projectionConfigSchema>;
