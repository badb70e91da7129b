import type pg from 'pg';
import type { CaseEvent } from '@syv/contracts';
import { raiseAlerts, type RaisedAlert } from '../alerts/raise.js';
import { addFlags } from '../flags/case-flags.js';
import type { ReadModel } from '../read-model/context.js';
import { evaluateClosure, type CaseHistory } from '../rules/index.js';

/** Assessed already, and not since rejected by a supervisor (whose decision dealt with the flags). */
async function assessedAndStanding(client: pg.ClientBase, schema: string, caseId: string, closureRequestId: string): Promise<boolean> {
  const { rows } = await client.query<{ assessed: boolean; rejected: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${schema}.closure_assessments WHERE closure_request_id = $2) AS assessed,
            EXISTS (SELECT 1 FROM ${schema}.case_events WHERE case_id = $1 AND type = 'closure.rejected.v1'
                       AND envelope->'data'->>'closureRequestId' = $2::text) AS rejected`,
    [caseId, closureRequestId],
  );
  return rows[0]?.assessed === true && rows[0].rejected === false;
}

/**
 * A fact dated before a closure request that reaches the projection after the request was
 * assessed: each service publishes through its own outbox, so an incident recorded a moment
 * before the closure request can arrive after it. The assessment already published stands (the
 * saga has moved on), but a flag it missed is added to the case and alerted, so a supervisor
 * sees what the closure overlooked.
 */
export async function flagLateFacts(client: pg.ClientBase, rm: ReadModel, event: CaseEvent, domainTime: Date, history: CaseHistory): Promise<RaisedAlert[]> {
  const request = history.closureRequests.at(-1);
  if (!request || domainTime.getTime() > request.requestedAt.getTime()) return [];
  if (history.reopenings.some((r) => r.reopenedAt.getTime() >= request.requestedAt.getTime())) return [];
  if (!(await assessedAndStanding(client, rm.schema, history.caseId, request.closureRequestId))) return [];
  const flags = evaluateClosure(history, request.closureRequestId, rm.thresholdsFor(event.area));
  if (flags.length === 0) return [];
  await addFlags(client, rm.schema, history.caseId, 'closure', flags, request.requestedAt);
  return raiseAlerts(client, rm.schema, { caseId: history.caseId, area: event.area, flags, raisedAt: request.requestedAt, recordedAt: new Date(event.time), cause: event });
}
