import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commandContext, executeCommand, languageFlagSchema, problemResponses, writeResponses, type CommandService } from '@syv/command-service';
import { areaCode, closureReasonSchema, closureRequestStatusSchema, flagSchema, writtenTextSchema } from '@syv/contracts';
import { fold } from '@syv/decider';
import { areasToList, canSeeArea, caseRoles, problem, requireRole, type ServiceApp } from '@syv/service-kit';
import { findClosureRequest, listClosureRequests, projectClosureRequests } from './closure-requests.js';
import { closureDecider, statusAfter, type ClosureEvent } from './decider.js';

export const closureStreamId = (caseId: string) => `case-closure-${caseId}`;

const requestBody = z
  .object({
    reason: closureReasonSchema,
    summary: writtenTextSchema(20_000, { required: true }).describe('Closing summary: what was done, what is still in place for the child.'),
  })
  .strict()
  .meta({ example: { reason: 'support_completed', summary: 'Twelve weeks of mentoring completed; college place started; family know who to call.' } });

const decisionBody = z
  .object({
    decision: z.enum(['approve', 'reject']),
    rationale: writtenTextSchema(5_000, { required: true }).describe('Why: needed for either decision; at least 20 characters.'),
  })
  .strict()
  .meta({ example: { decision: 'reject', rationale: 'CAMHS has not started yet; keep the case open until the first appointment.' } });

const reopenBody = z
  .object({ reason: writtenTextSchema(2_000, { required: true }) })
  .strict()
  .meta({ example: { reason: 'New referral from school: missing episodes again.' } });

/** Each body and the events its fields become: route-limits.test.ts holds their bounds equal. */
export const bodiesAndEvents = [
  { route: 'POST /v1/cases/{caseId}/closure-requests', body: requestBody, event: 'closure.requested.v1' },
  { route: 'POST /v1/closure-requests/{closureRequestId}/decision', body: decisionBody, event: 'closure.rejected.v1' },
  { route: 'POST /v1/closure-requests/{closureRequestId}/decision', body: decisionBody, event: 'case.closed.v1' },
  { route: 'POST /v1/cases/{caseId}/reopen', body: reopenBody, event: 'case.reopened.v1' },
] as const;

const statusAnswer = z.object({ closureRequestId: z.uuid(), caseId: z.uuid(), status: closureRequestStatusSchema });
/** What a write answers: the status, and the labelling phrases in what the caller wrote (kept as written, sealed). */
const languageFlags = z.array(languageFlagSchema).describe('Labelling or victim-blaming phrases in the free text of the request, with suggested wording.');
const writtenAnswer = statusAnswer.extend({ languageFlags });
const reopenAnswer = z.object({ caseId: z.uuid(), status: z.literal('open'), languageFlags });

