import type pg from 'pg';
import type { Logger } from 'pino';
import { withTransaction } from '@syv/event-store';
import { lockDueCases, recheckAndWrite } from '../read-model/cases.js';
import type { ReadModel } from '../read-model/context.js';

interface RaisedAlert {
  alertId: string;
  caseId: string;
  rule: string;
}

export type Clock = () => Date;

interface SweepOptions {
  pool: pg.Pool;
  readModel: ReadModel;
  /** Replaceable so tests can move time on; the wall clock in production. */
  clock: Clock;
  intervalMs: number;
  quietMs: number;
  /** Cases checked per transaction of a round (default 1,000). */
  pageSize?: number;
  /** Pages checked at once (default 1). */
  concurrency?: number;
  /** After each page, with the cases checked so far in the round (progress of a long round). */
  onPage?: (cases: number) => void;
  logger: Logger;
  /**
   * The periodic rounds wait while this says the consumer is behind: a case whose later events are
   * still in Kafka would be judged at today's date on a history that is not today's, raising alerts a
   * rebuild in log order never raises (seen in the 100,000-event replay benchmark: 262 cases).
   */
  caughtUp?: () => boolean;
}

export interface SweepResult {
  asOf: Date;
  /** Cases looked at. */
  cases: number;
  /** Alerts raised, and the first few of them (a round's memory does not grow with its alerts). */
  raised: number;
  firstAlerts: RaisedAlert[];
}

const MOST_NAMED = 20;

export interface Sweep {
  /** One sweep now, at the clock's time; resolves with what it found (or undefined if another instance is sweeping). */
  runOnce(): Promise<SweepResult | undefined>;
  stop(): Promise<void>;
  readonly metrics: { runs: number; failures: number; lastRunAt: Date | undefined; alertsRaised: number; lastRound: { cases: number; seconds: number } | undefined };
}

/**
 * The time rules fire when nothing happens, so something other than an event must ask: every
 * interval, each open case that has been quiet is checked at the clock's time. Instances share the
 * work by not sharing it: a session advisory lock lets one sweep at a time, and the case row lock
 * keeps a sweep and the consumer from writing one case at once.
 */
export function startSweep(opts: SweepOptions): Sweep {
  const { pool, readModel: rm, clock, logger } = opts;
  const metrics: Sweep['metrics'] = { runs: 0, failures: 0, lastRunAt: undefined, alertsRaised: 0, lastRound: undefined };
  const lockName = `${rm.schema}.time-rule-sweep`;
  const pageSize = opts.pageSize ?? 1_000;
  const concurrency = opts.concurrency ?? 1;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function sweepOnce(): Promise<SweepResult | undefined> {
    const lockClient = await pool.connect();
    let released = false;
    try {
      const { rows } = await lockClient.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [lockName]);
      if (!rows[0]?.got) return undefined;
      try {
        const asOf = clock();
        const roundStarted = Date.now();
        const quietSince = new Date(asOf.getTime() - opts.quietMs);
        let raised = 0;
        const firstAlerts: RaisedAlert[] = [];
        let cases = 0;
        // Each page is one short transaction; a case checked moves its next_sweep_at past asOf and
        // leaves the due set, so a worker is done when a page comes back empty. Workers take
        // different pages: each skips the rows another has locked.
        const worker = async () => {
          let previous = new Set<string>();
          while (!stopped) {
            const page = await withTransaction(pool, async (client) => {
              const due = await lockDueCases(client, rm.schema, asOf, quietSince, pageSize);
              return { ids: due.map((d) => d.caseId), raised: await recheckAndWrite(client, rm, due.map((state) => ({ state, at: asOf }))) };
            });
            if (page.ids.length === 0) return;
            if (page.ids.some((id) => previous.has(id))) {
              // Cannot happen while the rules schedule the next look after asOf; never loop on it.
              logger.error({ asOf, caseIds: page.ids.filter((id) => previous.has(id)).slice(0, 20) }, 'sweep saw cases again in one round; the round ends here');
              return;
            }
            previous = new Set(page.ids);
            cases += page.ids.length;
            raised += page.raised.length;
            for (const a of page.raised.slice(0, MOST_NAMED - firstAlerts.length)) firstAlerts.push({ alertId: a.alertId, caseId: a.caseId, rule: a.flag.rule });
            opts.onPage?.(cases);
          }
        };
        await Promise.all(Array.from({ length: concurrency }, worker));
        metrics.runs++;
        metrics.lastRunAt = asOf;
        metrics.lastRound = { cases, seconds: (Date.now() - roundStarted) / 1000 };
        metrics.alertsRaised += raised;
        if (raised > 0) logger.info({ asOf, cases, raised, alerts: firstAlerts.map((a) => a.alertId) }, 'sweep raised alerts');
        return { asOf, cases, raised, firstAlerts };
      } finally {
        await lockClient.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]).catch((err: unknown) => {
          // The session is broken; ending it frees the lock.
          released = true;
          lockClient.release(err instanceof Error ? err : new Error(String(err)));
        });
      }
    } finally {
      if (!released) lockClient.release();
    }
  }

  let busy = false;
  function runOnce(): Promise<SweepResult | undefined> {
    // One round at a time within the instance: asked for during a round, it runs after it.
    const round = (running ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        busy = true;
        try {
          return await sweepOnce();
        } finally {
          busy = false;
        }
      });
    running = round;
    return round;
  }

  const timer = setInterval(() => {
    // A round slower than the interval is not queued behind by every tick.
    if (busy || stopped) return;
    if (opts.caughtUp && !opts.caughtUp()) {
      logger.debug('time-rule sweep skipped: the case-events consumer is catching up');
      return;
    }
    runOnce().catch((err: unknown) => {
      metrics.failures++;
      logger.warn({ err }, 'time-rule sweep failed; the next round tries again');
    });
  }, opts.intervalMs);
  timer.unref();

  return {
    runOnce,
    metrics,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
