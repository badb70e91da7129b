import type pg from 'pg';
import type { RuleId, Severity } from '@syv/contracts';

export interface AlertRow {
  alertId: string;
  caseId: string;
  area: string;
  rule: RuleId;
  severity: Severity;
  explanation: string;
  evidence: string[];
  raisedAt: Date;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
}

interface Row {
  alert_id: string;
  case_id: string;
  area: string;
  rule: string;
  severity: string;
  explanation: string;
  evidence: string[];
  raised_at: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}

const columns = 'alert_id, case_id, area, rule, severity, explanation, evidence, raised_at, acknowledged_by, acknowledged_at';

function fromRow(r: Row): AlertRow {
  return {
    alertId: r.alert_id,
    caseId: r.case_id,
    area: r.area,
    // Written by raiseAlerts from the rules' own flags, so they are known ids and levels.
    rule: r.rule as RuleId,
    severity: r.severity as Severity,
    explanation: r.explanation,
    evidence: r.evidence,
    raisedAt: r.raised_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
  };
}

export interface AlertFilter {
  areas: readonly string[];
  status?: 'open' | 'acknowledged' | undefined;
  caseId?: string | undefined;
  limit: number;
  offset: number;
}

export async function listAlerts(db: pg.Pool, schema: string, f: AlertFilter): Promise<AlertRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${columns} FROM ${schema}.alerts
      WHERE area = ANY($1::text[])
        AND ($2::text IS NULL OR ($2 = 'open') = (acknowledged_at IS NULL))
        AND ($3::uuid IS NULL OR case_id = $3)
      ORDER BY raised_at DESC, alert_id LIMIT $4 OFFSET $5`,
    [f.areas, f.status ?? null, f.caseId ?? null, f.limit, f.offset],
  );
  return rows.map(fromRow);
}

export async function lockAlert(client: pg.ClientBase, schema: string, alertId: string): Promise<AlertRow | undefined> {
  const { rows } = await client.query<Row>(`SELECT ${columns} FROM ${schema}.alerts WHERE alert_id = $1 FOR UPDATE`, [alertId]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

export async function markAcknowledged(client: pg.ClientBase, schema: string, alertId: string, by: string, at: Date): Promise<void> {
  await client.query(`UPDATE ${schema}.alerts SET acknowledged_by = $2, acknowledged_at = $3 WHERE alert_id = $1`, [alertId, by, at]);
}
