import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { commandContext, executeCommand, languageFlagSchema, languageFlagsOf, notInFuture, problemResponses, writeResponses, type CommandService, type LanguageFlag } from '@syv/command-service';
import {
  agencySchema,
  areaCode,
  HARM_OUTSIDE_HOME_KINDS,
  harmOutsideHomeKindSchema,
  INCIDENT_DESCRIPTION_MAX,
  incidentKindSchema,
  INTERVENTION_MINUTES_MAX,
  INTERVENTION_MINUTES_MIN,
  INTERVENTION_NOTES_MAX,
  interventionKindSchema,
  RISK_RATIONALE_MAX,
  riskLevelSchema,
  VIEWS_MAX,
  writtenTextSchema,
} from '@syv/contracts';
import { requireArea, requireRole, type ServiceApp } from '@syv/service-kit';

import { decideActivity, extraFamilialHarmOf, type ActivityCommand, type ActivityEvent, type CaseStatus } from './decider.js';

const isoTime = () => z.iso.datetime({ offset: true });
/** Free text a route records as written: optional, never logged, read for labelling language. */
const narrative = (max: number, what: string) => writtenTextSchema(max, { required: false }).optional().describe(`${what} Optional; kept as written (sealed under the child’s key), never logged, and read for labelling language (languageFlags name the field).`);
const childViews = () => narrative(VIEWS_MAX, 'What the child said, in their own words.');
const familyViews = () => narrative(VIEWS_MAX, 'What the parents or carers said, in their own words.');
const caseParams = z.object({ caseId: z.uuid() });

const interventionBody = z
  .object({
    agency: agencySchema.describe('The agency that did the work.'),
    kind: interventionKindSchema,
    deliveredAt: isoTime().describe('When the work took place.'),
    withChild: z.boolean().describe('The child was there: this is what counts as contact with the child.'),
    withFamily: z.boolean(),
    durationMinutes: z.number().int().min(INTERVENTION_MINUTES_MIN).max(INTERVENTION_MINUTES_MAX),
    notes: writtenTextSchema(INTERVENTION_NOTES_MAX, { required: false }).default('').describe('Case recording. Returned flags suggest child-centred wording; the notes are kept as written, sealed under the child’s key.'),
    childViews: childViews(),
    familyViews: familyViews(),
  })
  .strict()
  .meta({
    example: {
      agency: 'youth_service',
      kind: 'mentoring',
      deliveredAt: '2026-11-23T16:00:00Z',
      withChild: true,
      withFamily: false,
      durationMinutes: 60,
      notes: 'Met T at the youth hub; talked about getting back into college.',
      childViews: 'I want to do the music course but I do not feel safe on the bus.',
    },
  });

const languageCheckBody = z
  .object({
    text: z.string().max(INTERVENTION_NOTES_MAX).describe('Notes as the worker is writing them; read, never recorded or logged.'),
    area: areaCode().optional().describe('Check by this area’s lexicon (one of the user’s areas); without it, by the product’s.'),
  })
  .strict()
  .meta({ example: { text: 'Mum worries he is putting himself at risk by associating with older boys.' } });

const incidentBody = z
  .object({
    kind: incidentKindSchema,
    severity: riskLevelSchema,
    occurredAt: isoTime(),
    description: narrative(INCIDENT_DESCRIPTION_MAX, 'What happened, as the worker records it.'),
  })
  .strict()
  .meta({ example: { kind: 'violence_victim', severity: 'high', occurredAt: '2026-11-22T21:30:00Z', description: 'Stabbed in the leg outside the station; treated at hospital and discharged.' } });

