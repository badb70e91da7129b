import type pg from 'pg';
import { z } from 'zod';
import { anyEnvelopeSchema, areaCode, childId } from '@syv/contracts';
import { problemResponses } from '@syv/command-service';
import { openEvents, type KeyStore } from '@syv/personal-data';
import { problem, requireArea, requireRole, type ServiceApp } from '@syv/service-kit';
import { recordAccess } from '../access/access-log.js';
import { acknowledgementNoteOf } from '../alerts/acknowledge.js';
import { listAccessLog } from '../audit/access-log-list.js';
import { listAlerts, type AlertRow } from '../alerts/store.js';
import { alertView, toAlertView } from '../alerts/views.js';
import type { ReadModel } from '../read-model/context.js';
import { loadCaseEvents } from '../read-model/case-events.js';
import { caseRecord } from '../queries/case-record.js';
import { caseRecordView, flagView, liveFlag } from '../queries/routes.js';
import { flagsOfCases } from '../queries/stored-flags.js';

// What the read model holds about one child in one area, for a subject access request: each of the
// child's cases with every event as published (texts opened, or shown erased), the record read back
// (corrections applied), the flags, the alerts with their notes, and who read the case. The
// referral service puts it together with what it holds itself (GET /v1/children/{childId}/record
// there); this is its part.

const accessEntry = z.object({ at: z.string(), user: z.string(), role: z.string(), action: z.string() });

/** Read a page at a time: a document lists every read of the case and every alert on it, however many. */
const PAGE = 5_000;

async function everyRead(pool: pg.Pool, schema: string, area: string, caseId: string): Promise<z.infer<typeof accessEntry>[]> {
  const all: z.infer<typeof accessEntry>[] = [];
  for (let after: string | undefined; ; ) {
    const page = await listAccessLog(pool, schema, { areas: [area], caseId, user: undefined, after, limit: PAGE });
    all.push(...page.map(({ at, user, role, action }) => ({ at, user, role, action })));
    if (page.length < PAGE) return all;
    after = page.at(-1)!.id;
  }
}

async function everyAlert(pool: pg.Pool, schema: string, area: string, caseId: string): Promise<AlertRow[]> {
  const all: AlertRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await listAlerts(pool, schema, { areas: [area], caseId, limit: PAGE, offset });
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

const heldCase = z.object({
  caseId: z.uuid(),
  status: z.enum(['open', 'closed']),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  allocatedTo: z.string().nullable(),
  events: z.array(anyEnvelopeSchema).describe('Every event of the case as published (CloudEvents), in log order: the auditor’s history, texts opened or `[erased]`, corrections beside the records they correct.'),
  record: caseRecordView.describe('The case’s record read back, as workers see it (corrections applied).'),
  flags: z.array(flagView),
  alerts: z.array(alertView),
  accessLog: z.array(accessEntry).describe('Every read of the case recorded so far, oldest first.'),
});

export const heldAboutChild = z.object({
  childId: z.string(),
  area: z.string(),
  cases: z.array(heldCase),
});
export type HeldAboutChild = z.infer<typeof heldAboutChild>;

interface CaseRow {
  case_id: string;
  status: 'open' | 'closed';
  opened_at: Date | null;
  closed_at: Date | null;
  allocated_to: string | null;
}

export function subjectAccessRoutes(app: ServiceApp, deps: { pool: pg.Pool; readModel: ReadModel; keys: KeyStore }): void {
  const { pool, readModel: rm, keys } = deps;
  const { schema } = rm;
  app.get(
    '/v1/children/:childId/held',
    {
      schema: {
        summary: 'What the read model holds about a child in an area',
        description:
          "Data protection officers only, for a subject access request: each of the child's cases in the area with every event as published (texts opened, or `[erased]`), the record read back with corrections applied, the flags, the alerts with the action taken, and every read of the case. The referral service's GET /v1/children/{childId}/record includes it. Recorded in the access log (`subject_access`). A child with no case in the area is 404; an area not in the token is 403.",
        tags: ['cases'],
        params: z.object({ childId: childId() }),
        querystring: z.object({ area: areaCode() }).strict(),
        response: { 200: heldAboutChild, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = requireRole(request, 'data_protection_officer');
      const { childId: child } = request.params;
      const { area } = request.query;
      requireArea(user, area, 'query.area', "see a child's record there");
      const { rows } = await pool.query<CaseRow>(
        `SELECT case_id, status, opened_at, closed_at, allocated_to FROM ${schema}.cases WHERE area = $1 AND child_id = $2 ORDER BY opened_at NULLS LAST, case_id`,
        [area, child],
      );
      if (rows.length === 0) throw problem('CHILD_NOT_FOUND', `The child ${child} has no case in area ${area}.`);
      const ids = rows.map((r) => r.case_id);
      const flags = await flagsOfCases(pool, schema, ids);
      const cases = [];
      for (const r of rows) {
        const events = await openEvents(await loadCaseEvents(pool, schema, r.case_id), keys);
        const alerts = await everyAlert(pool, schema, area, r.case_id);
        cases.push({
          caseId: r.case_id,
          status: r.status,
          openedAt: r.opened_at?.toISOString() ?? null,
          closedAt: r.closed_at?.toISOString() ?? null,
          allocatedTo: r.allocated_to,
          events,
          record: { caseId: r.case_id, ...caseRecord(events, rm.languageFor(area)) },
          flags: (flags.get(r.case_id) ?? []).map(liveFlag),
          alerts: (await Promise.all(alerts.map((a) => acknowledgementNoteOf(a, keys)))).map(toAlertView),
          accessLog: await everyRead(pool, schema, area, r.case_id),
        });
      }
      await recordAccess(pool, schema, user, ids, 'subject_access');
      return { childId: child, area, cases };
    },
  );
}
