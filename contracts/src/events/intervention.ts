import { z } from 'zod';
import { agencySchema, HARM_OUTSIDE_HOME_KINDS, harmOutsideHomeKindSchema, incidentKindSchema, interventionKindSchema, riskLevelSchema } from '../enums.js';
import { addedText, isoDateTime, text, uuid } from '../fields.js';
import { INCIDENT_DESCRIPTION_MAX, INTERVENTION_MINUTES_MAX, RISK_RATIONALE_MAX, VIEWS_MAX } from '../limits.js';

// Emitted by the intervention service: what agencies did with the child, what happened to the child,
// and how risky things are judged to be. These are the facts the closure rules weigh.

/** What the child said, in their words; an intervention and a risk assessment record it. */
const childViews = () => addedText(VIEWS_MAX, 'What the child said, in their own words.');
/** What the parents or carers said, in their words. */
const familyViews = () => addedText(VIEWS_MAX, 'What the parents or carers said, in their own words.');

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
  childViews: childViews(),
  familyViews: familyViews(),
});
export type InterventionLogged = z.infer<typeof interventionLoggedData>;

export const incidentRecordedData = z.object({
  incidentId: uuid(),
  caseId: uuid(),
  kind: incidentKindSchema,
  severity: riskLevelSchema,
  occurredAt: isoDateTime(),
  description: addedText(INCIDENT_DESCRIPTION_MAX, 'What happened, as the worker recorded it.'),
});
export type IncidentRecorded = z.infer<typeof incidentRecordedData>;

export const riskAssessedData = z.object({
  assessmentId: uuid(),
  caseId: uuid(),
  riskLevel: riskLevelSchema,
  extraFamilialHarm: z
    .boolean()
    .describe('Harm from outside the home (exploitation, violence in the community) is present. When harmOutsideHome is recorded, true exactly when that list is not empty.'),
  assessedAt: isoDateTime(),
  harmOutsideHome: z
    .array(harmOutsideHomeKindSchema)
    .max(HARM_OUTSIDE_HOME_KINDS.length)
    .optional()
    .describe(
      'The kinds of harm outside the home the assessment found, each at most once; empty when it found none. Optional: absent (as in every event recorded before the field existed) means the kinds were not recorded, and only extraFamilialHarm speaks.',
    ),
  rationale: addedText(RISK_RATIONALE_MAX, 'Why the risk was judged so, in the assessor\'s words.'),
  childViews: childViews(),
  familyViews: familyViews(),
});
export type RiskAssessed = z.infer<typeof riskAssessedData>;