export function closureRoutes(app: ServiceApp, service: CommandService): void {
  const { store } = service;
  const project = (client: Parameters<NonNullable<Parameters<typeof executeCommand>[0]['project']>>[0], events: Parameters<typeof projectClosureRequests>[2]) =>
    projectClosureRequests(client, store.schema, events);

  app.post(
    '/v1/cases/:caseId/closure-requests',
    {
      schema: {
        summary: 'Ask to close a case',
        description:
          'Answers 202 at once. The case is assessed against the closure rules: with no flags it closes by itself; with flags it is held for a supervisor. Follow the status at GET /v1/closure-requests/{id}.',
        tags: ['closure'],
        params: z.object({ caseId: z.uuid() }),
        body: requestBody,
        response: { 202: writtenAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const ctx = commandContext(request, user);
      const found = await service.caseFor(user, request.params.caseId);
      const closureRequestId = randomUUID();
      const answer = await executeCommand<ClosureEvent, z.infer<typeof writtenAnswer>, 202>({
        store,
        request,
        ctx,
        streamId: closureStreamId(found.caseId),
        caseId: found.caseId,
        area: found.area,
        seal: await service.sealerFor(found),
        decide: (history) =>
          closureDecider.decide(
            { kind: 'request', closureRequestId, caseId: found.caseId, ...request.body, requestedAt: ctx.now.toISOString(), requestedBy: user.sub },
            fold(closureDecider, history),
          ),
        answer: () => ({
          status: 202,
          body: { closureRequestId, caseId: found.caseId, status: 'pending_assessment', languageFlags: service.languageFlags(found.area, { summary: request.body.summary }) },
        }),
        project,
      });
      return reply.code(answer.status).send(answer.body);
    },
  );

  const requestView = statusAnswer.extend({
    area: z.string(),
    reason: closureReasonSchema,
    flags: z.array(flagSchema),
    requestedBy: z.string(),
    requestedAt: z.string(),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
  });

  app.get(
    '/v1/closure-requests',
    {
      schema: {
        summary: 'Closure requests of your areas',
        description:
          'Social workers, supervisors and auditors, own areas only. `status=held_for_review` lists the closures waiting for a supervisor, with their flags, the longest waiting first. Paged: `next` is the offset of the next page, or null.',
        tags: ['closure'],
        querystring: z
          .object({
            status: closureRequestStatusSchema.optional(),
            area: areaCode().optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(requestView), next: z.number().int().nullable() }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = requireRole(request, ...caseRoles);
      const q = request.query;
      const rows = await listClosureRequests(store.pool, store.schema, { areas: areasToList(user, q.area), status: q.status, limit: q.limit + 1, offset: q.offset });
      return { items: rows.slice(0, q.limit), next: rows.length > q.limit ? q.offset + q.limit : null };
    },
  );

  app.get(
    '/v1/closure-requests/:closureRequestId',
    {
      schema: {
        summary: 'Follow a closure request',
        tags: ['closure'],
        params: z.object({ closureRequestId: z.uuid() }),
        response: { 200: requestView.omit({ area: true }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, ...caseRoles);
      const found = await findClosureRequest(store.pool, store.schema, request.params.closureRequestId);
      if (!found || !canSeeArea(user, found.area)) throw problem('NOT_FOUND', `There is no closure request ${request.params.closureRequestId} in your areas.`);
      const { area: _area, ...rest } = found;
      return rest;
    },
  );

  app.post(
    '/v1/closure-requests/:closureRequestId/decision',
    {
      schema: {
        summary: 'Approve or reject a held closure',
        description:
          'Supervisors only, and not the one who requested the closure (FOUR_EYES): another supervisor decides. Only a request held for review can be decided; the rationale is recorded with the decision, with who requested the closure and who decided it.',
        tags: ['closure'],
        params: z.object({ closureRequestId: z.uuid() }),
        body: decisionBody,
        response: { 200: writtenAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'supervisor');
      const ctx = commandContext(request, user);
      const held = await findClosureRequest(store.pool, store.schema, request.params.closureRequestId);
      if (!held || !canSeeArea(user, held.area)) throw problem('NOT_FOUND', `There is no closure request ${request.params.closureRequestId} in your areas.`);
      const answer = await executeCommand<ClosureEvent, z.infer<typeof writtenAnswer>, 200>({
        store,
        request,
        ctx,
        streamId: closureStreamId(held.caseId),
        caseId: held.caseId,
        area: held.area,
        // The rationale is about the child: sealed under their key, found through the case.
        seal: await service.sealerFor(await service.caseFor(user, held.caseId)),
        decide: (history) =>
          closureDecider.decide(
            {
              kind: 'decide',
              closureRequestId: held.closureRequestId,
              caseId: held.caseId,
              decision: request.body.decision,
              rationale: request.body.rationale,
              supervisor: user.sub,
              decidedAt: ctx.now.toISOString(),
              requestedByOnRecord: held.requestedBy,
            },
            fold(closureDecider, history),
          ),
        answer: (events) => {
          const status = events.map(statusAfter).find((s) => s !== undefined) ?? 'held_for_review';
          return { status: 200, body: { closureRequestId: held.closureRequestId, caseId: held.caseId, status, languageFlags: service.languageFlags(held.area, { rationale: request.body.rationale }) } };
        },
        project,
      });
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.post(
    '/v1/cases/:caseId/reopen',
    {
      schema: {
        summary: 'Reopen a closed case',
        tags: ['closure'],
        params: z.object({ caseId: z.uuid() }),
        body: reopenBody,
        response: { 200: reopenAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const ctx = commandContext(request, user);
      const found = await service.caseFor(user, request.params.caseId);
      const answer = await executeCommand<ClosureEvent, z.infer<typeof reopenAnswer>, 200>({
        store,
        request,
        ctx,
        streamId: closureStreamId(found.caseId),
        caseId: found.caseId,
        area: found.area,
        seal: await service.sealerFor(found),
        decide: (history) =>
          closureDecider.decide({ kind: 'reopen', caseId: found.caseId, reason: request.body.reason, reopenedAt: ctx.now.toISOString() }, fold(closureDecider, history)),
        answer: () => ({ status: 200, body: { caseId: found.caseId, status: 'open' as const, languageFlags: service.languageFlags(found.area, { reason: request.body.reason }) } }),
      });
      return reply.code(answer.status).send(answer.body);
    },
  );
}
