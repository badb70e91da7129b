import { evaluateTimeRules, type Flag } from '../rules/index.js';
import type { Thresholds } from '@syv/area-config';
import { alertCandidates, type AlertCandidate, type AlertCause } from './alerts.js';
import { areaOf } from './case-row.js';
import { flagChanges, replaceFlags, type CaseState, type FlagChanges } from './case-state.js';
import { nextSweepAt } from './next-due.js';

/** What the time rules find at a check, before anything is written. */
interface TimeRulePlan {
  asOf: Date;
  flags: Flag[];
  nextSweepAt: Date;
}

/** SLOW_START, CONTACT_GAP and LONG_WAIT at max(last check, `at`), and when to look again: they never go back in time. */
function planTimeRules(state: CaseState, at: Date, thresholds: Thresholds): TimeRulePlan {
  const asOf = state.flagsAsOf && state.flagsAsOf.getTime() > at.getTime() ? state.flagsAsOf : at;
  const history = state.facts.history;
  return { asOf, flags: evaluateTimeRules(history, asOf, thresholds), nextSweepAt: nextSweepAt(history, asOf, thresholds) };
}

/**
 * The time rules asked at `at` (an event's domain time, or the sweep's clock): the case's time
 * flags become what holds then, the check moves forward, and each flag that holds is a candidate
 * alert (raised once, when its key is new).
 */
export function checkTimeRules(state: CaseState, at: Date, recordedAt: Date, cause: AlertCause, thresholds: Thresholds): { state: CaseState; alerts: AlertCandidate[] } {
  const plan = planTimeRules(state, at, thresholds);
  // A flag the case has already was alerted when it started: only the new ones are candidates.
  const started = plan.flags.filter((f) => !state.flags.some((had) => had.key === f.key));
  return {
    state: { ...state, flags: replaceFlags(state.flags, 'time', plan.flags, plan.asOf), flagsAsOf: plan.asOf, nextSweepAt: plan.nextSweepAt },
    alerts: alertCandidates({ caseId: state.caseId, area: areaOf(state), flags: started, raisedAt: plan.asOf, recordedAt, cause }),
  };
}

/** Cases the time rules look at again without an event (the sweep's clock, or a replay's alignment), pure. */
export function recheckCases(checks: readonly { state: CaseState; at: Date }[], thresholdsFor: (area: string) => Thresholds): { states: CaseState[]; flagChanges: FlagChanges; alerts: AlertCandidate[] } {
  const out = { states: [] as CaseState[], flagChanges: { removed: [], upserted: [] } as FlagChanges, alerts: [] as AlertCandidate[] };
  for (const { state, at } of checks) {
    const checked = checkTimeRules(state, at, at, state.last, thresholdsFor(areaOf(state)));
    out.states.push(checked.state);
    flagChanges(state.caseId, state.flags, checked.state.flags, out.flagChanges);
    out.alerts.push(...checked.alerts);
  }
  return out;
}
