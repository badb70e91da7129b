import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceName } from '@syv/launcher';
import { mintDevToken, type Role } from '@syv/service-kit';
import { testInfra } from '@syv/test-harness';
import { createFixtures, daysAgo, type Fixtures } from '../bench/lib/fixtures.js';
import { documentedRoutes, fillPath, type DocumentedRoute } from '../bench/lib/openapi-routes.js';
import { comparable, expected, formatMatrix, principals, targetsOf, type Principal, type Scope, type Target } from './support/authorization-matrix.js';
import { api, type ApiResponse } from './support/http.js';
import { JWT_SECRET, startE2eSystem, type E2eSystem } from './support/system.js';

// Every documented route × every role (and no, expired and foreign tokens) × a record in the
// caller's area, in another area, and an unknown id. Pass means no leak: another area's record is
// answered exactly as an unknown id is (404, same body, about the same time), a role that may not
// act gets 403, no valid token 401, and a role that may act succeeds in its own area.

const AREA = 'E09000041';
const OTHER = 'E09000042';
const SERVICES: ServiceName[] = ['referral', 'intervention', 'case-closure'];

/** Records in one area, in the state in which the route under test would succeed if allowed. */
interface AreaRecords {
  caseId: string;
  onwardReferralId: string;
  heldClosureRequestId: string;
  closedCaseId: string;
}

interface Request {
  params: Record<string, string>;
  body?: unknown;
  query?: string;
}

interface MatrixEntry {
  allowed: readonly Role[];
  scope: Scope;
  success: number;
  /** The request aimed at `records` (an area's); `fresh` when an allowed role will succeed and so use it up. */
  request(records: AreaRecords, area: string, fresh: boolean): Promise<Request>;
}

const ACTORS = ['social_worker', 'supervisor'] as const;
const EVERYONE = ['social_worker', 'supervisor', 'auditor'] as const;

let sys: E2eSystem;
let fixtures: Fixtures;
const workerOf: Record<string, string> = {};
const records: Record<string, AreaRecords> = {};
const tokens = new Map<Principal, string | undefined>();

async function closedCase(area: string): Promise<string> {
  const token = workerOf[area] as string;
  const caseId = await fixtures.openCase(token, area);
  const closureRequestId = await fixtures.requestClosure(token, caseId);
  await fixtures.assess(caseId, area, closureRequestId, false);
  await fixtures.waitForStatus(token, closureRequestId, 'closed');
  return caseId;
}

async function heldClosure(area: string): Promise<string> {
  const token = workerOf[area] as string;
  const caseId = await fixtures.openCase(token, area);
  const closureRequestId = await fixtures.requestClosure(token, caseId);
  await fixtures.assess(caseId, area, closureRequestId, true);
  await fixtures.waitForStatus(token, closureRequestId, 'held_for_review');
  return closureRequestId;
}

const activity = (body: () => unknown): MatrixEntry => ({
  allowed: ACTORS,
  scope: 'record',
  success: 201,
  request: async (r) => ({ params: { caseId: r.caseId }, body: body() }),
});

