import type pg from 'pg';
import { z } from 'zod';
import {
  anyEnvelopeSchema,
  areaCode,
  caseAllocatedData,
  flagSchema,
  incidentRecordedData,
  interventionLoggedData,
  onwardReferralDeclinedData,
  onwardReferralEndedData,
  onwardReferralMadeData,
  onwardReferralStatusSchema,
  onwardReferralWithdrawnData,
  referralReceivedData,
  riskAssessedData,
  ruleIdSchema,
  supportOutcomeSchema,
  type Flag as ContractFlag,
} from '@syv/contracts';
import { problemResponses } from '@syv/command-service';
import { areasToList, type AuthUser, caseRoles, notFoundUnlessInArea, problem, requireRole, type ServiceApp } from '@syv/service-kit';
import { recordAccess } from '../access/access-log.js';
import { flagsOfCases, type StoredFlag } from './stored-flags.js';
import { loadCaseEvents } from '../read-model/case-events.js';
import { openEvents, type KeyStore } from '@syv/personal-data';
import type { ReadModel } from '../read-model/context.js';
import { wholeDaysBetween } from '../rules/days.js';
import { agenciesWorkingWith, buildCaseHistory } from '../rules/index.js';
import { caseRecord } from './case-record.js';
import { summariseCase } from './case-summary.js';
import { flagsAsOf } from './flags-as-of.js';
import { toCsv } from './csv.js';
import { areaStats, statsRows } from './stats.js';
import { caseArea, listCases, onwardReferralsOfCases } from './store.js';
import { areaWorkload } from './workload.js';

export const flagView = flagSchema.extend({ since: z.string().optional().describe('When the flag started (live view only).') });

const agenciesView = z
  .array(z.string())
  .describe(
    'The agencies working with the child, each once, sorted: every agency that delivered an intervention and every agency whose onward referral has started (its sessions are recorded in its own system). The same count CLOSURE_SINGLE_AGENCY weighs.',
  );

