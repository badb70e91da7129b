import type pg from 'pg';
import { raiseAlerts, type AlertCause, type RaisedAlert } from '../alerts/raise.js';
import { replaceFlags } from '../flags/case-flags.js';
import { setTimeRuleCheck } from '../read-model/cases.js';
import type { ReadModel } from '../read-model/context.js';
import { evaluateTimeRules, type CaseHistory } from '../rules/index.js';
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

/**
 * SLOW_START, CONTACT_GAP and LONG_WAIT at max(last check, `at`): the case's time flags become
 * what holds then, and a flag that has just started raises its alert. Run in the caller's
 * transaction, with the case's row locked.
 */
export async function checkTimeRules(client: pg.ClientBase, rm: ReadModel, c: TimeCheck): Promise<RaisedAlert[]> {
  const asOf = c.flagsAsOf && c.flagsAsOf.getTime() > c.at.getTime() ? c.flagsAsOf : c.at;
  const thresholds = rm.thresholdsFor(c.area);
  const flags = evaluateTimeRules(c.history, asOf, thresholds);
  await replaceFlags(client, rm.schema, c.history.caseId, 'time', flags, asOf);
  await setTimeRuleCheck(client, rm.schema, c.history.caseId, asOf, nextSweepAt(c.history, asOf, thresholds));
  return raiseAlerts(client, rm.schema, { caseId: c.history.caseId, area: c.area, flags, raisedAt: asOf, recordedAt: c.recordedAt, cause: c.cause });
}
