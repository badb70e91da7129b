import { z } from 'zod';
import { problemResponses, type CommandService } from '@syv/command-service';
import { areaCode } from '@syv/contracts';
import { requireArea, requireRole, type ServiceApp } from '@syv/service-kit';
import { scheduleOf } from './store.js';

const query = z
  .object({
    area: areaCode().optional().describe("One of the token's areas; default: all of them."),
    before: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('The time of the run to preview (default: now): the children whose retention period has ended by then.'),
  })
  .strict();

const dueItem = z.object({
  childId: z.string(),
  area: z.string(),
  lastClosedAt: z.iso.datetime({ offset: true }).describe("When the last of the child's cases in the area closed."),
  dueSince: z.iso.datetime({ offset: true }).describe("When the area's retention period after that closure ended."),
});

export function retentionRoutes(app: ServiceApp, service: CommandService): void {
  app.get(
    '/v1/retention/due',
    {
      schema: {
        summary: 'Preview which children the retention job would erase',
        description:
          "Data protection officers only. A dry run: the children a retention run at `before` (default now) would erase, oldest period first: those whose every case in the area is closed, whose last closure is at least the area's `retentionYearsAfterClosure` ago, and who have a case no erasure covers yet. Nothing is changed. An area not in the token is 403.",
        tags: ['erasure'],
        querystring: query,
        response: { 200: z.object({ items: z.array(dueItem) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'data_protection_officer');
      const { area, before } = request.query;
      if (area !== undefined) requireArea(user, area, 'query.area', 'see its retention schedule');
      const schedule = await scheduleOf(service, area === undefined ? user.areas : [area], before === undefined ? new Date() : new Date(before));
      return { items: schedule.due };
    },
  );
}