/** One entry per documented route; the test fails for a route without one, and for an entry without a route. */
const matrix: Record<string, MatrixEntry> = {
  'referral POST /v1/referrals': {
    allowed: ACTORS,
    scope: 'body-area',
    success: 201,
    request: async (_r, area) => ({
      params: {},
      body: { childId: `child-${randomUUID().slice(0, 8)}`, area, sourceAgency: 'police', concerns: ['weapon_carrying'], riskLevel: 'high', receivedAt: daysAgo(2) },
    }),
  },
  'referral POST /v1/cases/{caseId}/onward-referrals': {
    allowed: ACTORS,
    scope: 'record',
    success: 201,
    request: async (r) => ({ params: { caseId: r.caseId }, body: { agency: 'housing', reason: 'Family must move after threats.', referredAt: daysAgo(3) } }),
  },
  'referral POST /v1/onward-referrals/{onwardReferralId}/start': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    request: async (r, area, fresh) => ({
      params: { onwardReferralId: fresh ? await fixtures.onwardReferral(workerOf[area] as string, r.caseId) : r.onwardReferralId },
      body: { startedAt: daysAgo(1) },
    }),
  },
  'intervention POST /v1/cases/{caseId}/interventions': activity(() => ({
    agency: 'youth_service',
    kind: 'mentoring',
    deliveredAt: daysAgo(1),
    withChild: true,
    withFamily: false,
    durationMinutes: 45,
    notes: 'Met at the youth hub.',
  })),
  'intervention POST /v1/cases/{caseId}/incidents': activity(() => ({ kind: 'threat', severity: 'medium', occurredAt: daysAgo(1) })),
  'intervention POST /v1/cases/{caseId}/risk-assessments': activity(() => ({ riskLevel: 'high', extraFamilialHarm: true, assessedAt: daysAgo(1) })),
  'case-closure POST /v1/cases/{caseId}/closure-requests': {
    allowed: ACTORS,
    scope: 'record',
    success: 202,
    request: async (r, area, fresh) => ({
      params: { caseId: fresh ? await fixtures.openCase(workerOf[area] as string, area) : r.caseId },
      body: { reason: 'no_further_action', summary: 'No further action after assessment.' },
    }),
  },
  'case-closure GET /v1/closure-requests/{closureRequestId}': {
    allowed: EVERYONE,
    scope: 'record',
    success: 200,
    request: async (r) => ({ params: { closureRequestId: r.heldClosureRequestId } }),
  },
  'case-closure POST /v1/closure-requests/{closureRequestId}/decision': {
    allowed: ['supervisor'],
    scope: 'record',
    success: 200,
    request: async (r, area, fresh) => ({
      params: { closureRequestId: fresh ? await heldClosure(area) : r.heldClosureRequestId },
      body: { decision: 'reject', rationale: 'Keep open until CAMHS has actually started.' },
    }),
  },
  'case-closure POST /v1/cases/{caseId}/reopen': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    request: async (r, area, fresh) => ({ params: { caseId: fresh ? await closedCase(area) : r.closedCaseId }, body: { reason: 'Missing episodes again.' } }),
  },
  ...Object.fromEntries(
    SERVICES.map((s) => [
      `${s} GET /v1/admin/rejected-messages`,
      { allowed: ['supervisor', 'auditor'], scope: 'none', success: 200, request: async () => ({ params: {}, query: '?limit=10' }) } satisfies MatrixEntry,
    ]),
  ),
};

interface CellResult {
  route: string;
  principal: Principal;
  target: Target;
  res: ApiResponse;
  ms: number;
  ids: string[];
}

const routes: DocumentedRoute[] = [];

beforeAll(async () => {
  sys = await startE2eSystem({ only: SERVICES, basePort: 15000 });
  fixtures = await createFixtures(
    { referral: sys.url('referral'), caseClosure: sys.url('case-closure'), intervention: sys.url('intervention') },
    { brokers: testInfra().kafkaBrokers, topic: sys.topics.caseEvents },
  );
  for (const area of [AREA, OTHER]) workerOf[area] = await sys.token('social_worker', [area], `sw-${area}`);
  for (const role of EVERYONE) tokens.set(role, await sys.token(role, [AREA], `${role}-matrix`));
  tokens.set('no_token', undefined);
  tokens.set('expired_token', await mintDevToken({ sub: 'sw-expired', role: 'social_worker', areas: [AREA], secret: JWT_SECRET, ttl: -600 }));
  tokens.set('foreign_signature', await mintDevToken({ sub: 'sw-forged', role: 'supervisor', areas: [AREA, OTHER], secret: 'another-secret-entirely-0123456789abcdef', ttl: '1h' }));
  for (const area of [AREA, OTHER]) {
    const token = workerOf[area] as string;
    const caseId = await fixtures.openCase(token, area);
    const [onwardReferralId, heldClosureRequestId, closedCaseId] = await Promise.all([fixtures.onwardReferral(token, caseId), heldClosure(area), closedCase(area)]);
    records[area] = { caseId, onwardReferralId, heldClosureRequestId, closedCaseId };
  }
  for (const s of SERVICES) routes.push(...(await documentedRoutes(s, sys.url(s))));
});

afterAll(async () => {
  await fixtures?.close();
  await sys?.stop();
});