const riskBody = z
  .object({
    riskLevel: riskLevelSchema,
    extraFamilialHarm: z
      .boolean()
      .optional()
      .describe('Harm outside the home (exploitation, violence in the community, online) is part of the risk. May be left out when harmOutsideHome is sent: it is then true exactly when that list is not empty.'),
    harmOutsideHome: z
      .array(harmOutsideHomeKindSchema)
      .max(HARM_OUTSIDE_HOME_KINDS.length)
      .refine((k) => new Set(k).size === k.length, 'must not repeat a kind')
      .optional()
      .describe('The kinds of harm outside the home found; an empty list when none. Sent with extraFamilialHarm, the two must agree.'),
    assessedAt: isoTime(),
    rationale: narrative(RISK_RATIONALE_MAX, 'Why the risk is judged so.'),
    childViews: childViews(),
    familyViews: familyViews(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const harm = extraFamilialHarmOf(body);
    if (!harm.ok) ctx.addIssue({ code: 'custom', path: [harm.field], message: harm.message });
  })
  .meta({
    example: {
      riskLevel: 'high',
      harmOutsideHome: ['exploitation', 'location'],
      assessedAt: '2026-11-23T11:00:00Z',
      rationale: 'Older teenagers are still contacting him and he was found at the station twice this month.',
      childViews: 'He said he owes them money and is scared of what happens if he stops.',
      familyViews: 'His mum wants help to keep him home at night.',
    },
  });

/** Each body and the event its fields become: route-limits.test.ts holds their bounds equal. */
export const bodiesAndEvents = [
  { route: 'POST /v1/cases/{caseId}/interventions', body: interventionBody, event: 'intervention.logged.v1' },
  { route: 'POST /v1/language-checks', body: languageCheckBody, event: 'intervention.logged.v1', fields: { text: 'notes' } },
  { route: 'POST /v1/cases/{caseId}/incidents', body: incidentBody, event: 'incident.recorded.v1' },
  { route: 'POST /v1/cases/{caseId}/risk-assessments', body: riskBody, event: 'risk.assessed.v1' },
] as const;

/** The labelling phrases in a write's named texts, by the lexicon of the case's area. */
type FreeTextCheck = (fields: Readonly<Record<string, string | undefined>>) => LanguageFlag[];

const responses = (ok: z.ZodType) => ({ 201: ok, ...writeResponses, ...problemResponses(404, 409) });

export function caseActivityRoutes(app: ServiceApp, service: CommandService): void {
  /** `answer` names the labelling phrases of its texts with `languageFlags`: the lexicon of the case's area. */
  async function record<B>(request: FastifyRequest, caseId: string, command: ActivityCommand, streamId: string, answer: (languageFlags: FreeTextCheck) => B) {
    const user = requireRole(request, 'social_worker', 'supervisor');
    const ctx = commandContext(request, user);
    const found = await service.visibleCase(user, caseId);
    const state: CaseStatus = found ? { status: found.status, area: found.area } : { status: 'unknown' };
    return executeCommand<ActivityEvent, B, 201>({
      store: service.store,
      request,
      ctx,
      // Each record its own stream: they share no invariant, so writers on one case never contend.
      // Its id is minted by this request, so there is nothing to read first.
      streamId,
      newStream: true,
      caseId,
      area: found?.area ?? 'unknown',
      // An unknown case is refused by the decider, so there is nothing to seal.
      ...(found ? { seal: await service.sealerFor(found) } : {}),
      decide: () => decideActivity(command, state),
      answer: () => ({ status: 201, body: answer((fields) => service.languageFlags(found?.area ?? '', fields)) }),
    });
  }

  app.post(
    '/v1/cases/:caseId/interventions',
    {
      schema: {
        summary: 'Log an intervention',
        description:
          "Records work done with the child or family, with what the child and the family said (childViews, familyViews). Answers languageFlags: labelling or victim-blaming phrases in the notes and the views, each naming its field, with suggested wording.",
        tags: ['interventions'],
        params: caseParams,
        body: interventionBody,
        response: responses(z.object({ interventionId: z.uuid(), languageFlags: z.array(languageFlagSchema) })),
      },
    },
    async (request, reply) => {
      notInFuture(request.body.deliveredAt, 'body.deliveredAt', new Date());
      const interventionId = randomUUID();
      const { caseId } = request.params;
      const answer = await record(
        request,
        caseId,
        { kind: 'log-intervention', data: { interventionId, caseId, ...request.body } },
        `intervention-${interventionId}`,
        (check) => ({ interventionId, languageFlags: check({ notes: request.body.notes, childViews: request.body.childViews, familyViews: request.body.familyViews }) }),
      );
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.post(
    '/v1/cases/:caseId/incidents',
    {
      schema: {
        summary: 'Record an incident',
        description:
          'Violence, a weapon, exploitation, a missing episode, an arrest or a threat, with a description of what happened. A closure soon after an incident is flagged. Answers languageFlags for the description.',
        tags: ['incidents'],
        params: caseParams,
        body: incidentBody,
        response: responses(z.object({ incidentId: z.uuid(), languageFlags: z.array(languageFlagSchema) })),
      },
    },
    async (request, reply) => {
      notInFuture(request.body.occurredAt, 'body.occurredAt', new Date());
      const incidentId = randomUUID();
      const { caseId } = request.params;
      const answer = await record(request, caseId, { kind: 'record-incident', data: { incidentId, caseId, ...request.body } }, `incident-${incidentId}`, (check) => ({
        incidentId,
        languageFlags: check({ description: request.body.description }),
      }));
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.post(
    '/v1/cases/:caseId/risk-assessments',
    {
      schema: {
        summary: 'Record a risk assessment',
        description:
          'The latest assessment decides whether a closure is high risk; extra-familial harm counts as high. Harm outside the home is extraFamilialHarm, the kinds found (harmOutsideHome), or both when they agree. Records the rationale and what the child and the family said; answers languageFlags for those texts, each naming its field.',
        tags: ['risk assessments'],
        params: caseParams,
        body: riskBody,
        response: responses(z.object({ assessmentId: z.uuid(), languageFlags: z.array(languageFlagSchema) })),
      },
    },
    async (request, reply) => {
      notInFuture(request.body.assessedAt, 'body.assessedAt', new Date());
      const assessmentId = randomUUID();
      const { caseId } = request.params;
      const { rationale, childViews, familyViews } = request.body;
      const answer = await record(request, caseId, { kind: 'assess-risk', data: { assessmentId, caseId, ...request.body } }, `risk-assessment-${assessmentId}`, (check) => ({
        assessmentId,
        languageFlags: check({ rationale, childViews, familyViews }),
      }));
      return reply.code(answer.status).send(answer.body);
    },
  );
}

/**
 * POST /v1/language-checks: the labelling-language check of an intervention's notes, without
 * recording anything, so a worker sees the suggestions while writing. The same matcher as the
 * intervention route, so what the check shows is what the saved intervention answers.
 */
export function languageCheckRoute(app: ServiceApp, languageFlags: CommandService['languageFlags']): void {
  app.post(
    '/v1/language-checks',
    {
      schema: {
        summary: 'Check notes for labelling language',
        description:
          'Social workers and supervisors. Answers the labelling or victim-blaming phrases in `text`, each with its position and the wording to use instead: the same check POST /v1/cases/{caseId}/interventions makes of its notes. With `area`, by that area’s lexicon (the product’s phrases and the area’s own); without, by the product’s. Records nothing and publishes nothing, so it needs no Idempotency-Key; the text is never stored or logged. The worker stays free to save the notes as written.',
        tags: ['interventions'],
        body: languageCheckBody,
        response: { 200: z.object({ languageFlags: z.array(languageFlagSchema) }), ...problemResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const { text, area } = request.body;
      if (area === undefined) return { languageFlags: languageFlagsOf({ text }) };
      requireArea(user, area, 'body.area', 'check text by its lexicon');
      return { languageFlags: languageFlags(area, { text }) };
    },
  );
}
