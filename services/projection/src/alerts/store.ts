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
  acknowledgementNote: string | null;
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
  acknowledgement_note: string | null;
}

const columns = 'alert_id, case_id, area, rule, severity, explanation, evidence, raised_at, acknowledged_by, acknowledged_at, acknowledgement_note';

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
    acknowledgementNote: r.acknowledgement_note,
  };
}

interface AlertFilter {
  areas: readonly string[];
  status?: 'open' | 'acknowledged' | undefined;
  caseId?: string | undefined;
  /** Only the alerts of cases allocated to this worker. */
  allocatedTo?: string | undefined;
  limit: number;
  offset: number;
}

export async function listAlerts(db: pg.Pool, schema: string, f: AlertFilter): Promise<AlertRow[]> {
  const { rows } = await db.query<Row>(
    `SELECT ${columns} FROM ${schema}.alerts
      WHERE area = ANY($1::text[])
        AND ($2::text IS NULL OR ($2 = 'open') = (acknowledged_at IS NULL))
        AND ($3::uuid IS NULL OR case_id = $3)
        AND ($6::text IS NULL OR case_id IN (SELECT case_id FROM ${schema}.cases WHERE allocated_to = $6))
      ORDER BY raised_at DESC, alert_id LIMIT $4 OFFSET $5`,
    [f.areas, f.status ?? null, f.caseId ?? null, f.limit, f.offset, f.allocatedTo ?? null],
  );
  return rows.map(fromRow);
}

/** The alert, locked, with the worker its case is allocated to now. */
export async function lockAlert(client: pg.ClientBase, schema: string, alertId: string): Promise<(AlertRow & { allocatedTo: string | null }) | undefined> {
  const { rows } = await client.query<Row & { allocated_to: string | null }>(
    `SELECT ${columns}, (SELECT allocated_to FROM ${schema}.cases c WHERE c.case_id = a.case_id) AS allocated_to
       FROM ${schema}.alerts a WHERE alert_id = $1 FOR UPDATE`,
    [alertId],
  );
  return rows[0] ? { ...fromRow(rows[0]), allocatedTo: rows[0].allocated_to } : undefined;
}

export async function markAcknowledged(client: pg.ClientBase, schema: string, alertId: string, by: string, at: Date, note: string | null): Promise<void> {
  await client.query(`UPDATE ${schema}.alerts SET acknowledged_by = $2, acknowledged_at = $3, acknowledgement_note = $4 WHERE alert_id = $1`, [alertId, by, at, note]);
}

/** Case id → the worker it is allocated to, for the cases of some alerts (those allocated only). */
export async function allocationsOf(db: pg.Pool, schema: string, caseIds: readonly string[]): Promise<Map<string, string>> {
  if (caseIds.length === 0) return new Map();
  const { rows } = await db.query<{ case_id: string; allocated_to: string }>(
    `SELECT case_id, allocated_to FROM ${schema}.cases WHERE case_id = ANY($1::uuid[]) AND allocated_to IS NOT NULL`,
    [caseIds],
  );
  return new Map(rows.map((r) => [r.case_id, r.allocated_to]));
}
