import { z } from 'zod';
import { agencySchema, incidentKindSchema, interventionKindSchema, riskLevelSchema } from '../enums.js';
import { isoDateTime, text, uuid } from '../fields.js';
import { INTERVENTION_MINUTES_MAX } from '../limits.js';

// Emitted by the intervention service: what agencies did with the child, what happened to the child,
// and how risky things are judged to be. These are the facts the closure rules weigh.

export const interventionLoggedData = z.object({
  interventionId: uuid(),
  caseId: uuid(),
  agency: agencySchema.describe('The agency that delivered the work.'),
  kind: interventionKindSchema,
  deliveredAt: isoDateTime(),
  withChild: z.boolean().describe('The child was there; only this counts as contact with the child.'),
  withFamily: z.boolean(),
  // The minimum stays 0 (routes take INTERVENTION_MINUTES_MIN): events already published must still parse.
  durationMinutes: z.int().min(0).max(INTERVENTION_MINUTES_MAX),
  // Routes take INTERVENTION_NOTES_MAX; the wider bound still reads events already published.
  notes: text(20_000).describe('Case recording; never logged. Checked for labelling language.'),
});
export type InterventionLogged = z.infer<typeof interventionLoggedData>;

export const incidentRecordedData = z.object({
  incidentId: uuid(),
  caseId: uuid(),
  kind: incidentKindSchema,
  severity: riskLevelSchema,
  occurredAt: isoDateTime(),
});
export type IncidentRecorded = z.infer<typeof incidentRecordedData>;

export const riskAssessedData = z.object({
  assessmentId: uuid(),
  caseId: uuid(),
  riskLevel: riskLevelSchema,
  extraFamilialHarm: z.boolean().describe('Harm from outside the home (exploitation, violence in the community) is present.'),
  assessedAt: isoDateTime(),
});
export type RiskAssessed = z.infer<typeof riskAssessedData>;
