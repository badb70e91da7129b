import type pg from 'pg';
import { z } from 'zod';
import { anyEnvelopeSchema, CASE_EVENT_TYPES } from '@syv/contracts';
import { problemResponses } from '@syv/command-service';
import { canSeeArea, problem, requireRole, type AuthUser, type ServiceApp } from '@syv/service-kit';
import type { AnyEvent } from '@syv/contracts';
import { openEvent, type KeyStore } from '@syv/personal-data';
import { recordAccess } from '../access/access-log.js';
import { listAccessLog } from './access-log-list.js';
import { auditSchemaOf } from './audit-schema.js';
import { formatCursor, parseCursor, readHistory } from './history.js';
import { promoteReplay, type PromotionOptions } from './promotion.js';
import type { ReplayRunner } from './replay-runner.js';
import { listReplays, loadReplay, type ReplayRow } from './replay-store.js';
import { replayView, viewOf, type ReplayView } from './replay-view.js';

interface AuditDeps extends PromotionOptions {
  runner: ReplayRunner;
  keys: KeyStore;
}

/**
 * 19 digits can exceed the int64 of a Kafka offset and of the access log's id; PostgreSQL would
 * then refuse the comparison (a 500). No page can ever end past it, so such a value is bad input.
 */
const INT64_MAX = 9223372036854775807n;
const fitsInt64 = (digits: string | undefined) => digits !== undefined && /^\d{1,19}$/.test(digits) && BigInt(digits) <= INT64_MAX;

const CURSOR = /^\d{1,6}:\d{1,19}$/;
const cursorText = z
  .string()
  .regex(CURSOR, 'a cursor "<partition>:<offset>" from an earlier page')
  // Only for a cursor of the right shape: one error per bad value, not two.
  .refine((s) => !CURSOR.test(s) || fitsInt64(s.split(':')[1]), 'the offset of a cursor is at most 9223372036854775807');

