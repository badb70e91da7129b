import { systemContext, type CommandService } from '@syv/command-service';
import { isProblem } from '@syv/service-kit';
import { eraseChild } from '../erasure/erase.js';
import type { CaseRow } from '@syv/case-view';
import { retentionSchedule, type RetentionItem } from './due.js';
import { areasWithCases, scheduleOf } from './store.js';

/** The actor of the erasures the retention job records (role `system`). */
export const RETENTION_ACTOR = 'referral-retention';
/** How many of the children falling due next a round logs. */
const NEXT_LOGGED = 5;

export interface RetentionRound {
  erased: { childId: string; area: string; cases: string[] }[];
  failed: { childId: string; area: string }[];
  next: RetentionItem[];
}

/**
 * Why a child is no longer due, read again from the cases just before the erasure (a case reopened
 * or a referral arrived since the round's schedule was read), or undefined when still due.
 */
export function stillDue(cases: readonly CaseRow[], years: number, now: Date): string | undefined {
  const due = retentionSchedule({ cases: cases.map((c) => ({ caseId: c.caseId, childId: c.childId, area: c.area, status: c.status, ...(c.closedAt ? { closedAt: c.closedAt } : {}) })), erasedCases: new Set(), yearsFor: () => years, now }).due;
  return due.length === 1 ? undefined : 'the child has an open case, or was referred again, since the retention round read the cases';
}

const yearsText = (n: number) => (n === 1 ? '1 year' : `${n} years`);

/**
 * One round at `now`: erases every child due, through the same erasure as a data protection
 * officer's, with the legal basis `retention_period_ended`. Only one instance works at a time (a
 * session advisory lock): another instance's round answers undefined and does nothing. A child
 * whose erasure fails is logged and left for the next round; the others go on.
 */
export async function runRetention(service: CommandService, now: Date): Promise<RetentionRound | undefined> {
  const { pool, schema } = service.store;
  const lockName = `syv:retention:${schema}`;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS got', [lockName]);
    if (!rows[0]?.got) {
      service.logger.info('retention: another instance is running a round; this one skips');
      return undefined;
    }
    try {
      // Closures and reopenings reach this view over Kafka: a view not caught up could show a
      // reopened case as closed. No round then; the next one will find it joined.
      if (service.caseViewBehind()) {
        service.logger.info('retention: the case view is not caught up yet; this round is skipped');
        return undefined;
      }
      const schedule = await scheduleOf(service, await areasWithCases(service), now);
      const round: RetentionRound = { erased: [], failed: [], next: schedule.upcoming.slice(0, NEXT_LOGGED) };
      for (const child of schedule.due) {
        const years = service.rulesFor(child.area).thresholds.retentionYearsAfterClosure;
        try {
          const answer = await eraseChild(
            service,
            { childId: child.childId, area: child.area, legalBasis: 'retention_period_ended', reason: `retention period of ${yearsText(years)} after the last closure ended` },
            { ctx: systemContext(RETENTION_ACTOR, now), unlessNo: (cases) => stillDue(cases, years, now) },
          );
          round.erased.push({ childId: child.childId, area: child.area, cases: answer.body.cases });
        } catch (err) {
          round.failed.push({ childId: child.childId, area: child.area });
          service.logger.warn({ err: isProblem(err) ? { code: err.code } : err, childId: child.childId, area: child.area }, 'retention: erasing a child failed; the next round tries again');
        }
      }
      service.logger.info(
        { asOf: now.toISOString(), erased: round.erased, failed: round.failed, next: round.next.map((n) => ({ childId: n.childId, area: n.area, dueSince: n.dueSince })) },
        `retention: ${round.erased.length} children erased`,
      );
      return round;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockName]).catch((err: unknown) => {
        // The session is broken; ending it frees the lock.
        broken = err instanceof Error ? err : new Error(String(err));
      });
    }
  } finally {
    client.release(broken);
  }
}

export interface RetentionJob {
  /** No further rounds; waits for one in progress. */
  stop(): Promise<void>;
}

/**
 * Runs a round once at start, then every `intervalMs` (0: never, not even at start). A failed
 * round is logged and the next one tries again.
 */
export function startRetention(service: CommandService, opts: { intervalMs: number; now?: () => Date }): RetentionJob {
  if (opts.intervalMs === 0) {
    service.logger.warn('retention job disabled (RETENTION_INTERVAL_MS=0): no child is erased when their retention period ends');
    return { stop: async () => undefined };
  }
  const now = opts.now ?? (() => new Date());
  let running: Promise<unknown> | undefined;
  const round = () => {
    running ??= runRetention(service, now())
      .catch((err: unknown) => service.logger.warn({ err }, 'retention round failed; the next round tries again'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(round, opts.intervalMs);
  // Never what keeps the process alive.
  timer.unref();
  round();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
