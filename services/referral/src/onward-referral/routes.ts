import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commandContext, executeCommand, languageFlagSchema, languageFlagsOf, notInFuture, problemResponses, refuseIfClosed, writeResponses, type CommandService, type LanguageFlag } from '@syv/command-service';
import { agencySchema, onwardReferralMadeData } from '@syv/contracts';
import { fold } from '@syv/decider';
import { readStream } from '@syv/event-store';
import { problem, requireRole, type ServiceApp } from '@syv/service-kit';
import { onwardReferralDecider, onwardStreamId, type OnwardEvent } from './decider.js';

const DAY_MS = 86_400_000;

const makeBody = z
  .object({
    agency: agencySchema.describe('The agency the child is referred on to, e.g. camhs.'),
    reason: onwardReferralMadeData.shape.reason.describe('Why the child is referred on.'),
    referredAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ example: { agency: 'camhs', reason: 'Low mood and poor sleep since the assault in March.', referredAt: '2026-11-20T10:00:00Z' } });

const startBody = z
  .object({ startedAt: z.iso.datetime({ offset: true }).describe('When the agency first worked with the child.') })
  .strict()
  .meta({ example: { startedAt: '2026-12-18T10:00:00Z' } });

/** Each body and the event its fields become: route-limits.test.ts holds their bounds equal. */
export const bodiesAndEvents = [
  { route: 'POST /v1/cases/{caseId}/onward-referrals', body: makeBody, event: 'onward-referral.made.v1' },
  { route: 'POST /v1/onward-referrals/{onwardReferralId}/start', body: startBody, event: 'onward-referral.started.v1' },
] as const;

const startAnswer = z.object({
  onwardReferralId: z.uuid(),
  caseId: z.uuid(),
  agency: agencySchema,
  startedAt: z.string(),
  waitDays: z.number().describe('Whole days between the referral and the start.'),
});

export function onwardReferralRoutes(app: ServiceApp, service: CommandService): void {
  app.post(
    '/v1/cases/:caseId/onward-referrals',
    {
      schema: {
        summary: 'Refer the child on to another agency',
        description:
          'Records a referral to another agency (e.g. CAMHS). The wait until it starts is watched: a long wait, or a closure while it has not started, is flagged. Answers languageFlags: labelling or victim-blaming phrases in the reason, with suggested wording (the reason is recorded as written).',
        tags: ['onward referrals'],
        params: z.object({ caseId: z.uuid() }),
        body: makeBody,
        response: { 201: z.object({ onwardReferralId: z.uuid(), languageFlags: z.array(languageFlagSchema) }), ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const ctx = commandContext(request, user);
      notInFuture(request.body.referredAt, 'body.referredAt', ctx.now);
      const found = await service.caseFor(user, request.params.caseId);
      refuseIfClosed(found, 'an onward referral');
      const onwardReferralId = randomUUID();
      const answer = await executeCommand<OnwardEvent, { onwardReferralId: string; languageFlags: LanguageFlag[] }, 201>({
        store: service.store,
        request,
        ctx,
        streamId: onwardStreamId(onwardReferralId),
        caseId: found.caseId,
        area: found.area,
        decide: (history) =>
          onwardReferralDecider.decide({ kind: 'make', onwardReferralId, caseId: found.caseId, ...request.body }, fold(onwardReferralDecider, history)),
        answer: () => ({ status: 201, body: { onwardReferralId, languageFlags: languageFlagsOf({ reason: request.body.reason }) } }),
      });
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.post(
    '/v1/onward-referrals/:onwardReferralId/start',
    {
      schema: {
        summary: 'Record that an onward referral started',
        description: 'The agency has started working with the child. It cannot start before it was made, nor twice.',
        tags: ['onward referrals'],
        params: z.object({ onwardReferralId: z.uuid() }),
        body: startBody,
        response: { 200: startAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const ctx = commandContext(request, user);
      notInFuture(request.body.startedAt, 'body.startedAt', ctx.now);
      const { onwardReferralId } = request.params;
      const streamId = onwardStreamId(onwardReferralId);
      const made = fold(onwardReferralDecider, (await readStream(service.store.pool, service.store.schema, streamId)).events.map((e) => ({ type: e.type, data: e.data }) as OnwardEvent)).made;
      // Another area's onward referral answers exactly as an unknown id: same words (not its case's
      // id), and after the same wait as the case lookup an unknown id would have needed.
      const notFound = () => problem('NOT_FOUND', `There is no onward referral ${onwardReferralId} in your areas.`);
      if (!made) {
        await service.missWait();
        throw notFound();
      }
      const found = await service.visibleCase(user, made.caseId);
      if (!found) throw notFound();
      const answer = await executeCommand<OnwardEvent, z.infer<typeof startAnswer>, 200>({
        store: service.store,
        request,
        ctx,
        streamId,
        caseId: found.caseId,
        area: found.area,
        decide: (history) => onwardReferralDecider.decide({ kind: 'start', onwardReferralId, startedAt: request.body.startedAt }, fold(onwardReferralDecider, history)),
        answer: () => ({
          status: 200,
          body: {
            onwardReferralId,
            caseId: found.caseId,
            agency: made.agency,
            startedAt: request.body.startedAt,
            waitDays: Math.floor((Date.parse(request.body.startedAt) - Date.parse(made.referredAt)) / DAY_MS),
          },
        }),
      });
      return reply.code(answer.status).send(answer.body);
    },
  );
}
