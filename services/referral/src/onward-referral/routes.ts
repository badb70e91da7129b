import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { commandContext, executeCommand, languageFlagSchema, notInFuture, problemResponses, refuseIfClosed, writeResponses, type CommandService, type LanguageFlag } from '@syv/command-service';
import { agencySchema, supportOutcomeSchema, writtenTextSchema } from '@syv/contracts';
import { fold } from '@syv/decider';
import { readStream } from '@syv/event-store';
import { problem, requireRole, type AuthUser, type ServiceApp } from '@syv/service-kit';
import { onwardReferralDecider, onwardStreamId, type OnwardEvent } from './decider.js';

const DAY_MS = 86_400_000;

const makeBody = z
  .object({
    agency: agencySchema.describe('The agency the child is referred on to, e.g. camhs.'),
    reason: writtenTextSchema(2_000, { required: true }).describe('Why the child is referred on.'),
    referredAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .meta({ example: { agency: 'camhs', reason: 'Low mood and poor sleep since the assault in March.', referredAt: '2026-11-20T10:00:00Z' } });

const startBody = z
  .object({ startedAt: z.iso.datetime({ offset: true }).describe('When the agency first worked with the child.') })
  .strict()
  .meta({ example: { startedAt: '2026-12-18T10:00:00Z' } });

const declineBody = z
  .object({
    reason: writtenTextSchema(2_000, { required: true }).describe('Why the receiving agency refused the referral, as it said.'),
    declinedAt: z.iso.datetime({ offset: true }).describe('When the receiving agency refused the referral.'),
  })
  .strict()
  .meta({ example: { reason: 'CAMHS says the threshold for a specialist assessment is not met; suggests the school counsellor.', declinedAt: '2026-12-02T10:00:00Z' } });

const withdrawBody = z
  .object({
    reason: writtenTextSchema(2_000, { required: true }).describe('Why the referral is withdrawn.'),
    withdrawnAt: z.iso.datetime({ offset: true }).describe('When the referral was withdrawn.'),
  })
  .strict()
  .meta({ example: { reason: 'The family moved out of the area; the new authority refers locally.', withdrawnAt: '2026-12-02T10:00:00Z' } });

const endBody = z
  .object({
    endedAt: z.iso.datetime({ offset: true }).describe("When the agency's support ended."),
    outcome: supportOutcomeSchema.describe('How it ended: completed, disengaged (the child stopped taking part), moved (out of reach), other.'),
    reason: writtenTextSchema(2_000, { required: true }).optional().describe('A note on how it ended (optional).'),
  })
  .strict()
  .meta({ example: { endedAt: '2027-02-26T10:00:00Z', outcome: 'disengaged', reason: 'Missed three sessions in a row and stopped answering calls.' } });

/** Each body and the event its fields become: route-limits.test.ts holds their bounds equal. */
export const bodiesAndEvents = [
  { route: 'POST /v1/cases/{caseId}/onward-referrals', body: makeBody, event: 'onward-referral.made.v1' },
  { route: 'POST /v1/onward-referrals/{onwardReferralId}/start', body: startBody, event: 'onward-referral.started.v1' },
  { route: 'POST /v1/onward-referrals/{onwardReferralId}/decline', body: declineBody, event: 'onward-referral.declined.v1' },
  { route: 'POST /v1/onward-referrals/{onwardReferralId}/withdraw', body: withdrawBody, event: 'onward-referral.withdrawn.v1' },
  { route: 'POST /v1/onward-referrals/{onwardReferralId}/end', body: endBody, event: 'onward-referral.ended.v1' },
] as const;

const startAnswer = z.object({
  onwardReferralId: z.uuid(),
  caseId: z.uuid(),
  agency: agencySchema,
  startedAt: z.string(),
  waitDays: z.number().describe('Whole days between the referral and the start.'),
});

const outcomeAnswer = z.object({
  onwardReferralId: z.uuid(),
  caseId: z.uuid(),
  agency: agencySchema,
  languageFlags: z.array(languageFlagSchema),
});

const endAnswer = z.object({
  onwardReferralId: z.uuid(),
  caseId: z.uuid(),
  agency: agencySchema,
  outcome: supportOutcomeSchema,
  endedAt: z.string(),
  supportDays: z.number().describe('Whole days of support, from the start to the end.'),
  languageFlags: z.array(languageFlagSchema),
});

const wholeDays = (from: string, to: string) => Math.floor((Date.parse(to) - Date.parse(from)) / DAY_MS);

/**
 * The onward referral a path names, for a command on it, and its case if the caller may see it.
 * Another area's onward referral answers exactly as an unknown id: same words (not its case's id),
 * and after the same wait as the case lookup an unknown id would have needed.
 */
async function onwardReferralFor(service: CommandService, user: AuthUser, onwardReferralId: string) {
  const streamId = onwardStreamId(onwardReferralId);
  const state = fold(onwardReferralDecider, (await readStream(service.store.pool, service.store.schema, streamId)).events.map((e) => ({ type: e.type, data: e.data }) as OnwardEvent));
  const notFound = () => problem('NOT_FOUND', `There is no onward referral ${onwardReferralId} in your areas.`);
  const made = state.made;
  if (!made) {
    await service.missWait();
    throw notFound();
  }
  const found = await service.visibleCase(user, made.caseId);
  if (!found) throw notFound();
  return { streamId, made, found };
}

const onwardParams = z.object({ onwardReferralId: z.uuid() });

export function onwardReferralRoutes(app: ServiceApp, service: CommandService): void {
  app.post(
    '/v1/cases/:caseId/onward-referrals',
    {
      schema: {
        summary: 'Refer the child on to another agency',
        description:
          'Records a referral to another agency (e.g. CAMHS). The wait until it starts is watched: a long wait, or a closure while it has not started, is flagged. Answers languageFlags: labelling or victim-blaming phrases in the reason, with suggested wording (the reason is kept as written, sealed under the child’s key).',
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
        // Its id was minted just above: nothing to read first.
        newStream: true,
        caseId: found.caseId,
        area: found.area,
        seal: await service.sealerFor(found),
        decide: (history) =>
          onwardReferralDecider.decide({ kind: 'make', onwardReferralId, caseId: found.caseId, ...request.body }, fold(onwardReferralDecider, history)),
        answer: () => ({ status: 201, body: { onwardReferralId, languageFlags: service.languageFlags(found.area, { reason: request.body.reason }) } }),
      });
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.post(
    '/v1/onward-referrals/:onwardReferralId/start',
    {
      schema: {
        summary: 'Record that an onward referral started',
        description: 'The agency has started working with the child. It cannot start before it was made, nor twice, nor once it was declined or withdrawn.',
        tags: ['onward referrals'],
        params: onwardParams,
        body: startBody,
        response: { 200: startAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const ctx = commandContext(request, user);
      notInFuture(request.body.startedAt, 'body.startedAt', ctx.now);
      const { onwardReferralId } = request.params;
      const { streamId, made, found } = await onwardReferralFor(service, user, onwardReferralId);
      const answer = await executeCommand<OnwardEvent, z.infer<typeof startAnswer>, 200>({
        store: service.store,
        request,
        ctx,
        streamId,
        caseId: found.caseId,
        area: found.area,
        seal: await service.sealerFor(found),
        decide: (history) => onwardReferralDecider.decide({ kind: 'start', onwardReferralId, startedAt: request.body.startedAt }, fold(onwardReferralDecider, history)),
        answer: () => ({
          status: 200,
          body: {
            onwardReferralId,
            caseId: found.caseId,
            agency: made.agency,
            startedAt: request.body.startedAt,
            waitDays: wholeDays(made.referredAt, request.body.startedAt),
          },
        }),
      });
      return reply.code(answer.status).send(answer.body);
    },
  );

  /** A refusal or a withdrawal: the referral stops waiting, and its reason is read for labelling language. */
  async function recordRefusal(
    request: FastifyRequest,
    onwardReferralId: string,
    outcome: { kind: 'decline'; declinedAt: string; reason: string } | { kind: 'withdraw'; withdrawnAt: string; reason: string },
  ) {
    const user = requireRole(request, 'social_worker', 'supervisor');
    const ctx = commandContext(request, user);
    if (outcome.kind === 'decline') notInFuture(outcome.declinedAt, 'body.declinedAt', ctx.now);
    else notInFuture(outcome.withdrawnAt, 'body.withdrawnAt', ctx.now);
    const { streamId, made, found } = await onwardReferralFor(service, user, onwardReferralId);
    return executeCommand<OnwardEvent, z.infer<typeof outcomeAnswer>, 200>({
      store: service.store,
      request,
      ctx,
      streamId,
      caseId: found.caseId,
      area: found.area,
      seal: await service.sealerFor(found),
      decide: (history) => onwardReferralDecider.decide({ ...outcome, onwardReferralId }, fold(onwardReferralDecider, history)),
      answer: () => ({ status: 200, body: { onwardReferralId, caseId: found.caseId, agency: made.agency, languageFlags: service.languageFlags(found.area, { reason: outcome.reason }) } }),
    });
  }

  // The outcomes: declined by the agency, withdrawn by the referrer, or the support ended. Like a
  // start, each is recorded on a closed case too: the agency's answer is a fact whether or not our
  // case is still open. Each reads its free text for labelling language, as every write does.

  app.post(
    '/v1/onward-referrals/:onwardReferralId/decline',
    {
      schema: {
        summary: 'Record that the receiving agency declined an onward referral',
        description:
          'The agency refused the referral: the child is no longer waiting for it (LONG_WAIT and CLOSURE_PENDING_ONWARD_REFERRAL stop counting it) and still needs that help, so ONWARD_REFERRAL_DECLINED flags the case. Not before the referral was made, not in the future, not once it started, nor after another outcome. Answers languageFlags for the reason (kept as written, sealed under the child’s key).',
        tags: ['onward referrals'],
        params: onwardParams,
        body: declineBody,
        response: { 200: outcomeAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const answer = await recordRefusal(request, request.params.onwardReferralId, { kind: 'decline', ...request.body });
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.post(
    '/v1/onward-referrals/:onwardReferralId/withdraw',
    {
      schema: {
        summary: 'Withdraw an onward referral',
        description:
          'The referrer withdrew the referral before the agency started: the child is no longer waiting for it. Not before the referral was made, not in the future, not once it started, nor after another outcome. Answers languageFlags for the reason (kept as written, sealed under the child’s key).',
        tags: ['onward referrals'],
        params: onwardParams,
        body: withdrawBody,
        response: { 200: outcomeAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const answer = await recordRefusal(request, request.params.onwardReferralId, { kind: 'withdraw', ...request.body });
      return reply.code(answer.status).send(answer.body);
    },
  );

  app.post(
    '/v1/onward-referrals/:onwardReferralId/end',
    {
      schema: {
        summary: "Record that an onward referral's support ended",
        description:
          "The agency's support ended: completed, disengaged, moved or other, with an optional note. Only a started referral ends; not before its start, not in the future, and once. Support that ended as disengaged soon after it started is flagged (SUPPORT_ENDED_EARLY). Answers the length of support and languageFlags for the note (kept as written, sealed under the child’s key).",
        tags: ['onward referrals'],
        params: onwardParams,
        body: endBody,
        response: { 200: endAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const ctx = commandContext(request, user);
      notInFuture(request.body.endedAt, 'body.endedAt', ctx.now);
      const { onwardReferralId } = request.params;
      const { streamId, made, found } = await onwardReferralFor(service, user, onwardReferralId);
      let startedAt = made.referredAt; // the start the decision saw; an end is only accepted after one
      const answer = await executeCommand<OnwardEvent, z.infer<typeof endAnswer>, 200>({
        store: service.store,
        request,
        ctx,
        streamId,
        caseId: found.caseId,
        area: found.area,
        seal: await service.sealerFor(found),
        decide: (history) => {
          const state = fold(onwardReferralDecider, history);
          startedAt = state.startedAt ?? startedAt;
          return onwardReferralDecider.decide({ kind: 'end', onwardReferralId, ...request.body }, state);
        },
        answer: () => {
          return {
            status: 200,
            body: {
              onwardReferralId,
              caseId: found.caseId,
              agency: made.agency,
              outcome: request.body.outcome,
              endedAt: request.body.endedAt,
              supportDays: wholeDays(startedAt, request.body.endedAt),
              languageFlags: service.languageFlags(found.area, { reason: request.body.reason }),
            },
          };
        },
      });
      return reply.code(answer.status).send(answer.body);
    },
  );
}