/** Runs jobs with at most `limit` at once: the unknown-id cells each wait out the case view's window. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await (jobs[i] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

async function runCell(route: DocumentedRoute, entry: MatrixEntry, principal: Principal, target: Target): Promise<CellResult> {
  const name = `${route.service} ${route.key}`;
  const area = target === 'other' ? OTHER : AREA;
  const fresh = target === 'own' && expected(principal, entry.allowed, entry.scope, target, entry.success).status === entry.success;
  const req = await entry.request(records[area] as AreaRecords, area, fresh);
  const params = target === 'unknown' ? Object.fromEntries(Object.keys(req.params).map((k) => [k, randomUUID()])) : req.params;
  const token = tokens.get(principal);
  const started = performance.now();
  const res = await api(sys.url(route.service as ServiceName), route.method as 'GET' | 'POST', `${fillPath(route.path, params)}${req.query ?? ''}`, {
    ...(token ? { token } : {}),
    ...(req.body === undefined ? {} : { body: req.body }),
  });
  return { route: name, principal, target, res, ms: performance.now() - started, ids: Object.values(params) };
}

describe('authorization matrix', () => {
  it('has an entry for every documented route, and a documented route for every entry', () => {
    const documented = routes.map((r) => `${r.service} ${r.key}`).sort();
    expect(documented.length).toBeGreaterThan(10);
    expect(documented.filter((r) => !(r in matrix)), 'documented routes without a matrix entry').toEqual([]);
    expect(Object.keys(matrix).filter((r) => !documented.includes(r)), 'matrix entries for routes no service documents').toEqual([]);
  });

  it('leaks nothing: 401 without a valid token, 403 for a role that may not act, 404 for another area as for an unknown id', async () => {
    const jobs = routes.flatMap((route) => {
      const entry = matrix[`${route.service} ${route.key}`];
      if (!entry) return [];
      return principals.flatMap((p) => targetsOf(entry.scope).map((t) => () => runCell(route, entry, p, t)));
    });
    const cells = await pool(jobs, 6);

    const failures: string[] = [];
    for (const cell of cells) {
      const entry = matrix[cell.route] as MatrixEntry;
      const want = expected(cell.principal, entry.allowed, entry.scope, cell.target, entry.success);
      const code = (cell.res.body as { code?: unknown } | undefined)?.code;
      const where = `${cell.route} as ${cell.principal} on ${cell.target}`;
      if (cell.res.status !== want.status) failures.push(`${where}: ${cell.res.status} (want ${want.status}) ${JSON.stringify(cell.res.body).slice(0, 200)}`);
      else if (want.code && code !== want.code) failures.push(`${where}: code ${String(code)} (want ${want.code})`);
      if (cell.res.status >= 400 && (!cell.res.contentType.includes('application/problem+json') || typeof code !== 'string')) {
        failures.push(`${where}: ${cell.res.status} is not problem+json with a code`);
      }
    }
    // Another area's record must be indistinguishable from none: same answer, same words, same time.
    for (const other of cells.filter((c) => c.target === 'other' && matrix[c.route]?.scope === 'record')) {
      const unknown = cells.find((c) => c.route === other.route && c.principal === other.principal && c.target === 'unknown');
      if (!unknown) continue;
      const where = `${other.route} as ${other.principal}`;
      if (other.res.status !== unknown.res.status) failures.push(`${where}: another area answers ${other.res.status}, an unknown id ${unknown.res.status}`);
      const a = comparable(other.res.body, other.ids);
      const b = comparable(unknown.res.body, unknown.ids);
      if (JSON.stringify(a) !== JSON.stringify(b)) failures.push(`${where}: another area's answer differs from an unknown id's:\n  ${JSON.stringify(a)}\n  ${JSON.stringify(b)}`);
      if (Math.abs(other.ms - unknown.ms) > 1_500) {
        failures.push(`${where}: another area answers in ${Math.round(other.ms)} ms, an unknown id in ${Math.round(unknown.ms)} ms: the time tells them apart`);
      }
    }

    const byRoute = new Map<string, Map<string, number>>();
    for (const c of cells) {
      const row = byRoute.get(c.route) ?? new Map<string, number>();
      row.set(`${c.principal}:${c.target}`, c.res.status);
      byRoute.set(c.route, row);
    }
    console.log(
      `authorization matrix: ${byRoute.size} routes × ${principals.length} principals × own/other/unknown = ${cells.length} requests, ${failures.length} failures\n` +
        formatMatrix([...byRoute].map(([route, cellsOf]) => ({ route, cells: cellsOf }))),
    );
    expect(failures).toEqual([]);
  });
});
