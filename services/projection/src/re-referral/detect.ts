import type pg from 'pg';
import type { CaseEvent } from '@syv/contracts';
import { raiseAlerts, type RaisedAlert } from '../alerts/raise.js';
import { addFlags } from '../flags/case-flags.js';
import { loadCaseEvents } from '../read-model/case-events.js';
import type { ReadModel } from '../read-model/context.js';
import { casesReferredSince, closuresOfChild, markReReferral } from '../read-model/facts.js';
import { buildCaseHistory, evaluateRereferral } from '../rules/index.js';

/**
 * REREFERRAL_AFTER_CLOSURE for one case's referrals against the child's closures in the area. The
 * flag and its alert belong to the earlier case, whose closure they question. The alert is
 * attributed to the new referral whichever arrived last, so it reads the same in any order.
 */
export async function flagReReferralsOf(client: pg.ClientBase, rm: ReadModel, events: readonly CaseEvent[], area: string, childId: string): Promise<RaisedAlert[]> {
  const history = buildCaseHistory(events);
  const closures = await closuresOfChild(client, rm.schema, area, childId);
  if (closures.length === 0) return [];
  const raised: RaisedAlert[] = [];
  for (const flag of evaluateRereferral(history, closures, rm.thresholdsFor(area))) {
    const [closureEventId, referralEventId] = flag.evidence;
    const closure = closures.find((c) => c.eventId === closureEventId);
    const referral = history.referrals.find((r) => r.eventId === referralEventId);
    const cause = events.find((e) => e.id === referralEventId);
    if (!closure || !referral || !cause) throw new Error(`re-referral flag ${flag.key} names evidence that is not in the log`);
    await addFlags(client, rm.schema, closure.caseId, 'rereferral', [flag], referral.receivedAt);
    await markReReferral(client, rm.schema, referral.referralId);
    raised.push(
      ...(await raiseAlerts(client, rm.schema, { caseId: closure.caseId, area, flags: [flag], raisedAt: referral.receivedAt, recordedAt: new Date(cause.time), cause })),
    );
  }
  return raised;
}

/**
 * The other way round: a closure that reaches the projection after a later referral of the same
 * child (their cases sit on different partitions, so either may come first).
 */
export async function flagReReferralsAfterClosure(client: pg.ClientBase, rm: ReadModel, area: string, childId: string, closedAt: Date, caseId: string): Promise<RaisedAlert[]> {
  const raised: RaisedAlert[] = [];
  for (const other of await casesReferredSince(client, rm.schema, area, childId, closedAt, caseId)) {
    raised.push(...(await flagReReferralsOf(client, rm, await loadCaseEvents(client, rm.schema, other), area, childId)));
  }
  return raised;
}
