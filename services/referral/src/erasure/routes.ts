import { z } from 'zod';
import { commandContext, problemResponses, writeResponses, type CommandService } from '@syv/command-service';
import { areaCode, childId, ERASURE_LEGAL_BASES, ERASURE_REASON_MAX, erasureLegalBasisSchema, writtenTextSchema } from '@syv/contracts';
import { requireArea, requireRole, type ServiceApp } from '@syv/service-kit';
import { eraseChild } from './erase.js';

const erasureBody = z
  .object({
    area: areaCode().describe("The area whose record of the child is erased: one of the token's areas."),
    reason: writtenTextSchema(ERASURE_REASON_MAX, { required: true }).describe(
        'Why, in a few words that name no one and hold no personal data: a reference to the request, the order or the retention review. It is recorded as written, not sealed, and stays after the erasure.',
      ),
    legalBasis: erasureLegalBasisSchema.describe(`The legal basis: ${ERASURE_LEGAL_BASES.join(', ')} (then the reason says which).`),
  })
  .strict()
  .meta({ example: { area: 'E09000001', reason: 'Retention period of the case records ended (retention review RR-2033-014).', legalBasis: 'retention_period_ended' } });

/** The body and the event its fields become: route-limits.test.ts holds their bounds equal. */
export const bodiesAndEvents = [{ route: 'POST /v1/children/{childId}/erasure', body: erasureBody, event: 'child.erased.v1' }] as const;

const erasureAnswer = z.object({
  childId: z.string(),
  area: z.string(),
  erasedAt: z.iso.datetime({ offset: true }).describe("When the child's keys were deleted (the time of the request when there were none)."),
  keyIds: z.array(z.uuid()).describe('The data keys deleted; empty when no text was ever sealed for the child.'),
  cases: z.array(z.uuid()).describe('The cases of the child in the area; each has a child.erased event in its history.'),
});

export function erasureRoutes(app: ServiceApp, service: CommandService): void {
  app.post(
    '/v1/children/:childId/erasure',
    {
      schema: {
        summary: "Erase a child's personal texts in an area",
        description:
          "Data protection officers only. Deletes the child's data keys in the area, so every free text written about the child there (notes, reasons, descriptions, rationales, views, summaries), wherever it was stored, published or copied, reads as `[erased]` from then on (every service within its key cache bound, 60 s by default). Flags, dates, agencies and the shape of each case remain. Records child.erased (who, when, legal basis, reason, which keys) on each case of the child in the area. Asked again, it records nothing new and answers the same. A child with no case in the area is 404; an area not in the token is 403.",
        tags: ['erasure'],
        params: z.object({ childId: childId() }),
        body: erasureBody,
        response: { 200: erasureAnswer, ...writeResponses, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'data_protection_officer');
      const { childId: child } = request.params;
      const { area, reason, legalBasis } = request.body;
      requireArea(user, area, 'body.area', "erase a child's record there");
      const answer = await eraseChild(service, { childId: child, area, reason, legalBasis }, { ctx: commandContext(request, user), request });
      return reply.code(answer.status).send(answer.body);
    },
  );
}