/** The audit routes: the whole history, the access log, replays and their promotion. Auditors only. */
export function auditRoutes(app: ServiceApp, deps: AuditDeps): void {
  const pool: pg.Pool = deps.pool;
  const schema = deps.readModel.schema;
  const auditSchema = auditSchemaOf(schema);

  async function replayOr404(replayId: string): Promise<ReplayRow> {
    const r = await loadReplay(pool, auditSchema, replayId);
    if (!r) throw problem('NOT_FOUND', `There is no replay ${replayId}.`);
    return r;
  }

  /**
   * A replay as this auditor may see it: auditors read everything in their areas, so a differing
   * case of another area (or one the live read model does not hold, whose area is unknown) is
   * left out of the list; the counts and checksums, which name no case, stay whole.
   */
  async function viewFor(user: AuthUser, r: ReplayRow): Promise<ReplayView> {
    const view = viewOf(r);
    if (view.differingCases.length === 0) return view;
    const { rows } = await pool.query<{ case_id: string; area: string }>(`SELECT case_id::text, area FROM ${schema}.cases WHERE case_id = ANY($1::uuid[])`, [
      view.differingCases.map((d) => d.caseId),
    ]);
    const areaOf = new Map(rows.map((row) => [row.case_id, row.area]));
    return { ...view, differingCases: view.differingCases.filter((d) => canSeeArea(user, areaOf.get(d.caseId) ?? '')) };
  }

  app.get(
    '/v1/audit/events',
    {
      schema: {
        summary: 'Every event, in log order, paged',
        description:
          'Auditors. Events of the auditor’s areas in log order (partition by partition, offset order within one; one case’s events are always in order). Filter by type (comma-separated), recorded time (`from` inclusive, `to` exclusive) and case. `next` is the cursor for `after`; it stays valid however many events arrive. Every case on a page is recorded in the access log.',
        tags: ['audit'],
        querystring: z
          .object({
            after: cursorText.optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            type: z
              .string()
              .transform((s) => s.split(',').map((t) => t.trim()))
              .pipe(z.array(z.enum(CASE_EVENT_TYPES)).min(1))
              .optional(),
            from: z.iso.datetime({ offset: true }).optional(),
            to: z.iso.datetime({ offset: true }).optional(),
            caseId: z.uuid().optional(),
          })
          .strict(),
        response: {
          200: z.object({ items: z.array(z.object({ position: z.string(), event: anyEnvelopeSchema })), next: z.string().nullable() }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const user = requireRole(request, 'auditor');
      const q = request.query;
      const items = await readHistory(pool, schema, {
        areas: user.areas,
        after: q.after === undefined ? undefined : parseCursor(q.after),
        types: q.type,
        from: q.from === undefined ? undefined : new Date(q.from),
        to: q.to === undefined ? undefined : new Date(q.to),
        caseId: q.caseId,
        limit: q.limit,
      });
      await recordAccess(pool, schema, user, [...new Set(items.map((i) => i.event.subject))], 'audit_events');
      const last = items.at(-1);
      return {
        items: await Promise.all(items.map(async (i) => ({ position: formatCursor(i.position), event: (await openEvent(i.event as AnyEvent, deps.keys)).event }))),
        next: items.length === q.limit && last ? formatCursor(last.position) : null,
      };
    },
  );

  app.get(
    '/v1/audit/access-log',
    {
      schema: {
        summary: 'Who read which case, when',
        description: 'Auditors. Every read of a case of the auditor’s areas, oldest first; by case, by user, or both. `next` is the `after` of the next page.',
        tags: ['audit'],
        querystring: z
          .object({
            caseId: z.uuid().optional(),
            // PostgreSQL's text refuses a NUL (a 500); no user id holds one.
            user: z
              .string()
              .min(1)
              .max(200)
              .refine((s) => !s.includes('\u0000'), 'a user id holds no NUL character')
              .optional(),
            after: z
              .string()
              .regex(/^\d{1,19}$/, 'an entry id from an earlier page')
              .refine((s) => !/^\d{1,19}$/.test(s) || fitsInt64(s), 'the id of an entry is at most 9223372036854775807')
              .optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
          })
          .strict(),
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), at: z.string(), user: z.string(), role: z.string(), caseId: z.string(), action: z.string() })),
            next: z.string().nullable(),
          }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const user = requireRole(request, 'auditor');
      const q = request.query;
      const items = await listAccessLog(pool, schema, { areas: user.areas, caseId: q.caseId, user: q.user, after: q.after, limit: q.limit });
      return { items, next: items.length === q.limit ? (items.at(-1)?.id ?? null) : null };
    },
  );

  app.post(
    '/v1/audit/replays',
    {
      schema: {
        summary: 'Rebuild the read model from offset 0 into a shadow schema and compare it with the live one',
        description:
          'Auditors. 202 with the replay; follow it at `GET /v1/audit/replays/{id}`. The live read model keeps serving. Only one replay runs at a time (409 otherwise). The replay publishes nothing.',
        tags: ['audit'],
        response: { 202: replayView, ...problemResponses(401, 403, 409) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'auditor');
      const replayId = await deps.runner.start(user);
      return reply.code(202).send(await viewFor(user, await replayOr404(replayId)));
    },
  );

  app.get(
    '/v1/audit/replays',
    {
      schema: {
        summary: 'Recent replays, newest first',
        tags: ['audit'],
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
        response: { 200: z.object({ items: z.array(replayView) }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'auditor');
      return { items: await Promise.all((await listReplays(pool, auditSchema, request.query.limit)).map((r) => viewFor(user, r))) };
    },
  );

  app.get(
    '/v1/audit/replays/:replayId',
    {
      schema: {
        summary: 'A replay’s progress, and when finished its checksums and whether they match',
        tags: ['audit'],
        params: z.object({ replayId: z.uuid() }),
        response: { 200: replayView, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'auditor');
      return viewFor(user, await replayOr404(request.params.replayId));
    },
  );

  const cancel = async (user: AuthUser, replayId: string) => {
    await replayOr404(replayId);
    await deps.runner.cancel(replayId);
    return viewFor(user, await replayOr404(replayId));
  };
  const cancelSchema = {
    summary: 'Cancel a running replay; its shadow schema is dropped',
    tags: ['audit'],
    params: z.object({ replayId: z.uuid() }),
    response: { 200: replayView, ...problemResponses(401, 403, 404) },
  };
  app.post('/v1/audit/replays/:replayId/cancel', { schema: cancelSchema }, async (request) => {
    return cancel(requireRole(request, 'auditor'), request.params.replayId);
  });
  app.delete('/v1/audit/replays/:replayId', { schema: cancelSchema }, async (request) => {
    return cancel(requireRole(request, 'auditor'), request.params.replayId);
  });

  app.post(
    '/v1/audit/replays/:replayId/promote',
    {
      schema: {
        summary: 'Make a finished replay the live read model, without downtime',
        description:
          'Auditors. Needed after a rule or threshold change (the replay then differs where the new rules judge history differently: review `differingCases`, then pass `acceptDifferences`). A replay with fault injection is never promoted. Nothing is published again: the outbox, acknowledgements and access log carry over.',
        tags: ['audit'],
        params: z.object({ replayId: z.uuid() }),
        body: z.object({ acceptDifferences: z.boolean().default(false) }).strict().optional(),
        response: { 200: replayView, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'auditor');
      await promoteReplay(deps, request.params.replayId, request.body?.acceptDifferences ?? false);
      return viewFor(user, await replayOr404(request.params.replayId));
    },
  );
}
