import type pg from 'pg';
import { makeEvent, SOURCES, type Flag as ContractFlag } from '@syv/contracts';
import { alertIdOf, alertRaisedEventId } from '../outbox/ids.js';
import { appendOutgoing, SYSTEM_ACTOR } from '../outbox/outgoing.js';
import type { Flag } from '../rules/index.js';

/** The event an alert is attributed to: its correlation is followed, its id is the causation. */
export interface AlertCause {
  id: string;
  correlationid: string;
}

export interface RaiseAlerts {
  caseId: string;
  area: string;
  flags: readonly Flag[];
  /** The point in time the rules were evaluated at when the flags fired. */
  raisedAt: Date;
  /** CloudEvents `time` of the alert events: the cause's, or the sweep's clock. */
  recordedAt: Date;
  cause: AlertCause;
}

export interface RaisedAlert {
  alertId: string;
  caseId: string;
  rule: string;
}

export function alertKeyOf(caseId: string, flag: Pick<Flag, 'key'>): string {
  return `${caseId}:${flag.key}`;
}

export function contractFlag(flag: Flag): ContractFlag {
  return { rule: flag.rule, severity: flag.severity, explanation: flag.explanation, evidence: flag.evidence };
}

/**
 * Raises an alert for each flag whose key has none yet: the unique key is what makes an alert be
 * raised once when a flag starts, not on every sweep, and the same once again on a replay. A
 * concurrent raiser of the same key waits on the row and then does nothing.
 */
export async function raiseAlerts(client: pg.ClientBase, schema: string, r: RaiseAlerts): Promise<RaisedAlert[]> {
  const raised: RaisedAlert[] = [];
  for (const flag of r.flags) {
    const key = alertKeyOf(r.caseId, flag);
    const alertId = alertIdOf(key);
    const { rowCount } = await client.query(
      `INSERT INTO ${schema}.alerts (alert_id, alert_key, case_id, area, rule, severity, explanation, evidence, raised_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (alert_key) DO NOTHING`,
      [alertId, key, r.caseId, r.area, flag.rule, flag.severity, flag.explanation, flag.evidence, r.raisedAt],
    );
    if (rowCount !== 1) continue;
    const event = makeEvent(
      'alert.raised.v1',
      { alertId, caseId: r.caseId, area: r.area, rule: flag.rule, severity: flag.severity, explanation: flag.explanation, evidence: flag.evidence, raisedAt: r.raisedAt.toISOString() },
      {
        id: alertRaisedEventId(alertId),
        source: SOURCES.projection,
        time: r.recordedAt,
        subject: r.caseId,
        area: r.area,
        correlationid: r.cause.correlationid,
        causationid: r.cause.id,
        actor: SYSTEM_ACTOR,
      },
    );
    await appendOutgoing(client, schema, `alert-${alertId}`, event);
    raised.push({ alertId, caseId: r.caseId, rule: flag.rule });
  }
  return raised;
}
