import { z } from 'zod';
import { riskLevelSchema, ruleIdSchema } from '../enums.js';
import { areaCode, isoDateTime, productSentence, text, userId, uuid } from '../fields.js';

// Emitted by the projection on the alerts topic, for supervisors, the allocated worker and other
// systems. An alert
// is raised once when a flag starts, not on every sweep, and a replay raises the same alerts again,
// so `alertId` and `raisedAt` are derived from the log, never from the wall clock.

export const alertRaisedData = z.object({
  alertId: uuid(),
  caseId: uuid(),
  area: areaCode(),
  rule: ruleIdSchema,
  severity: riskLevelSchema,
  explanation: productSentence(1_000).describe('One sentence a supervisor can act on.'),
  evidence: z.array(uuid()).describe('Ids of the events that made the rule fire.'),
  raisedAt: isoDateTime().describe('The point in time the rule was evaluated at when it fired.'),
});
export type AlertRaised = z.infer<typeof alertRaisedData>;

export const alertAcknowledgedData = z.object({
  alertId: uuid(),
  caseId: uuid(),
  area: areaCode(),
  rule: ruleIdSchema,
  acknowledgedBy: userId().describe('The supervisor or allocated worker who acknowledged the alert.'),
  acknowledgedAt: isoDateTime(),
  note: text(2000).optional().describe('The action taken, in a few words; kept with the acknowledgement, never in logs.'),
});
export type AlertAcknowledged = z.infer<typeof alertAcknowledgedData>;
