import type pg from 'pg';
import { raiseAlerts, type AlertCause, type RaisedAlert } from '../alerts/raise.js';
import { replaceFlags } from '../flags/case-flags.js';
import { setTimeRuleCheck } from '../read-model/cases.js';
import type { ReadModel } from '../read-model/context.js';
import { evaluateTimeRules, type CaseHistory, type Flag } from '../rules/index.js';
import { nextSweepAt } from './next-due.js';

export interface TimeCheck {
  history: CaseHistory;
  area: string;
  /** Where the time rules last saw the case; they never go back in time. */
  flagsAsOf: Date | null;
  /** The point in time this check is about: an event's domain time, or the sweep's clock. */
  at: Date;
  recordedAt: Date;
  cause: AlertCause;
}

/** What the time rules find at a check, before anything is written. */
export interface TimeRulePlan {
  asOf: Date;
  flags: Flag[];
  nextSweepAt: Date;
}

/** SLOW_START, CONTACT_GAP and LONG_WAIT at max(last check, `at`), and when to look again. */
export function planTimeRules(rm: ReadModel, c: Pick<TimeCheck, 'history' | 'area' | 'flagsAsOf' | 'at'>): TimeRulePlan {
  const asOf = c.flagsAsOf && c.flagsAsOf.getTime() > c.at.getTime() ? c.flagsAsOf : c.at;
  const thresholds = rm.thresholdsFor(c.area);
  return { asOf, flags: evaluateTimeRules(c.history, asOf, thresholds), nextSweepAt: nextSweepAt(c.history, asOf, thresholds) };
}

/**
 * The case's time flags become what holds at the plan's instant, and a flag that has just started
 * raises its alert. Run in the caller's transaction, with the case's row locked. A caller that has
 * already written the plan's `asOf` and `nextSweepAt` onto the case row (the consumer, with the
 * rest of the row) passes the plan, and they are not written again.
 */
export async function checkTimeRules(client: pg.ClientBase, rm: ReadModel, c: TimeCheck, writtenPlan?: TimeRulePlan): Promise<RaisedAlert[]> {
  const plan = writtenPlan ?? planTimeRules(rm, c);
  await replaceFlags(client, rm.schema, c.history.caseId, 'time', plan.flags, plan.asOf);
  if (!writtenPlan) await setTimeRuleCheck(client, rm.schema, c.history.caseId, plan.asOf, plan.nextSweepAt);
  return raiseAlerts(client, rm.schema, { caseId: c.history.caseId, area: c.area, flags: plan.flags, raisedAt: plan.asOf, recordedAt: c.recordedAt, cause: c.cause });
}
