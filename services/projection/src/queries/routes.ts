import type pg from 'pg';
import { z } from 'zod';
import { anyEnvelopeSchema, areaCode, flagSchema, ruleIdSchema, type Flag as ContractFlag } from '@syv/contracts';
import { problemResponses } from '@syv/command-service';
import { notFoundUnlessInArea, problem, requireRole, type AuthUser, type ServiceApp } from '@syv/service-kit';
import { recordAccess } from '../access/access-log.js';
import { areasToList } from '../access/areas.js';
import { flagsOfCases, type StoredFlag } from './stored-flags.js';
import { loadCaseEvents } from '../read-model/case-events.js';
import type { ReadModel } from '../read-model/context.js';
import { buildCaseHistory } from '../rules/index.js';
import { summariseCase } from './case-summary.js';
import { flagsAsOf } from './flags-as-of.js';
import { areaStats } from './stats.js';
import { caseArea, listCases } from './store.js';

const flagView = flagSchema.extend({ since: z.string().optional().describe('When the flag started (live view only).') });

const caseListItem = z.object({
  caseId: z.uuid(),
  area: z.string(),
  childId: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  riskLevel: z.string().nullable(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  lastContactAt: z.string().nullable(),
  agencies: z.array(z.string()),
  flags: z.array(flagView),
});

const caseSummaryView = z.object({
  caseId: z.uuid(),
  area: z.string(),
  childId: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  asOf: z.string(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  closureReason: z.string().nullable(),
  riskLevel: z.string().nullable(),
  extraFamilialHarm: z.boolean(),
  supportDays: z.number().int().nullable().describe('Whole days from the first intervention to the closure, or to asOf while open.'),
  firstInterventionAt: z.string().nullable(),
  interventions: z.number().int(),
  agencies: z.array(z.string()),
  onwardReferrals: z.array(
    z.object({ onwardReferralId: z.uuid(), agency: z.string(), referredAt: z.string(), startedAt: z.string().nullable(), waitDays: z.number().int(), waiting: z.boolean() }),
  ),
  lastContactWithChild: z.object({ at: z.string(), daysAgo: z.number().int(), agency: z.string(), kind: z.string() }).nullable(),
  incidents: z.number().int(),
  closure: z.object({ closureRequestId: z.uuid(), requestedAt: z.string(), reason: z.string(), status: z.string() }).nullable(),
  flags: z.array(flagView),
});

const statsView = z.object({
  asOf: z.string(),
  areas: z.array(
    z.object({
      area: z.string(),
      openCases: z.number().int(),
      medianSupportDays: z.number().nullable().describe('Median days from first intervention to closure, over closed cases.'),
      waitsByAgency: z
        .array(z.object({ agency: z.string(), medianWaitDays: z.number(), started: z.number().int(), waiting: z.number().int() }))
        .describe('Onward referrals per agency; a wait not yet over counts up to now (or to the case’s closure).'),
      closures: z.number().int(),
      closuresFlagged: z.number().int(),
      shareOfClosuresFlagged: z.number().nullable(),
      closuresFollowedByReReferral: z.number().int(),
      referrals: z.number().int(),
      reReferrals: z.number().int(),
      reReferralRate: z.number().nullable(),
    }),
  ),
});

function liveFlag(f: StoredFlag): z.infer<typeof flagView> {
  return { rule: f.rule as ContractFlag['rule'], severity: f.severity as ContractFlag['severity'], explanation: f.explanation, evidence: f.evidence, since: f.since.toISOString() };
}

export interface QueryDeps {
  pool: pg.Pool;
  readModel: ReadModel;
  now?: () => Date;
}

export function queryRoutes(app: ServiceApp, deps: QueryDeps): void {
  const { pool, readModel: rm } = deps;
  const { schema } = rm;
  const now = deps.now ?? (() => new Date());

  /** 404 alike for a case that does not exist and one in another area. */
  async function visibleCaseArea(user: AuthUser, caseId: string): Promise<string> {
    const area = await caseArea(pool, schema, caseId);
    if (area === undefined) throw problem('NOT_FOUND', `Case ${caseId} was not found`);
    notFoundUnlessInArea(user, area, `Case ${caseId}`);
    return area;
  }

  app.get(
    '/v1/cases',
    {
      schema: {
        summary: 'Cases of your areas, with their flags',
        description: 'Any role. Newest first; filter by status, by a rule that currently flags the case, or by one of your areas.',
        tags: ['cases'],
        querystring: z
          .object({
            status: z.enum(['open', 'closed']).optional(),
            flag: ruleIdSchema.optional(),
            area: areaCode().optional(),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(caseListItem), next: z.number().int().nullable() }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = request.user;
      const q = request.query;
      const rows = await listCases(pool, schema, { areas: areasToList(user, q.area), status: q.status, flag: q.flag, limit: q.limit + 1, offset: q.offset });
      const page = rows.slice(0, q.limit);
      const flags = await flagsOfCases(pool, schema, page.map((r) => r.caseId));
      await recordAccess(pool, schema, user, page.map((r) => r.caseId), 'list');
      return {
        items: page.map((r) => ({
          caseId: r.caseId,
          area: r.area,
          childId: r.childId,
          status: r.status,
          riskLevel: r.riskLevel,
          openedAt: r.openedAt?.toISOString() ?? null,
          closedAt: r.closedAt?.toISOString() ?? null,
          lastContactAt: r.lastContactAt?.toISOString() ?? null,
          agencies: r.agencies,
          flags: (flags.get(r.caseId) ?? []).map(liveFlag),
        })),
        next: rows.length > q.limit ? q.offset + q.limit : null,
      };
    },
  );

  app.get(
    '/v1/cases/:caseId',
    {
      schema: {
        summary: 'One case: status, dates, support, agencies, waits, last contact, flags',
        description:
          'Any role in the case’s area. With `asOf`, the case as it was then: the facts dated at or before that time, and the flags the rules gave then. Every read is recorded in the access log.',
        tags: ['cases'],
        params: z.object({ caseId: z.uuid() }),
        querystring: z.object({ asOf: z.iso.datetime({ offset: true }).optional() }).strict(),
        response: { 200: caseSummaryView, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const user = request.user;
      const { caseId } = request.params;
      const area = await visibleCaseArea(user, caseId);
      const asOf = request.query.asOf === undefined ? undefined : new Date(request.query.asOf);
      const events = await loadCaseEvents(pool, schema, caseId);
      const history = buildCaseHistory(events, caseId, rm.matchLanguage);
      const at = asOf ?? now();
      const summary = summariseCase(history, events, at);
      const stored = (await flagsOfCases(pool, schema, [caseId])).get(caseId) ?? [];
      const flags = asOf
        ? flagsAsOf(
            history,
            asOf,
            summary.closure,
            rm.thresholdsFor(area),
            stored.filter((f) => f.source === 'rereferral'),
          )
        : stored.map(liveFlag);
      await recordAccess(pool, schema, user, [caseId], asOf ? 'summary_as_of' : 'summary');
      return { ...summary, flags };
    },
  );

  app.get(
    '/v1/cases/:caseId/events',
    {
      schema: {
        summary: 'The case’s events, in order',
        description: 'Supervisors and auditors. Every event of the case as it was published (CloudEvents), in log order.',
        tags: ['cases'],
        params: z.object({ caseId: z.uuid() }),
        response: { 200: z.object({ caseId: z.uuid(), events: z.array(anyEnvelopeSchema) }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'supervisor', 'auditor');
      const { caseId } = request.params;
      await visibleCaseArea(user, caseId);
      const events = await loadCaseEvents(pool, schema, caseId);
      await recordAccess(pool, schema, user, [caseId], 'events');
      return { caseId, events };
    },
  );

  app.get(
    '/v1/stats',
    {
      schema: {
        summary: 'Per-area numbers',
        description:
          'Supervisors and auditors. Per area: open cases, median support days, median wait by agency, share of closures flagged, re-referral rate.',
        tags: ['stats'],
        querystring: z.object({ area: areaCode().optional() }).strict(),
        response: { 200: statsView, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'supervisor', 'auditor');
      const at = now();
      return { asOf: at.toISOString(), areas: await areaStats(pool, schema, areasToList(user, request.query.area), at) };
    },
  );
}
