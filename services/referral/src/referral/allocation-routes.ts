import { z } from 'zod';
import { commandContext, executeCommand, languageFlagSchema, problemResponses, refuseIfClosed, writeResponses, type CommandService } from '@syv/command-service';
import { userId, writtenTextSchema } from '@syv/contracts';
import { fold } from '@syv/decider';
import { requireRole, type ServiceApp } from '@syv/service-kit';
import { childReferralsDecider, childStreamId, type Allocator, type ChildEvent } from './decider.js';

const allocationBody = z
  .object({
    allocatedTo: userId().describe("The worker to allocate the case to: their token's `sub`."),
    note: writtenTextSchema(2_000, { required: false }).optional().describe('Why, in a few words (e.g. a handover). Kept with the allocation; never logged.'),
  })
  .strict()
  .meta({ example: { allocatedTo: 'sw-4821', note: 'Handover: J. moves to the youth team.' } });

/** The body and the event its fields become: route-limits.test.ts holds their bounds equal. */
export const bodiesAndEvents = [{ route: 'POST /v1/cases/{caseId}/allocation', body: allocationBody, event: 'case.allocated.v1' }] as const;

const allocationAnswer = z.object({
  caseId: z.uuid(),
  allocatedTo: z.string(),
  previouslyAllocatedTo: z.string().nullable(),
  languageFlags: z.array(languageFlagSchema).describe('Labelling or victim-blaming phrases in the note, with suggested wording.'),
});

/**
 * Allocation lives on the child's stream, which opened the case: two workers taking one case at
 * once meet on its version, so exactly one of them gets it.
 */
export function allocationRoutes(app: ServiceApp, service: CommandService): void {
  app.post(
    '/v1/cases/:caseId/allocation',
    {
      schema: {
        summary: 'Allocate a case to a worker',
        description:
          'A social worker takes an unallocated case (allocatedTo: their own id); a supervisor allocates any case in their areas, or hands it over to another worker. Records case.allocated: the worker sees the case in their caseload and receives its alerts. A closed case cannot be allocated. Send an Idempotency-Key to make retries safe.',
        tags: ['referrals'],
        params: z.object({ caseId: z.uuid() }),
        body: allocationBody,
        response: { 200: allocationAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const { caseId } = request.params;
      const found = await service.caseFor(user, caseId);
      refuseIfClosed(found, 'an allocation');
      const ctx = commandContext(request, user);
      const by: Allocator = { sub: user.sub, role: user.role as Allocator['role'] };
      const { allocatedTo, note } = request.body;
      const answer = await executeCommand<ChildEvent, z.infer<typeof allocationAnswer>, 200>({
        store: service.store,
        request,
        ctx,
        streamId: childStreamId(found.area, found.childId),
        area: found.area,
        seal: await service.sealerFor(found),
        decide: (history) =>
          childReferralsDecider.decide(
            { kind: 'allocate', caseId, area: found.area, allocatedTo, by, at: ctx.now.toISOString(), ...(note === undefined ? {} : { note }) },
            fold(childReferralsDecider, history),
          ),
        answer: (events) => {
          const allocated = events.find((e) => e.type === 'case.allocated.v1');
          if (allocated?.type !== 'case.allocated.v1') throw new Error('an allocation always records case.allocated');
          return {
            status: 200,
            body: { caseId, allocatedTo: allocated.data.allocatedTo, previouslyAllocatedTo: allocated.data.previouslyAllocatedTo, languageFlags: service.languageFlags(found.area, { note }) },
          };
        },
      });
      return reply.code(answer.status).send(answer.body);
    },
  );
}
