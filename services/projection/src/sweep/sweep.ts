import type pg from 'pg';
import type { Logger } from 'pino';
import { withTransaction } from '@syv/event-store';
import type { RaisedAlert } from '../alerts/raise.js';
import { loadCaseEvents } from '../read-model/case-events.js';
import { casesToSweep, lockCase } from '../read-model/cases.js';
import type { ReadModel } from '../read-model/context.js';
import { buildCaseHistory } from '../rules/index.js';
import { checkTimeRules } from './time-flags.js';

export type Clock = () => Date;

export interface SweepOptions {
  pool: pg.Pool;
  readModel: ReadModel;
  /** Replaceable so tests can move time on; the wall clock in production. */
  clock: Clock;
  intervalMs: number;
  quietMs: number;
  /** Case ids read per page of a round (default 5,000). */
  pageSize?: number;
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
  /** Cases looked at; undefined when another instance held the sweep. */
  cases: number;
  alerts: RaisedAlert[];
}

export interface Sweep {
  /** One sweep now, at the clock's time; resolves with what it found (or undefined if another instance is sweeping). */
  runOnce(): Promise<SweepResult | undefined>;
  stop(): Promise<void>;
  readonly metrics: { runs: number; failures: number; lastRunAt: Date | undefined; alertsRaised: number };
}

/**
 * The time rules fire when nothing happens, so something other than an event must ask: every
 * interval, each open case that has been quiet is checked at the clock's time. Instances share the
 * work by not sharing it: a session advisory lock lets one sweep at a time, and the case row lock
 * keeps a sweep and the consumer from writing one case at once.
 */
export function startSweep(opts: SweepOptions): Sweep {
  const { pool, readModel: rm, clock, logger } = opts;
  const metrics: Sweep['metrics'] = { runs: 0, failures: 0, lastRunAt: undefined, alertsRaised: 0 };
  const lockName = `${rm.schema}.time-rule-sweep`;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function sweepCase(caseId: string, asOf: Date, quietSince: Date): Promise<RaisedAlert[]> {
    return withTransaction(pool, async (client) => {
      const locked = await lockCase(client, rm.schema, caseId);
      // Recorded on, closed or already looked at since the list was made: leave it to the next round.
      if (!locked || locked.status !== 'open' || locked.lastRecordedAt > quietSince) return [];
      if (locked.flagsAsOf && locked.flagsAsOf >= asOf) return [];
      const events = await loadCaseEvents(client, rm.schema, caseId);
      const cause = events.at(-1);
      if (!cause) return [];
      return checkTimeRules(client, rm, { history: buildCaseHistory(events, caseId), area: locked.area, flagsAsOf: locked.flagsAsOf, at: asOf, recordedAt: asOf, cause });
    });
  }

  async function sweepOnce(): Promise<SweepResult | undefined> {
    const lockClient = await pool.connect();
    let released = false;
    try {
      const { rows } = await lockClient.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [lockName]);
      if (!rows[0]?.got) return undefined;
      try {
        const asOf = clock();
        const quietSince = new Date(asOf.getTime() - opts.quietMs);
        const alerts: RaisedAlert[] = [];
        let cases = 0;
        for (let after: string | null = null; !stopped; ) {
          const page = await casesToSweep(pool, rm.schema, asOf, quietSince, after, opts.pageSize);
          if (page.length === 0) break;
          for (const caseId of page) {
            if (stopped) break;
            alerts.push(...(await sweepCase(caseId, asOf, quietSince)));
          }
          cases += page.length;
          after = page.at(-1)!;
        }
        metrics.runs++;
        metrics.lastRunAt = asOf;
        metrics.alertsRaised += alerts.length;
        if (alerts.length > 0) logger.info({ asOf, cases, raised: alerts.length, alerts: alerts.slice(0, 20).map((a) => a.alertId) }, 'sweep raised alerts');
        return { asOf, cases, alerts };
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
