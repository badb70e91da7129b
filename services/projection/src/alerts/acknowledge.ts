import type pg from 'pg';
import { makeEvent, SOURCES } from '@syv/contracts';
import { withTransaction } from '@syv/event-store';
import { openText, sealEvent, type DataKey, type KeyStore } from '@syv/personal-data';
import { canSeeArea, problem, type AuthUser } from '@syv/service-kit';
import { alertAcknowledgedEventId } from '../outbox/ids.js';
import { appendOutgoing } from '../outbox/outgoing.js';
import { lockAlert, markAcknowledged, type AlertRow } from './store.js';

/**
 * The key a note on this alert is sealed under: the case's child's. Found before the alert is
 * locked, so no connection waits on the key store while holding the lock; undefined when the alert
 * is unknown (the transaction answers 404 then).
 */
async function noteKeyOf(pool: pg.Pool, schema: string, alertId: string, keys: KeyStore): Promise<DataKey | undefined> {
  const { rows } = await pool.query<{ area: string; child_id: string | null }>(
    `SELECT a.area, c.child_id FROM ${schema}.alerts a JOIN ${schema}.cases c ON c.case_id = a.case_id WHERE a.alert_id = $1`,
    [alertId],
  );
  const row = rows[0];
  return row?.child_id ? keys.keyFor({ area: row.area, childId: row.child_id }) : undefined;
}

/** The note as shown: opened, or erased with the child's key. The one place its sealing context is named. */
export async function acknowledgementNoteOf(alert: AlertRow, keys: KeyStore): Promise<AlertRow> {
  if (alert.acknowledgementNote === null) return alert;
  return { ...alert, acknowledgementNote: await openText(alert.acknowledgementNote, keys, { eventId: alertAcknowledgedEventId(alert.alertId), field: 'note' }) };
}

interface AcknowledgeContext {
  user: AuthUser;
  /** The action taken, in a few words. */
  note?: string | undefined;
  correlationid: string;
  causationid: string;
  now: Date;
  /** The note is about the child: sealed under their key, on the alert and on the alerts topic. */
  keys: KeyStore;
}

/**
 * A supervisor of the area, or the worker the case is allocated to, takes the alert on: recorded on
 * the alert (with the action taken, if given) and published as alert.acknowledged in one
 * transaction. The same person asking again gets the same answer (a retried request); anyone else
 * is told who took it and when. A social worker's alerts are those of their own cases: any other
 * alert is answered as one that does not exist.
 */
export async function acknowledgeAlert(pool: pg.Pool, schema: string, alertId: string, ctx: AcknowledgeContext): Promise<AlertRow> {
  const noteKey = ctx.note === undefined ? undefined : await noteKeyOf(pool, schema, alertId, ctx.keys);
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
    const written = makeEvent(
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
    if (note !== null && noteKey === undefined) throw new Error(`alert ${alertId} is on a case with no child on record: its note cannot be sealed`);
    const event = note === null || noteKey === undefined ? written : sealEvent(written, noteKey);
    await markAcknowledged(client, schema, alertId, ctx.user.sub, ctx.now, event.data.note ?? null);
    await appendOutgoing(client, schema, `alert-${alertId}`, event);
    return { ...alert, acknowledgedBy: ctx.user.sub, acknowledgedAt: ctx.now, acknowledgementNote: note };
  });
}
