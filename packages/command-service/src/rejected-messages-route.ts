import type pg from 'pg';
import { z } from 'zod';
import { listRejected } from '@syv/kafka-projection';
import { requireRole, type ServiceApp } from '@syv/service-kit';
import { problemResponses } from './openapi.js';

export const REJECTED_MESSAGES_PATH = '/v1/admin/rejected-messages';

const query = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    after: z
      .string()
      .regex(/^\d{1,18}$/, 'must be the id of a listed message')
      .optional()
      .describe('Page on: the id of the last message of the previous page.'),
  })
  .strict();

const rejectedMessage = z.object({
  id: z.string(),
  consumer: z.string(),
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string(),
  error: z.string().describe('Why the message was not applied, e.g. malformed JSON or an unknown event type.'),
  rawBytes: z.number().int().describe('Size of the stored value; the value itself is not served.'),
  rejectedAt: z.string(),
});

/**
 * The messages this service's case-events consumer set aside (malformed, not a CloudEvent, an
 * unknown type), so an operator can see that the stream went on without them and why. The raw
 * value stays in the database: a message that failed to parse cannot be filtered by area, and it
 * may hold another area's case recording.
 */
export function rejectedMessagesRoute(app: ServiceApp, db: { pool: pg.Pool; schema: string; consumer: string }): void {
  app.get(
    REJECTED_MESSAGES_PATH,
    {
      schema: {
        summary: 'List messages set aside by the case-events consumer',
        description: 'Supervisors and auditors. Oldest first; page with `after`. A message lands here when it is not a valid case event; the consumer went on past it.',
        tags: ['operations'],
        querystring: query,
        response: {
          200: z.object({ consumer: z.string(), items: z.array(rejectedMessage), next: z.string().optional().describe('`after` for the next page, when there may be one.') }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      requireRole(request, 'supervisor', 'auditor');
      const { limit, after } = request.query;
      const rows = await listRejected(db.pool, db.schema, db.consumer, limit, after);
      const items = rows.map(({ raw, ...row }) => ({ ...row, rawBytes: raw === null ? 0 : Buffer.byteLength(raw, 'utf8') }));
      const last = items.at(-1);
      return { consumer: db.consumer, items, ...(items.length === limit && last ? { next: last.id } : {}) };
    },
  );
}
