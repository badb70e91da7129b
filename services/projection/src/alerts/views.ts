import { z } from 'zod';
import { riskLevelSchema, ruleIdSchema } from '@syv/contracts';
import type { AlertRow } from './store.js';

export const alertView = z.object({
  alertId: z.uuid(),
  caseId: z.uuid(),
  area: z.string(),
  rule: ruleIdSchema,
  severity: riskLevelSchema,
  explanation: z.string(),
  evidence: z.array(z.uuid()).describe('Ids of the case events that made the rule fire (see GET /v1/cases/{caseId}/events).'),
  raisedAt: z.string().describe('The point in time the rule was evaluated at when it fired.'),
  status: z.enum(['open', 'acknowledged']),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgementNote: z.string().nullable().describe('The action taken, as written by whoever acknowledged the alert.'),
});
type AlertView = z.infer<typeof alertView>;

export function toAlertView(a: AlertRow): AlertView {
  return {
    alertId: a.alertId,
    caseId: a.caseId,
    area: a.area,
    rule: a.rule,
    severity: a.severity,
    explanation: a.explanation,
    evidence: a.evidence,
    raisedAt: a.raisedAt.toISOString(),
    status: a.acknowledgedAt === null ? 'open' : 'acknowledged',
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgementNote: a.acknowledgementNote,
  };
}
