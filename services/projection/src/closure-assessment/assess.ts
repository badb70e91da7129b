import type pg from 'pg';
import { causedBy, makeEvent, SOURCES, type EventOf } from '@syv/contracts';
import { contractFlag, raiseAlerts, type RaisedAlert } from '../alerts/raise.js';
import { replaceFlags } from '../flags/case-flags.js';
import { closureAssessedEventId } from '../outbox/ids.js';
import { appendOutgoing, SYSTEM_ACTOR } from '../outbox/outgoing.js';
import type { ReadModel } from '../read-model/context.js';
import { insertClosureAssessment } from '../read-model/facts.js';
import { evaluateClosure, type CaseHistory } from '../rules/index.js';

export interface Assessment {
  closureRequestId: string;
  flags: number;
  alerts: RaisedAlert[];
}

/**
 * The saga's middle step: the closure rules on the case as it stood at the request, published as
 * closure.assessed for case-closure to close or hold, and each flag alerted to the area's
 * supervisors. Everything derives from the request, so a replay publishes the same event (same
 * id, same assessedAt) and the event store keeps the first.
 */
export async function assessClosure(client: pg.ClientBase, rm: ReadModel, request: EventOf<'closure.requested.v1'>, history: CaseHistory): Promise<Assessment> {
  const { closureRequestId, caseId, requestedAt } = request.data;
  const flags = evaluateClosure(history, closureRequestId, rm.thresholdsFor(request.area));
  const published = flags.map(contractFlag);
  await insertClosureAssessment(client, rm.schema, { closureRequestId, caseId, area: request.area, flags: published, assessedAt: requestedAt });
  const assessed = makeEvent(
    'closure.assessed.v1',
    { closureRequestId, caseId, flags: published, assessedAt: requestedAt },
    { id: closureAssessedEventId(closureRequestId), source: SOURCES.projection, time: request.time, ...causedBy(request), actor: SYSTEM_ACTOR },
  );
  await appendOutgoing(client, rm.schema, `closure-assessment-${closureRequestId}`, assessed);
  const at = new Date(requestedAt);
  await replaceFlags(client, rm.schema, caseId, 'closure', flags, at);
  const alerts = await raiseAlerts(client, rm.schema, { caseId, area: request.area, flags, raisedAt: at, recordedAt: new Date(request.time), cause: request });
  return { closureRequestId, flags: flags.length, alerts };
}
