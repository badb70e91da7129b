import type pg from 'pg';
import { makeEvent, SOURCES } from '@syv/contracts';
import { withTransaction } from '@syv/event-store';
import { canSeeArea, problem, type AuthUser } from '@syv/service-kit';
import { alertAcknowledgedEventId } from '../outbox/ids.js';
import { appendOutgoing } from '../outbox/outgoing.js';
import { lockAlert, markAcknowledged, type AlertRow } from './store.js';

interface AcknowledgeContext {
  user: AuthUser;
  /** The action taken, in a few words. */
  note?: string | undefined;
  correlationid: string;
  causationid: string;
  now: Date;
}

/**
 * A supervisor of the area, or the worker the case is allocated to, takes the alert on: recorded on
 * the alert (with the action taken, if given) and published as alert.acknowledged in one
 * transaction. The same person asking again gets the same answer (a retried request); anyone else
 * is told who took it and when. A social worker's alerts are those of their own cases: any other
 * alert is answered as one that does not exist.
 */
export async function acknowledgeAlert(pool: pg.Pool, schema: string, alertId: string, ctx: AcknowledgeContext): Promise<AlertRow> {
  return withTransaction(pool, async (client) => {
    const alert = await lockAlert(client, schema, alertId);
    if (!alert || !canSeeArea(ctx.user, alert.area) || (ctx.user.role === 'social_worker' && alert.allocatedTo !== ctx.user.sub)) throw problem('NOT_FOUND', `There is no alert ${alertId} in your areas.`);
    if (alert.acknowledgedBy !== null) {
      if (alert.acknowledgedBy === ctx.user.sub) return alert;
      throw problem('ALERT_ALREADY_ACKNOWLEDGED', `Alert ${alertId} was acknowledged by ${alert.acknowledgedBy} at ${alert.acknowledgedAt?.toISOString()}.`, {
        extensions: { acknowledgedBy: alert.acknowledgedBy, acknowledgedAt: alert.acknowledgedAt?.toISOString() },
      });
    }
    const note = ctx.note ?? null;
    await markAcknowledged(client, schema, alertId, ctx.user.sub, ctx.now, note);
    const event = makeEvent(
      'alert.acknowledged.v1',
      {
        alertId,
        caseId: alert.caseId,
        area: alert.area,
        rule: alert.rule,
        acknowledgedBy: ctx.user.sub,
        acknowledgedAt: ctx.now.toISOString(),
        ...(note === null ? {} : { note }),
      },
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
    return { ...alert, acknowledgedBy: ctx.user.sub, acknowledgedAt: ctx.now, acknowledgementNote: note };
  });
}
