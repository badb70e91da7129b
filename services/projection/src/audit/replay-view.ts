import { z } from 'zod';
import type { ReplayRow } from './replay-store.js';

// A replay as the audit routes show it. The schema is the routes' response schema; the type is
// inferred from it once, for the routes, the audit CLI and the tests that read replays.

export const replayView = z.object({
  replayId: z.uuid(),
  status: z.enum(['running', 'cancelling', 'cancelled', 'finished', 'failed', 'promoted']),
  requestedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  eventsDone: z.number().int(),
  eventsTotal: z.number().int().describe('Offsets up to where the live read model had applied when the replay started.'),
  percent: z.number(),
  eventsPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  targets: z.array(z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() })).describe('The log prefix rebuilt and compared (exclusive end offsets).'),
  highWatermarks: z.array(z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() })),
  faultInjection: z.string().nullable(),
  checksums: z.object({ live: z.string(), replay: z.string() }).nullable(),
  matches: z.boolean().nullable(),
  casesCompared: z.number().int().nullable(),
  differingCount: z.number().int().nullable(),
  differingCases: z
    .array(z.object({ caseId: z.string(), tables: z.array(z.string()) }))
    .describe('Of the first 100 differing cases by id, those in your areas. A replay rebuilds every area; `differingCount` counts them all, ids elsewhere are not shown.'),
  error: z.string().nullable(),
  promotedAt: z.string().nullable(),
});

export type ReplayView = z.infer<typeof replayView>;

/** A replay as the API shows it: progress, rate and time left, and once finished what it proved. */
export function viewOf(r: ReplayRow): ReplayView {
  const rate = r.eventsPerSecond;
  const left = Math.max(0, r.eventsTotal - r.eventsDone);
  const active = r.status === 'running' || r.status === 'cancelling';
  return {
    replayId: r.replayId,
    status: r.status,
    requestedBy: r.requestedBy,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    eventsDone: r.eventsDone,
    eventsTotal: r.eventsTotal,
    percent: r.eventsTotal === 0 ? 100 : Math.min(100, Math.round((1000 * r.eventsDone) / r.eventsTotal) / 10),
    eventsPerSecond: rate === null ? null : Math.round(rate),
    etaSeconds: active && rate && rate > 0 ? Math.ceil(left / rate) : active ? null : 0,
    targets: r.targets,
    highWatermarks: r.highWatermarks,
    faultInjection: r.faultInjection,
    checksums: r.liveChecksum && r.replayChecksum ? { live: r.liveChecksum, replay: r.replayChecksum } : null,
    matches: r.matches,
    casesCompared: r.casesCompared,
    differingCount: r.differingCount,
    differingCases: r.differingCases ?? [],
    error: r.error,
    promotedAt: r.promotedAt?.toISOString() ?? null,
  };
}
