import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { applyToCaseView, casesOfChild } from '@syv/case-view';
import { commandContext, executeCommand, languageFlagSchema, notInFuture, writeResponses, type CommandService } from '@syv/command-service';
import { agencySchema, areaCode, childId, concernSchema, REFERRAL_CONCERNS_MAX, REFERRAL_REASON_MAX, riskLevelSchema, userId, writtenTextSchema } from '@syv/contracts';
import { requireArea, requireRole, type ServiceApp } from '@syv/service-kit';
import { fold } from '@syv/decider';
import { childReferralsDecider, childStreamId, type Allocator, type ChildEvent, type ChildState } from './decider.js';

const referralBody = z
  .object({
    childId: childId().describe("The child's pseudonymous id in the referring system; never a name."),
    area: areaCode().describe('Local-authority code.'),
    sourceAgency: agencySchema.describe('Who made the referral.'),
    concerns: z.array(concernSchema).min(1, 'name at least one concern').max(REFERRAL_CONCERNS_MAX).refine((c) => new Set(c).size === c.length, 'must not repeat a concern'),
    riskLevel: riskLevelSchema,
    receivedAt: z.iso.datetime({ offset: true }).describe('When the referral was received (ISO 8601 with offset).'),
    reason: writtenTextSchema(REFERRAL_REASON_MAX, { required: false })
      .optional()
      .describe("Why the child is referred, in the referrer's words. Optional; kept as written (sealed under the child's key), never logged, and read for labelling language (languageFlags)."),
    allocatedTo: userId()
      .optional()
      .describe("The worker to allocate the case to (their token's `sub`) when it has nobody yet; a social worker may name only themselves."),
  })
  .strict()
  .meta({
    example: {
      childId: 'child-0001',
      area: 'E09000001',
      sourceAgency: 'school',
      concerns: ['criminal_exploitation', 'missing_episodes'],
      riskLevel: 'medium',
      receivedAt: '2026-11-24T09:00:00Z',
      reason: 'Missing from school for two weeks; seen with older teenagers near the station late at night.',
    },
  });

/** The body and the events its fields become: route-limits.test.ts holds their bounds equal. */
export const bodiesAndEvents = [
  { route: 'POST /v1/referrals', body: referralBody, event: 'referral.received.v1' },
  { route: 'POST /v1/referrals', body: referralBody, event: 'case.allocated.v1' },
] as const;

const referralAnswer = z.object({
  referralId: z.uuid(),
  caseId: z.uuid(),
  reReferral: z.boolean().describe("True when the child's previous case in this area closed within the area's re-referral window (365 days by default)."),
  allocatedTo: z.string().nullable().describe('The worker the case is allocated to now, or null while nobody is.'),
  languageFlags: z.array(languageFlagSchema).describe('Labelling or victim-blaming phrases in the reason (field `reason`), with the wording to use instead; the reason is kept as written.'),
});

export function referralRoutes(app: ServiceApp, service: CommandService): void {
  app.post(
    '/v1/referrals',
    {
      schema: {
        summary: 'Receive a referral',
        description:
          "Joins the child's open case in that area, or opens a new case. Marked as a re-referral when the child's previous case in the area closed within the area's re-referral window (365 days unless the area's configuration says otherwise). Answers languageFlags: labelling phrases in the reason, with suggested wording. Send an Idempotency-Key to make retries safe.",
        tags: ['referrals'],
        body: referralBody,
        response: { 201: referralAnswer, ...writeResponses },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const { allocatedTo, ...body } = request.body;
      requireArea(user, body.area, 'body.area', 'refer a child there');
      const ctx = commandContext(request, user);
      notInFuture(body.receivedAt, 'body.receivedAt', ctx.now);
      const referralId = randomUUID();
      const newCaseId = randomUUID();
      const caseStatuses = (await casesOfChild(service.store.pool, service.store.schema, body.area, body.childId)).map((c) => ({
        caseId: c.caseId,
        status: c.status,
        ...(c.closedAt ? { closedAt: c.closedAt } : {}),
      }));
      const by: Allocator = { sub: user.sub, role: user.role as Allocator['role'] };
      let state: ChildState | undefined;
      const answer = await executeCommand<ChildEvent, z.infer<typeof referralAnswer>, 201>({
        store: service.store,
        request,
        ctx,
        streamId: childStreamId(body.area, body.childId),
        area: body.area,
        seal: await service.sealerFor(body),
        decide: (history) => {
          state = fold(childReferralsDecider, history);
          const reReferralWindowDays = service.rulesFor(body.area).thresholds.rereferralWindowDays;
          const command = { kind: 'receive' as const, referralId, newCaseId, ...body, caseStatuses, reReferralWindowDays, by, at: ctx.now.toISOString(), ...(allocatedTo ? { allocateTo: allocatedTo } : {}) };
          return childReferralsDecider.decide(command, state);
        },
        answer: (events) => {
          const received = events.find((e) => e.type === 'referral.received.v1');
          if (!received || received.type !== 'referral.received.v1') throw new Error('a referral always records referral.received');
          const caseId = received.data.caseId;
          const allocated = events.find((e) => e.type === 'case.allocated.v1');
          const worker = allocated?.type === 'case.allocated.v1' ? allocated.data.allocatedTo : state?.allocatedTo[caseId];
          return {
            status: 201,
            body: { referralId, caseId, reReferral: received.data.reReferral, allocatedTo: worker ?? null, languageFlags: service.languageFlags(body.area, { reason: body.reason }) },
          };
        },
        // The next referral of this child must see this case at once, not after Kafka brings it back.
        project: async (client, events) => {
          for (const e of events) await applyToCaseView(client, service.store.schema, e);
        },
      });
      return reply.code(answer.status).send(answer.body);
    },
  );
}