const caseListItem = z.object({
  caseId: z.uuid(),
  area: z.string(),
  childId: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  riskLevel: z.string().nullable(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  lastContactWithChildAt: z.string().nullable().describe('When the last intervention with the child took place (lastContactWithChild.at in the case summary), or null if there has been none.'),
  agencies: agenciesView,
  allocatedTo: z.string().nullable().describe('The worker the case is allocated to, or null while nobody is.'),
  daysSinceContact: z.number().int().nullable().describe('Whole days since the last intervention with the child, or null if there has been none.'),
  onwardReferralsWaiting: z
    .array(z.object({ onwardReferralId: z.uuid(), agency: z.string(), referredAt: z.string(), waitDays: z.number().int() }))
    .describe('Onward referrals not started yet, with how long the child has waited so far.'),
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
  harmOutsideHome: z
    .array(z.string())
    .nullable()
    .describe('The kinds of harm outside the home the latest risk assessment found (empty: none); null when it did not record them, as assessments made before the kinds could be recorded.'),
  supportDays: z.number().int().nullable().describe('Whole days from the first intervention to the closure, or to asOf while open.'),
  firstInterventionAt: z.string().nullable(),
  interventions: z.number().int(),
  agencies: agenciesView,
  onwardReferrals: z
    .array(
      z.object({
        onwardReferralId: z.uuid(),
        agency: z.string(),
        status: onwardReferralStatusSchema.describe('waiting for the agency, started, declined by it, withdrawn by the referrer, or its support ended.'),
        referredAt: z.string(),
        startedAt: z.string().nullable(),
        declinedAt: z.string().nullable(),
        withdrawnAt: z.string().nullable(),
        endedAt: z.string().nullable(),
        outcome: supportOutcomeSchema.nullable().describe('How the support ended; null until it has.'),
        waitDays: z.number().int().describe('Whole days from the referral to its start, refusal or withdrawal; while waiting, to asOf (or the closure).'),
        supportDays: z.number().int().nullable().describe('Whole days from the start to the end; while support goes on, to asOf (or the closure); null when it never started.'),
        waiting: z.boolean().describe('Still waiting for the agency: status is waiting.'),
      }),
    )
    .describe("Each onward referral's whole life as it stood at asOf."),
  lastContactWithChild: z.object({ at: z.string(), daysAgo: z.number().int(), agency: z.string(), kind: z.string() }).nullable(),
  childViewsLastRecordedAt: z
    .string()
    .nullable()
    .describe("When the child's views were last recorded: the latest intervention or risk assessment that wrote down what the child said (childViews); null when never."),
  incidents: z.number().int(),
  closure: z.object({ closureRequestId: z.uuid(), requestedAt: z.string(), reason: z.string(), status: z.string() }).nullable(),
  flags: z.array(flagView),
});

const statsView = z.object({
  asOf: z.string(),
  period: z
    .object({ from: z.string().nullable(), to: z.string().nullable() })
    .describe('The period asked for; null where that side is open (all time before or up to now).'),
  areas: z.array(
    z.object({
      area: z.string(),
      openCases: z.number().int().describe('Cases open at the end of the period (`to`), or now.'),
      medianSupportDays: z.number().nullable().describe('Median days from first intervention to closure, over cases closed in the period.'),
      waitsByAgency: z
        .array(
          z.object({
            agency: z.string(),
            medianWaitDays: z.number().describe('Median days from referral to start, refusal or withdrawal.'),
            started: z.number().int(),
            waiting: z.number().int().describe('Neither started, declined nor withdrawn by the end of the period.'),
            declined: z.number().int(),
            withdrawn: z.number().int(),
            shareDeclined: z.number().nullable().describe('Share of the referrals made that the agency declined (0 to 1); null when none were made.'),
            ended: z.number().int().describe('Referrals whose support ended.'),
            medianSupportDays: z.number().nullable().describe('Median days from start to end over the referrals whose support ended; null when none has.'),
          }),
        )
        .describe('Onward referrals made in the period, per agency, as they stood at its end; a wait not over by `to` (or now) counts up to then (or to the case’s closure).'),
      closures: z.number().int().describe('Cases closed in the period.'),
      closuresFlagged: z.number().int().describe('Closures whose assessment found at least one flag.'),
      shareOfClosuresFlagged: z.number().nullable(),
      closuresFlaggedApprovedAnyway: z.number().int().describe('Flagged closures that a supervisor approved all the same.'),
      shareOfClosuresFlaggedApprovedAnyway: z.number().nullable().describe('closuresFlaggedApprovedAnyway over closures.'),
      closuresFollowedByReReferral: z.number().int(),
      referrals: z.number().int().describe('Referrals received in the period.'),
      reReferrals: z
        .number()
        .int()
        .describe('Referrals received within 12 months of an earlier case of the child closing (the DfE measure), or that a REREFERRAL_AFTER_CLOSURE flag names.'),
      reReferralRate: z.number().nullable(),
    }),
  ),
});

/** The CSV file's name: the period's bounds with the colons a file system may refuse taken out. */
function statsFileName(from: string | undefined, to: string): string {
  const part = (iso: string) => iso.replaceAll(':', '');
  return `stats-${from === undefined ? 'start' : part(from)}-${part(to)}.csv`;
}

/**
 * Whose caseload a list asks for: `me` is the caller; another worker's id is for supervisors and
 * auditors, so a social worker cannot list a colleague's cases by id.
 */
function caseloadOf(user: AuthUser, asked: string | undefined): string | undefined {
  if (asked === undefined) return undefined;
  if (asked === 'me' || asked === user.sub) return user.sub;
  if (user.role === 'social_worker') {
    throw problem('FORBIDDEN', 'A social worker lists their own caseload (allocatedTo=me); a supervisor can list any worker\'s.', {
      errors: [{ field: 'query.allocatedTo', message: 'only me for a social worker' }],
    });
  }
  return asked;
}

const withEvent = { eventId: z.uuid().describe('The event that recorded it.') };
/** The corrections of a record's texts: each marks a text shown as corrected. */
const corrections = z
  .array(
    z.object({
      field: z.string().describe('The text corrected; it is shown as corrected.'),
      amendmentEventId: z.uuid().describe('The correction (record.amended.v1); the case’s history holds it beside the record as first written.'),
      amendedAt: z.string(),
      amendedBy: z.string().describe('The `sub` of who corrected it: the author or a supervisor.'),
      reason: z.string().describe('Why, as the corrector wrote it (or `[erased]`).'),
    }),
  )
  .describe('Corrections of this record’s texts, oldest first; empty when none. A text corrected reads as corrected.');
/** The labelling language found in a record's texts. */
const withLanguage = (texts: string) => ({
  ...withEvent,
  languageFlags: z
    .array(
      z.object({
        field: z.string().describe(`The text the phrase is in: ${texts}.`),
        phrase: z.string(),
        position: z.number().int().describe('Zero-based character offset in that text.'),
        suggestion: z.string(),
      }),
    )
    .describe('Labelling language in the texts of this record, each naming its field, with the wording to use instead.'),
  corrections,
});
export const caseRecordView = z.object({
  caseId: z.uuid(),
  referrals: z.array(referralReceivedData.extend(withLanguage('reason'))),
  allocations: z.array(caseAllocatedData.extend({ ...withEvent, corrections })),
  onwardReferrals: z.array(
    onwardReferralMadeData.extend({
      ...withLanguage('reason'),
      startedAt: z.string().nullable(),
      status: onwardReferralStatusSchema,
      declined: onwardReferralDeclinedData.pick({ declinedAt: true, reason: true }).extend(withLanguage('reason')).nullable().describe('The refusal by the receiving agency, with its reason as written; null when not declined.'),
      withdrawn: onwardReferralWithdrawnData.pick({ withdrawnAt: true, reason: true }).extend(withLanguage('reason')).nullable().describe('The withdrawal, with its reason as written; null when not withdrawn.'),
      ended: onwardReferralEndedData.pick({ endedAt: true, outcome: true, reason: true }).extend(withLanguage('reason')).nullable().describe('How the support ended, with the note if one was written; null while it has not.'),
      waitDays: z.number().int().nullable().describe('Whole days from the referral to its start, refusal or withdrawal; null while it waits.'),
      supportDays: z.number().int().nullable().describe('Whole days from the start to the end; null until both are known.'),
    }),
  ),
  interventions: z.array(interventionLoggedData.extend(withLanguage('notes, childViews or familyViews'))),
  incidents: z.array(incidentRecordedData.extend(withLanguage('description'))),
  riskAssessments: z.array(riskAssessedData.extend(withLanguage('rationale, childViews or familyViews'))),
});

const load = z.object({
  openCases: z.number().int(),
  flaggedCases: z.number().int().describe('Open cases with at least one flag.'),
  overdueContacts: z.number().int().describe('Open cases flagged SLOW_START or CONTACT_GAP: the child has not been seen for too long.'),
});

const workloadView = z.object({
  asOf: z.string(),
  areas: z.array(z.object({ area: z.string(), workers: z.array(load.extend({ worker: z.string() })), unallocated: load })),
});

export function liveFlag(f: StoredFlag): z.infer<typeof flagView> {
  return { rule: f.rule as ContractFlag['rule'], severity: f.severity as ContractFlag['severity'], explanation: f.explanation, evidence: f.evidence, since: f.since.toISOString() };
}

interface QueryDeps {
  pool: pg.Pool;
  readModel: ReadModel;
  /** Opens the sealed texts of what is read back (record, events), or shows them erased. */
  keys: KeyStore;
  now?: () => Date;
}

export function queryRoutes(app: ServiceApp, deps: QueryDeps): void {
  const { pool, readModel: rm } = deps;
  const { schema } = rm;
  const now = deps.now ?? (() => new Date());

  /** 404 alike for a case that does not exist and one in another area. */
  async function visibleCaseArea(user: AuthUser, caseId: string): Promise<string> {
    const area = await caseArea(pool, schema, caseId);
    notFoundUnlessInArea(user, area, 'CASE_NOT_FOUND', `There is no case ${caseId} in your areas.`);
    return area;
  }

  app.get(
    '/v1/cases',
    {
      schema: {
        summary: 'Cases of your areas, with their flags; a caseload',
        description:
          "Social workers, supervisors and auditors. Newest first; filter by status, by a rule that currently flags the case, by one of your areas, or by the worker a case is allocated to: `allocatedTo=me` is the caller's caseload; supervisors and auditors may name any worker's id. Each case comes with its open flags, days since the child was last seen and the onward referrals still waiting.",
        tags: ['cases'],
        querystring: z
          .object({
            status: z.enum(['open', 'closed']).optional(),
            flag: ruleIdSchema.optional(),
            area: areaCode().optional(),
            allocatedTo: z.string().min(1).max(200).optional().describe("`me`, or a worker's user id (supervisors and auditors)."),
            limit: z.coerce.number().int().min(1).max(200).default(50),
            offset: z.coerce.number().int().min(0).default(0),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(caseListItem), next: z.number().int().nullable() }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = requireRole(request, ...caseRoles);
      const q = request.query;
      const allocatedTo = caseloadOf(user, q.allocatedTo);
      const rows = await listCases(pool, schema, { areas: areasToList(user, q.area), status: q.status, flag: q.flag, allocatedTo, limit: q.limit + 1, offset: q.offset });
      const page = rows.slice(0, q.limit);
      const ids = page.map((r) => r.caseId);
      const [flags, { waiting, startedAgencies: started }] = await Promise.all([flagsOfCases(pool, schema, ids), onwardReferralsOfCases(pool, schema, ids)]);
      const at = now();
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
          lastContactWithChildAt: r.lastContactAt?.toISOString() ?? null,
          agencies: agenciesWorkingWith(r.agencies, started.get(r.caseId) ?? []),
          allocatedTo: r.allocatedTo,
          daysSinceContact: r.lastContactAt ? wholeDaysBetween(r.lastContactAt, at) : null,
          onwardReferralsWaiting: (waiting.get(r.caseId) ?? []).map((o) => ({
            onwardReferralId: o.onwardReferralId,
            agency: o.agency,
            referredAt: o.referredAt.toISOString(),
            waitDays: wholeDaysBetween(o.referredAt, at),
          })),
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
          'A social worker, supervisor or auditor in the case’s area. With `asOf`, the case as it was then: the facts dated at or before that time, and the flags the rules gave then. Every read is recorded in the access log.',
        tags: ['cases'],
        params: z.object({ caseId: z.uuid() }),
        querystring: z.object({ asOf: z.iso.datetime({ offset: true }).optional() }).strict(),
        response: { 200: caseSummaryView, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, ...caseRoles);
      const { caseId } = request.params;
      const area = await visibleCaseArea(user, caseId);
      const asOf = request.query.asOf === undefined ? undefined : new Date(request.query.asOf);
      const events = await loadCaseEvents(pool, schema, caseId);
      const history = buildCaseHistory(events, caseId, rm.languageFor(area));
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
    '/v1/cases/:caseId/record',
    {
      schema: {
        summary: 'The case’s record, read back',
        description:
          "Social workers, supervisors and auditors of the area. One list per kind of record, each in the order it happened: referrals (with the referrer's reason), allocations, onward referrals (their whole life: waiting, started, declined, withdrawn or ended, with the reasons and note as written, the wait and the length of support in days), interventions (notes, the child's and the family's views), incidents (description), risk assessments (rationale, the kinds of harm outside the home, the child's and the family's views). Texts are as written (opened from their sealed form), or `[erased]` once the child’s data was erased; a text not recorded (as on records made before it could be) is absent. Each record lists the labelling language found in its texts, naming the field. Every read is in the access log.",
        tags: ['cases'],
        params: z.object({ caseId: z.uuid() }),
        response: { 200: caseRecordView, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, ...caseRoles);
      const { caseId } = request.params;
      const area = await visibleCaseArea(user, caseId);
      const record = caseRecord(await openEvents(await loadCaseEvents(pool, schema, caseId), deps.keys), rm.languageFor(area));
      await recordAccess(pool, schema, user, [caseId], 'record');
      return { caseId, ...record };
    },
  );

  app.get(
    '/v1/cases/:caseId/events',
    {
      schema: {
        summary: 'The case’s events, in order',
        description: 'Social workers, supervisors and auditors of the area. Every event of the case as it was published (CloudEvents), in log order.',
        tags: ['cases'],
        params: z.object({ caseId: z.uuid() }),
        response: { 200: z.object({ caseId: z.uuid(), events: z.array(anyEnvelopeSchema) }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, ...caseRoles);
      const { caseId } = request.params;
      await visibleCaseArea(user, caseId);
      const events = await openEvents(await loadCaseEvents(pool, schema, caseId), deps.keys);
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
          'Supervisors and auditors. Per area: open cases, median support days, median wait by agency, closures flagged and flagged closures approved anyway, re-referral rate. ' +
          'With `from` and/or `to` (both inclusive): referrals counted by when they were received, closures and support by when the case closed, onward referrals by when they were made, open cases as at `to`; without them, all time and open cases now. ' +
          'As CSV (`Accept: text/csv` or `format=csv`): the header `area,measure,agency,value`, then one row per area and measure (agency set only for medianWaitDays, started and waiting), sent as an attachment named `stats-<from>-<to>.csv`.',
        tags: ['stats'],
        produces: ['application/json', 'text/csv'],
        querystring: z
          .object({
            area: areaCode().optional(),
            from: z.iso.datetime({ offset: true }).optional().describe('Start of the period (inclusive).'),
            to: z.iso.datetime({ offset: true }).optional().describe('End of the period (inclusive); open cases are counted as at this time.'),
            format: z.enum(['json', 'csv']).optional().describe('csv: the same numbers as CSV, as `Accept: text/csv` asks.'),
          })
          .strict(),
        response: { 200: statsView, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, 'supervisor', 'auditor');
      const { area, from, to, format } = request.query;
      const period = { from: from === undefined ? undefined : new Date(from), to: to === undefined ? undefined : new Date(to) };
      if (period.from && period.to && period.from > period.to) {
        throw problem('VALIDATION_FAILED', 'The field query.from is invalid: it is after to.', { errors: [{ field: 'query.from', message: 'must not be after to' }] });
      }
      const at = now();
      const areas = await areaStats(pool, schema, areasToList(user, area), at, period);
      const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(request.headers.accept ?? ''));
      if (wantsCsv) {
        const fileName = statsFileName(period.from?.toISOString(), (period.to ?? at).toISOString());
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .send(toCsv(statsRows(areas)));
      }
      return { asOf: at.toISOString(), period: { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null }, areas };
    },
  );

  app.get(
    '/v1/workload',
    {
      schema: {
        summary: 'Open cases per worker',
        description:
          "Supervisors. Per area, per allocated worker: open cases, flagged cases and overdue contacts (SLOW_START or CONTACT_GAP), most open cases first; and the open cases nobody is allocated. A worker's cases: GET /v1/cases?allocatedTo=<id>.",
        tags: ['cases'],
        querystring: z.object({ area: areaCode().optional() }).strict(),
        response: { 200: workloadView, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'supervisor');
      return { asOf: now().toISOString(), areas: await areaWorkload(pool, schema, areasToList(user, request.query.area)) };
    },
  );
}
