import type pg from 'pg';
import { makeEvent, SOURCES } from '@syv/contracts';
import { withTransaction } from '@syv/event-store';
import { canSeeArea, defineProblems, problem, type AuthUser } from '@syv/service-kit';
import { alertAcknowledgedEventId } from '../outbox/ids.js';
import { appendOutgoing } from '../outbox/outgoing.js';
import { lockAlert, markAcknowledged, type AlertRow } from './store.js';

export const { problem: alertProblem } = defineProblems({
  ALERT_ALREADY_ACKNOWLEDGED: { status: 409, title: 'The alert was already acknowledged' },
});

export interface AcknowledgeContext {
  user: AuthUser;
  correlationid: string;
  causationid: string;
  now: Date;
}

/**
 * A supervisor takes the alert on: recorded on the alert and published as alert.acknowledged in
 * one transaction. The same supervisor asking again gets the same answer (a retried request);
 * another supervisor is told who took it and when.
 */
export async function acknowledgeAlert(pool: pg.Pool, schema: string, alertId: string, ctx: AcknowledgeContext): Promise<AlertRow> {
  return withTransaction(pool, async (client) => {
    const alert = await lockAlert(client, schema, alertId);
    if (!alert || !canSeeArea(ctx.user, alert.area)) throw problem('NOT_FOUND', `There is no alert ${alertId} in your areas.`);
    if (alert.acknowledgedBy !== null) {
      if (alert.acknowledgedBy === ctx.user.sub) return alert;
      throw alertProblem('ALERT_ALREADY_ACKNOWLEDGED', `Alert ${alertId} was acknowledged by ${alert.acknowledgedBy} at ${alert.acknowledgedAt?.toISOString()}.`, {
        extensions: { acknowledgedBy: alert.acknowledgedBy, acknowledgedAt: alert.acknowledgedAt?.toISOString() },
      });
    }
    await markAcknowledged(client, schema, alertId, ctx.user.sub, ctx.now);
    const event = makeEvent(
      'alert.acknowledged.v1',
      { alertId, caseId: alert.caseId, area: alert.area, rule: alert.rule, acknowledgedBy: ctx.user.sub, acknowledgedAt: ctx.now.toISOString() },
      {
        id: alertAcknowledgedEventId(alertId),
        source: SOURCES.projection,
        time: ctx.now,
        subject: alert.caseId,
        area: alert.area,
        correlationid: ctx.correlationid,
        causationid: ctx.causationid,
        actor: { sub: ctx.user.sub, role: ctx.user.role },
      },
    );
    await appendOutgoing(client, schema, `alert-${alertId}`, event);
    return { ...alert, acknowledgedBy: ctx.user.sub, acknowledgedAt: ctx.now };
  });
}
