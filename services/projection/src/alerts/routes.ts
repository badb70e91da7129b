import type pg from 'pg';
import { z } from 'zod';
import { areaCode, writtenTextSchema } from '@syv/contracts';
import { commandContext, problemResponses } from '@syv/command-service';
import { areasToList, requireRole, type ServiceApp } from '@syv/service-kit';
import type { KeyStore } from '@syv/personal-data';
import { acknowledgeAlert, acknowledgementNoteOf } from './acknowledge.js';
import { listAlerts } from './store.js';
import { alertView, toAlertView } from './views.js';

const page = { limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).default(0) };

export function alertRoutes(app: ServiceApp, deps: { pool: pg.Pool; schema: string; keys: KeyStore; now?: () => Date }): void {
  const { pool, schema, keys } = deps;
  const now = deps.now ?? (() => new Date());

  app.get(
    '/v1/alerts',
    {
      schema: {
        summary: 'Alerts of your areas, or of your cases',
        description:
          'Supervisors: the alerts of their areas. Social workers: the alerts of the cases allocated to them. Newest first. `status=open` lists those nobody has acknowledged yet.',
        tags: ['alerts'],
        querystring: z.object({ status: z.enum(['open', 'acknowledged']).optional(), area: areaCode().optional(), caseId: z.uuid().optional(), ...page }).strict(),
        response: { 200: z.object({ items: z.array(alertView), next: z.number().int().nullable() }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'supervisor', 'social_worker');
      const q = request.query;
      const allocatedTo = user.role === 'social_worker' ? user.sub : undefined;
      const rows = await listAlerts(pool, schema, { areas: areasToList(user, q.area), status: q.status, caseId: q.caseId, allocatedTo, limit: q.limit + 1, offset: q.offset });
      const shown = await Promise.all(rows.slice(0, q.limit).map((r) => acknowledgementNoteOf(r, keys)));
      return { items: shown.map(toAlertView), next: rows.length > q.limit ? q.offset + q.limit : null };
    },
  );

  app.post(
    '/v1/alerts/:alertId/acknowledge',
    {
      schema: {
        summary: 'Acknowledge an alert',
        description:
          'Supervisors of the area, and the worker the case is allocated to. Records who took the alert on and the action taken (`note`, optional) and publishes alert.acknowledged on the alerts topic. Repeating it as the same person answers the same; anyone else gets 409 naming who acknowledged it.',
        tags: ['alerts'],
        params: z.object({ alertId: z.uuid() }),
        body: z
          .object({ note: writtenTextSchema(2000, { required: false }).optional().describe('The action taken, in a few words; kept with the acknowledgement, never logged.') })
          .strict()
          // No body at all is an acknowledgement without a note, as before notes existed: Fastify
          // hands the validator null then, which `.optional()` alone refuses with a 400.
          .nullish(),
        response: { 200: alertView, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'supervisor', 'social_worker');
      const ctx = commandContext(request, user, now());
      const note = request.body?.note;
      const acknowledged = await acknowledgeAlert(pool, schema, request.params.alertId, { user, note, correlationid: ctx.correlationid, causationid: ctx.causationid, now: ctx.now, keys });
      return toAlertView(await acknowledgementNoteOf(acknowledged, keys));
    },
  );
}
