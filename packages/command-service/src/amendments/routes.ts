import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AMENDMENT_REASON_MAX, AMENDMENT_TEXT_MAX, writtenTextSchema } from '@syv/contracts';
import { readEvent } from '@syv/event-store';
import { openEvent } from '@syv/personal-data';
import { foundInArea, problem, requireRole, type ServiceApp } from '@syv/service-kit';
import { commandContext } from '../command-context.js';
import { earlierAnswer, executeCommand } from '../execute.js';
import { languageFlagSchema } from '../language.js';
import { problemResponses, writeResponses } from '../openapi.js';
import type { CommandService } from '../runtime.js';
import { fromStoredEvent } from '../stored-event.js';
import { amendableFields, correctedTextProblem, decideAmendment } from './decider.js';

const amendmentBody = z
  .object({
    field: z.string().min(1).max(64).describe('The free text to correct, by its name in the record (e.g. `notes`, `childViews`, `reason`, `description`, `rationale`, `summary`).'),
    text: writtenTextSchema(AMENDMENT_TEXT_MAX, { required: false }).describe('The text as it should read; empty clears it. Sealed under the child’s key, never logged, read for labelling language.'),
    reason: writtenTextSchema(AMENDMENT_REASON_MAX, { required: true }).describe('Why it is corrected (a wrong fact, blaming words, the family asked). Sealed, never logged; the auditor sees it.'),
  })
  .strict()
  .meta({
    example: {
      field: 'notes',
      text: 'First session at the youth hub. He is being exploited by older boys and owes them money; he wants help to stop.',
      reason: 'The first version said he chose this lifestyle; he is a child being exploited.',
    },
  });

const amendmentAnswer = z.object({ amendmentId: z.uuid(), recordId: z.uuid(), field: z.string(), languageFlags: z.array(languageFlagSchema) });
type AmendmentAnswer = z.infer<typeof amendmentAnswer>;

/** The body and the event its fields become: route-limits.test.ts holds their bounds equal. */
export const bodiesAndEvents = [{ route: 'POST /v1/records/{eventId}/amendments', body: amendmentBody, event: 'record.amended.v1' }] as const;

/**
 * `POST /v1/records/{eventId}/amendments`, in every command service for the records it owns: the
 * author of a record, or a supervisor of its area, corrects one of its free texts.
 */
export function amendmentRoutes(app: ServiceApp, service: CommandService): void {
  app.post(
    '/v1/records/:eventId/amendments',
    {
      schema: {
        summary: 'Correct a text of a record',
        description:
          "The worker who wrote a record, or a supervisor of its area, corrects one of its free texts: a wrong fact, or words that blame the child. The record itself is not changed: the correction is recorded beside it (record.amended.v1) with why, sealed under the child's key. The case's record then shows the corrected text, marked as corrected, and its labelling flags are worked out again (a flag whose phrase is gone clears); the auditor's history keeps both versions, with who, when and why. Each service corrects the records it recorded: referrals, allocations and onward referrals at the referral service, interventions, incidents and risk assessments at the intervention service, closure requests, closures and reopenings at the case-closure service. Answers languageFlags for the new text and the reason. A text erased with the child's data cannot be corrected (409 TEXT_ERASED).",
        tags: ['records'],
        params: z.object({ eventId: z.uuid().describe('The record: the id of the event that recorded it (`eventId` in the case’s record).') }),
        body: amendmentBody,
        response: {
          201: amendmentAnswer,
          ...writeResponses,
          ...problemResponses(404, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'social_worker', 'supervisor');
      const ctx = commandContext(request, user);
      const { eventId } = request.params;
      const { field, text, reason } = request.body;
      const stored = await readEvent(service.store.pool, service.store.schema, eventId);
      // A record of another area answers as one that does not exist, so ids cannot be probed.
      const record = foundInArea(user, stored && fromStoredEvent(stored), 'NOT_FOUND', `There is no record ${eventId} in this service in your areas. A record is corrected at the service that recorded it.`);
      const fields = amendableFields(record.type);
      if (!fields.includes(field)) {
        const what = fields.length === 0 ? 'has no free text to correct' : `has no text ${field}: its texts are ${fields.join(', ')}`;
        throw problem('VALIDATION_FAILED', `This record (${record.type}) ${what}.`, {
          errors: [{ field: 'body.field', message: fields.length === 0 ? 'the record has no free text' : `must be one of ${fields.join(', ')}` }],
        });
      }
      const misfit = correctedTextProblem(record.type, field, text);
      if (misfit) throw problem('VALIDATION_FAILED', `The corrected ${field} does not fit the record: ${misfit}.`, { errors: [{ field: 'body.text', message: misfit }] });
      const child = await service.caseFor(user, record.subject);
      // Erased: a text of it reads as erased, or the child was erased after it was recorded (a
      // record whose texts were all blank has nothing sealed to tell).
      const { erased: erasedFields } = await openEvent(record, service.keys);
      const erasures = await service.keys.erasedKeys(child);
      const erased = erasedFields.length > 0 || erasures.some((k) => k.erasedAt.getTime() >= Date.parse(record.time));
      const amendmentId = randomUUID();
      const decide = () =>
        decideAmendment(
          { amendmentId, field, text, reason, by: ctx.actor, at: ctx.now.toISOString() },
          { id: record.id, type: record.type, caseId: record.subject, area: record.area, actor: record.actor, erased },
        );
      // Refused before the child's key is asked for: asking creates one when the child has none
      // live, and an erased child must not get a new key from a correction that is refused.
      // (A request answered before is answered the same, as executeCommand would.)
      const before = await earlierAnswer<AmendmentAnswer, 201>(service.store, request, ctx);
      if (before) return reply.code(before.status).send(before.body);
      const first = decide();
      if (!first.ok) throw problem(first.rejection.code, first.rejection.message);
      const answer = await executeCommand({
        store: service.store,
        request,
        ctx,
        // The record's corrections, one after another: each sees the ones before it.
        streamId: `amendments-${eventId}`,
        caseId: record.subject,
        area: record.area,
        seal: await service.sealerFor(child),
        decide,
        answer: () => ({ status: 201 as const, body: { amendmentId, recordId: eventId, field, languageFlags: service.languageFlags(record.area, { text, reason }) } }),
      });
      return reply.code(answer.status).send(answer.body);
    },
  );
}
