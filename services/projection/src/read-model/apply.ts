import type pg from 'pg';
import type { CaseEvent } from '@syv/contracts';
import type { RaisedAlert } from '../alerts/raise.js';
import { assessClosure } from '../closure-assessment/assess.js';
import { flagLateFacts } from '../closure-assessment/late-facts.js';
import { clearFlags } from '../flags/case-flags.js';
import { flagLabellingLanguage } from '../language/flag-notes.js';
import { flagReReferralsAfterClosure, flagReReferralsOf } from '../re-referral/detect.js';
import { buildCaseHistory } from '../rules/index.js';
import { checkTimeRules, planTimeRules } from '../sweep/time-flags.js';
import { recordCaseEvent, type LogPosition } from './case-events.js';
import { caseRowOf } from './case-row.js';
import { lockCase, upsertCase } from './cases.js';
import type { ReadModel } from './context.js';
import { domainTimeOf } from './domain-time.js';
import { insertClosure, insertReferral, upsertOnwardReferral } from './facts.js';

/** Facts about the child a closure assessment weighs; closure events themselves are the saga's. */
const LATE_FACT_TYPES: ReadonlySet<CaseEvent['type']> = new Set<CaseEvent['type']>([
  'referral.received.v1',
  'onward-referral.made.v1',
  'onward-referral.started.v1',
  'intervention.logged.v1',
  'incident.recorded.v1',
  'risk.assessed.v1',
]);

export interface Applied {
  alerts: RaisedAlert[];
  /** Set when the event was a closure request: how many flags its assessment found. */
  assessment?: { closureRequestId: string; flags: number };
}

/**
 * Applies one new case event to the read model, in the consumer's transaction. The read model is a
 * function of the log: every time a rule is asked about comes from the events (their domain
 * times), never from the wall clock, so a rebuild from offset 0 ends where the live one is.
 */
export async function applyCaseEvent(client: pg.ClientBase, rm: ReadModel, event: CaseEvent, at: LogPosition): Promise<Applied> {
  const { schema } = rm;
  const caseId = event.subject;
  const before = await lockCase(client, schema, caseId);
  const events = await recordCaseEvent(client, schema, event, at);
  const history = buildCaseHistory(events, caseId);
  const row = caseRowOf(history, events);
  // The time rules at the event's domain time: their check is written with the row, their flags below.
  const domainTime = domainTimeOf(event);
  const factTime = domainTime === undefined ? undefined : new Date(domainTime);
  const timeCheck = factTime && { history, area: row.area, flagsAsOf: before?.flagsAsOf ?? null, at: factTime, recordedAt: new Date(event.time), cause: event };
  const timePlan = timeCheck && planTimeRules(rm, timeCheck);
  // A row inserted now is invisible to the sweep until this commits; one that existed is locked.
  await upsertCase(client, schema, row, timePlan);

  const alerts: RaisedAlert[] = [];
  let assessment: Applied['assessment'];
  switch (event.type) {
    case 'referral.received.v1': {
      const d = event.data;
      await insertReferral(client, schema, { referralId: d.referralId, caseId, area: d.area, childId: d.childId, receivedAt: d.receivedAt, reReferral: d.reReferral });
      alerts.push(...(await flagReReferralsOf(client, rm, events, d.area, d.childId)));
      break;
    }
    case 'onward-referral.made.v1':
      await upsertOnwardReferral(client, schema, { onwardReferralId: event.data.onwardReferralId, caseId, area: event.area, agency: event.data.agency, referredAt: event.data.referredAt });
      break;
    case 'onward-referral.started.v1':
      await upsertOnwardReferral(client, schema, { onwardReferralId: event.data.onwardReferralId, caseId, area: event.area, startedAt: event.data.startedAt });
      break;
    case 'intervention.logged.v1':
      alerts.push(...(await flagLabellingLanguage(client, rm, event, history)));
      break;
    case 'closure.requested.v1': {
      const assessed = await assessClosure(client, rm, event, history);
      alerts.push(...assessed.alerts);
      assessment = { closureRequestId: assessed.closureRequestId, flags: assessed.flags };
      break;
    }
    case 'closure.rejected.v1':
      // The supervisor kept the case open: the request's flags have been acted on.
      if (history.closureRequests.at(-1)?.closureRequestId === event.data.closureRequestId) await clearFlags(client, schema, caseId, 'closure');
      break;
    case 'case.reopened.v1':
      await clearFlags(client, schema, caseId, 'closure');
      break;
    case 'case.closed.v1': {
      const closure = history.closures.find((c) => c.eventId === event.id);
      if (closure) {
        await insertClosure(client, schema, { ...closure, area: row.area, childId: row.childId });
        if (row.childId) alerts.push(...(await flagReReferralsAfterClosure(client, rm, row.area, row.childId, closure.closedAt, caseId)));
      }
      break;
    }
    default:
      break;
  }

  if (factTime && LATE_FACT_TYPES.has(event.type)) alerts.push(...(await flagLateFacts(client, rm, event, factTime, history)));
  if (timeCheck && timePlan) alerts.push(...(await checkTimeRules(client, rm, timeCheck, timePlan)));
  return { alerts, ...(assessment ? { assessment } : {}) };
}
