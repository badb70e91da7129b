import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceName } from '@syv/launcher';
import { mintDevToken, type Role } from '@syv/service-kit';
import { testInfra, waitFor } from '@syv/test-harness';
import { createFixtures, daysAgo, type Fixtures } from '../bench/lib/fixtures.js';
import type { ReplayView } from '../services/projection/src/audit/replay-view.js';
import { documentedRoutes, fillPath, type DocumentedRoute } from '../bench/lib/openapi-routes.js';
import { comparable, expected, formatMatrix, principals, targetsOf, type NotTheirs, type Principal, type Scope, type Target } from './support/authorization-matrix.js';
import { api, type ApiResponse } from './support/http.js';
import { JWT_SECRET, startE2eSystem, type E2eSystem } from './support/system.js';

// Every documented route × every role (and no, expired and foreign tokens) × a record in the
// caller's area, in another area, and an unknown id. Pass means no leak: another area's record is
// answered exactly as an unknown id is (404, same body, about the same time), a role that may not
// act gets 403, no valid token 401, and a role that may act succeeds in its own area. Lists answer
// for the caller's areas only: no answer that succeeds holds any id (or the code) of the other area.
// A social worker's alerts are those of the cases allocated to them: the matrix's social worker holds
// a case in each area (the same user id: only the area of its token differs), a colleague holds the
// rest, and no answer a social worker gets holds the id of an alert of a case not allocated to them.

const AREA = 'E09000041';
const OTHER = 'E09000042';
const SERVICES: ServiceName[] = ['referral', 'intervention', 'case-closure', 'projection'];
const ACTIVE_REPLAY = ['running', 'cancelling'];
/** The matrix's social worker (the `sub` of its token), and the colleague who holds the area's other cases. */
const MATRIX_WORKER = 'social_worker-matrix';
const colleagueOf = (area: string) => `sw-${area}`;

/** Records in one area, in the state in which the route under test would succeed if allowed. */
interface AreaRecords {
  /** An open case allocated to the area's colleague, not to the matrix's social worker. */
  caseId: string;
  onwardReferralId: string;
  heldClosureRequestId: string;
  closedCaseId: string;
  /** An alert of the area on a case that is not the matrix's social worker's (the projection raises them on the fixtures' closure requests). */
  alertId: string;
  /** An open case allocated to the matrix's social worker (in the other area: to the same user id). */
  myCaseId: string;
  /** An alert of that case (labelling language in an intervention's notes). */
  myAlertId: string;
  /** The child of that case, for the data protection officer's requests. */
  myChildId: string;
  /** Records a correction can name: the referral and the intervention of the worker's case (theirs), a colleague's closure request (not theirs). */
  recordIds: { referral: string; intervention: string; 'case-closure': string };
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
  request(records: AreaRecords, area: string, fresh: boolean, principal: Principal): Promise<Request>;
  /** An id the successful answer in the caller's own area must hold (a list that is empty proves nothing); undefined: nothing to check for this caller. */
  shows?(records: AreaRecords, principal: Principal): string | undefined;
  /** What a role gets when the own-area record is a colleague's (see `expected`). */
  notTheirs?: NotTheirs;
  /** Server-Sent Events: only the status and content type are read, then the stream is closed. */
  sse?: true;
  /** Starts, cancels or promotes a replay (one at a time, globally): its successful cells run one by one, after the rest. */
  replay?: true;
}

const ACTORS = ['social_worker', 'supervisor'] as const;
const EVERYONE = ['social_worker', 'supervisor', 'auditor'] as const;
const READERS = ['supervisor', 'auditor'] as const;
const AUDITORS = ['auditor'] as const;
const DATA_PROTECTION_OFFICERS = ['data_protection_officer'] as const;

let sys: E2eSystem;
let fixtures: Fixtures;
const workerOf: Record<string, string> = {};
const records: Record<string, AreaRecords> = {};
const tokens = new Map<Principal, string | undefined>();
/** A replay that finished before the cells run: replays rebuild every area, so they belong to none. */
let finishedReplayId: string;
/** The alerts of the area's cases that are not the matrix's social worker's. */
const colleaguesAlerts: string[] = [];

const projection = () => sys.url('projection');
const auditor = () => tokens.get('auditor') as string;

async function startReplay(): Promise<string> {
  const res = await api<ReplayView>(projection(), 'POST', '/v1/audit/replays', { token: auditor() });
  if (res.status !== 202) throw new Error(`starting a replay answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.replayId;
}

async function replayEnded(replayId: string, timeoutMs = 90_000): Promise<ReplayView> {
  return waitFor(
    async () => {
      const res = await api<ReplayView>(projection(), 'GET', `/v1/audit/replays/${replayId}`, { token: auditor() });
      return res.status === 200 && !ACTIVE_REPLAY.includes(res.body.status) ? res.body : undefined;
    },
    { what: `replay ${replayId} to end`, timeoutMs },
  );
}

/** Cancels whatever replay is running and waits until none is, so the next replay cell can start one. */
async function noReplayRunning(): Promise<void> {
  const res = await api<{ items: ReplayView[] }>(projection(), 'GET', '/v1/audit/replays?limit=5', { token: auditor() });
  for (const r of res.body.items.filter((i) => ACTIVE_REPLAY.includes(i.status))) {
    await api(projection(), 'POST', `/v1/audit/replays/${r.replayId}/cancel`, { token: auditor() });
    await replayEnded(r.replayId, 30_000);
  }
}

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

/** An onward referral of the case that has started, as an end needs. */
async function startedOnwardReferral(area: string, caseId: string): Promise<string> {
  const token = workerOf[area] as string;
  const onwardReferralId = await fixtures.onwardReferral(token, caseId);
  const res = await api(sys.url('referral'), 'POST', `/v1/onward-referrals/${onwardReferralId}/start`, { token, body: { startedAt: daysAgo(10) } });
  if (res.status !== 200) throw new Error(`a start answered ${res.status}: ${JSON.stringify(res.body)}`);
  return onwardReferralId;
}

/**
 * Notes with labelling language, so the projection raises a LABELLING_LANGUAGE alert on the case at
 * once. The intervention service learns of a new case through Kafka: a 404 or 503 records nothing,
 * so ask again for a while, as the fixtures' closure request does.
 */
async function labelledIntervention(token: string, caseId: string): Promise<void> {
  const body = { agency: 'youth_service', kind: 'mentoring', deliveredAt: daysAgo(1), withChild: true, withFamily: false, durationMinutes: 30, notes: 'Keeps putting themselves at risk.' };
  await waitFor(
    async () => {
      const res = await api(sys.url('intervention'), 'POST', `/v1/cases/${caseId}/interventions`, { token, body });
      if (res.status === 201) return true;
      if (res.status !== 404 && res.status !== 503) throw new Error(`an intervention answered ${res.status}: ${JSON.stringify(res.body)}`);
      return undefined;
    },
    { what: `the intervention service to know case ${caseId}`, timeoutMs: 30_000 },
  );
}

/** A child referred in the area a moment ago: the child has a case there, for an erasure to use up. */
async function referredChild(area: string): Promise<string> {
  const childId = `child-${randomUUID().slice(0, 8)}`;
  const body = { childId, area, sourceAgency: 'school', concerns: ['weapon_carrying'], riskLevel: 'medium', receivedAt: daysAgo(2), reason: 'Found carrying a knife at school.' };
  const res = await api(sys.url('referral'), 'POST', '/v1/referrals', { token: workerOf[area] as string, body });
  if (res.status !== 201) throw new Error(`a referral answered ${res.status}: ${JSON.stringify(res.body)}`);
  return childId;
}

/** The first alert a supervisor of the area lists that `pick` accepts. */
async function alertOf(area: string, query: string, pick: (a: { alertId: string; caseId: string }) => boolean): Promise<string> {
  const supervisor = await sys.token('supervisor', [area], `sup-${area}`);
  return waitFor(
    async () => (await api<{ items?: { alertId: string; caseId: string }[] }>(projection(), 'GET', `/v1/alerts?limit=500${query}`, { token: supervisor })).body.items?.find(pick)?.alertId,
    { what: `an alert in area ${area}${query}`, timeoutMs: 30_000 },
  );
}

const activity = (body: () => unknown): MatrixEntry => ({
  allowed: ACTORS,
  scope: 'record',
  success: 201,
  request: async (r) => ({ params: { caseId: r.caseId }, body: body() }),
});

/** A correction of a record of `service` (its author, or a supervisor); corrections use nothing up, so one record serves every cell. */
const correction = (service: keyof AreaRecords['recordIds'], field: string, notTheirs?: NotTheirs): Record<string, MatrixEntry> => ({
  [`${service} POST /v1/records/{eventId}/amendments`]: {
    allowed: ACTORS,
    scope: 'record',
    success: 201,
    ...(notTheirs ? { notTheirs } : {}),
    request: async (r) => ({ params: { eventId: r.recordIds[service] }, body: { field, text: 'Corrected: the words that blamed the child are gone.', reason: 'The first version blamed the child.' } }),
  },
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
  'referral POST /v1/referrals (allocatedTo)': {
    allowed: ACTORS,
    scope: 'body-area',
    success: 201,
    // A social worker names themselves; a supervisor allocates the new case to that worker.
    request: async (_r, area) => ({
      params: {},
      body: { childId: `child-${randomUUID().slice(0, 8)}`, area, sourceAgency: 'police', concerns: ['weapon_carrying'], riskLevel: 'high', receivedAt: daysAgo(2), allocatedTo: MATRIX_WORKER },
    }),
  },
  'referral POST /v1/referrals (allocated to a colleague)': {
    allowed: ACTORS,
    scope: 'body-area',
    success: 201,
    notTheirs: { social_worker: { status: 403, code: 'FORBIDDEN' } },
    request: async (_r, area) => ({
      params: {},
      body: { childId: `child-${randomUUID().slice(0, 8)}`, area, sourceAgency: 'police', concerns: ['weapon_carrying'], riskLevel: 'high', receivedAt: daysAgo(2), allocatedTo: colleagueOf(area) },
    }),
  },
  'referral POST /v1/cases/{caseId}/allocation': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    // A case nobody holds: a social worker takes it, a supervisor allocates it to that worker.
    request: async (r, area, fresh) => ({
      params: { caseId: fresh ? await fixtures.openCase(workerOf[area] as string, area) : r.caseId },
      body: { allocatedTo: MATRIX_WORKER },
    }),
  },
  'referral POST /v1/cases/{caseId}/allocation (a colleague\'s case)': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    // A supervisor hands a colleague's case over; a social worker cannot take it.
    notTheirs: { social_worker: { status: 409, code: 'CASE_ALREADY_ALLOCATED' } },
    request: async (r, area, fresh) => ({
      params: { caseId: fresh ? await fixtures.openCase(workerOf[area] as string, area, colleagueOf(area)) : r.caseId },
      body: { allocatedTo: MATRIX_WORKER, note: 'Handover after a change of team.' },
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
  'referral POST /v1/onward-referrals/{onwardReferralId}/decline': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    request: async (r, area, fresh) => ({
      params: { onwardReferralId: fresh ? await fixtures.onwardReferral(workerOf[area] as string, r.caseId) : r.onwardReferralId },
      body: { reason: 'Threshold for a specialist service not met.', declinedAt: daysAgo(1) },
    }),
  },
  'referral POST /v1/onward-referrals/{onwardReferralId}/withdraw': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    request: async (r, area, fresh) => ({
      params: { onwardReferralId: fresh ? await fixtures.onwardReferral(workerOf[area] as string, r.caseId) : r.onwardReferralId },
      body: { reason: 'The family asked for the school counsellor instead.', withdrawnAt: daysAgo(1) },
    }),
  },
  'referral POST /v1/onward-referrals/{onwardReferralId}/end': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    request: async (r, area, fresh) => ({
      params: { onwardReferralId: fresh ? await startedOnwardReferral(area, r.caseId) : r.onwardReferralId },
      body: { endedAt: daysAgo(1), outcome: 'completed' },
    }),
  },
  'referral POST /v1/children/{childId}/erasure': {
    allowed: DATA_PROTECTION_OFFICERS,
    scope: 'body-area',
    success: 200,
    // The officer erases a child referred for the cell; the others are refused before anything is looked up.
    request: async (_r, area, fresh) => ({
      params: { childId: fresh ? await referredChild(area) : `child-${randomUUID().slice(0, 8)}` },
      body: { area, reason: 'Retention period of the records ended (review RR-1).', legalBasis: 'retention_period_ended' },
    }),
  },
  'referral GET /v1/retention/due': {
    allowed: DATA_PROTECTION_OFFICERS,
    scope: 'area-filter',
    success: 200,
    // A dry run of the retention job. Own: the caller's areas. Other: `?area=` naming an area the caller does not work in.
    request: async (_r, area) => ({ params: {}, query: area === AREA ? '' : `?area=${area}` }),
  },
  'referral GET /v1/children/{childId}/record': {
    allowed: DATA_PROTECTION_OFFICERS,
    scope: 'area-filter',
    success: 200,
    // A subject access request for the worker's child. Other: `?area=` naming an area the caller does not work in.
    request: async (r, area) => ({ params: { childId: r.myChildId }, query: `?area=${area}` }),
    shows: (r) => r.myCaseId,
  },
  'projection GET /v1/children/{childId}/held': {
    allowed: DATA_PROTECTION_OFFICERS,
    scope: 'area-filter',
    success: 200,
    request: async (r, area) => ({ params: { childId: r.myChildId }, query: `?area=${area}` }),
    shows: (r) => r.myCaseId,
  },
  ...correction('referral', 'reason'),
  ...correction('intervention', 'notes'),
  // A colleague's closure request: a supervisor may correct it, the social worker who did not write it may not.
  ...correction('case-closure', 'summary', { social_worker: { status: 403, code: 'FORBIDDEN' } }),
  'intervention POST /v1/cases/{caseId}/interventions': activity(() => ({
    agency: 'youth_service',
    kind: 'mentoring',
    deliveredAt: daysAgo(1),
    withChild: true,
    withFamily: false,
    durationMinutes: 45,
    notes: 'Met at the youth hub.',
  })),
  'intervention POST /v1/language-checks': {
    allowed: ACTORS,
    scope: 'none',
    success: 200,
    request: async () => ({ params: {}, body: { text: 'is hard to engage' } }),
  },
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
  'case-closure GET /v1/closure-requests': {
    allowed: EVERYONE,
    scope: 'area-filter',
    success: 200,
    // Own: the held requests of the caller's areas. Other: `?area=` naming an area the caller does not work in.
    request: async (_r, area) => ({ params: {}, query: area === AREA ? '?status=held_for_review&limit=200' : `?status=held_for_review&area=${area}&limit=200` }),
    shows: (r) => r.heldClosureRequestId,
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
  'projection GET /v1/cases': {
    allowed: EVERYONE,
    scope: 'area-filter',
    success: 200,
    // Own: every case of the caller's areas, unfiltered. Other: `?area=` naming an area the caller does not work in.
    request: async (_r, area) => ({ params: {}, query: area === AREA ? '?limit=200' : `?area=${area}&limit=200` }),
    shows: (r) => r.caseId,
  },
  'projection GET /v1/cases (allocatedTo=me)': {
    allowed: EVERYONE,
    scope: 'area-filter',
    success: 200,
    request: async (_r, area) => ({ params: {}, query: `?allocatedTo=me&limit=200${area === AREA ? '' : `&area=${area}`}` }),
    // Only the social worker holds cases; a supervisor's or an auditor's own caseload is empty.
    shows: (r, p) => (p === 'social_worker' ? r.myCaseId : undefined),
  },
  'projection GET /v1/cases (allocatedTo=<the worker>)': {
    allowed: EVERYONE,
    scope: 'area-filter',
    success: 200,
    // The social worker naming their own id; supervisors and auditors naming that worker.
    request: async (_r, area) => ({ params: {}, query: `?allocatedTo=${MATRIX_WORKER}&limit=200${area === AREA ? '' : `&area=${area}`}` }),
    shows: (r) => r.myCaseId,
  },
  'projection GET /v1/cases (a colleague\'s caseload)': {
    allowed: EVERYONE,
    scope: 'area-filter',
    success: 200,
    notTheirs: { social_worker: { status: 403, code: 'FORBIDDEN' } },
    request: async (_r, area) => ({ params: {}, query: `?allocatedTo=${colleagueOf(AREA)}&limit=200${area === AREA ? '' : `&area=${area}`}` }),
    shows: (r) => r.caseId,
  },
  'projection GET /v1/cases/{caseId}': {
    allowed: EVERYONE,
    scope: 'record',
    success: 200,
    request: async (r) => ({ params: { caseId: r.caseId } }),
    shows: (r) => r.caseId,
  },
  'projection GET /v1/cases/{caseId} (asOf)': {
    allowed: EVERYONE,
    scope: 'record',
    success: 200,
    request: async (r) => ({ params: { caseId: r.caseId }, query: `?asOf=${encodeURIComponent(daysAgo(10))}` }),
    shows: (r) => r.caseId,
  },
  'projection GET /v1/cases/{caseId}/record': {
    allowed: EVERYONE,
    scope: 'record',
    success: 200,
    request: async (r) => ({ params: { caseId: r.caseId } }),
    shows: (r) => r.caseId,
  },
  'projection GET /v1/cases/{caseId}/events': {
    allowed: EVERYONE,
    scope: 'record',
    success: 200,
    request: async (r) => ({ params: { caseId: r.caseId } }),
    shows: (r) => r.caseId,
  },
  'projection GET /v1/stats': {
    allowed: READERS,
    scope: 'area-filter',
    success: 200,
    request: async (_r, area) => ({ params: {}, query: area === AREA ? '' : `?area=${area}` }),
    shows: () => AREA,
  },
  'projection GET /v1/workload': {
    allowed: ['supervisor'],
    scope: 'area-filter',
    success: 200,
    request: async (_r, area) => ({ params: {}, query: area === AREA ? '' : `?area=${area}` }),
    // The matrix's worker holds cases in both areas: only this area's count may be in the answer.
    shows: () => MATRIX_WORKER,
  },
  'projection GET /v1/alerts': {
    allowed: ACTORS,
    scope: 'area-filter',
    success: 200,
    // A supervisor: every alert of the area; the social worker: those of the case allocated to them.
    request: async (_r, area) => ({ params: {}, query: area === AREA ? '?limit=500' : `?area=${area}&limit=500` }),
    shows: (r) => r.myAlertId,
  },
  'projection GET /v1/alerts (caseId)': {
    allowed: ACTORS,
    scope: 'record-filter',
    success: 200,
    request: async (r) => ({ params: {}, query: `?caseId=${r.myCaseId}` }),
    shows: (r) => r.myAlertId,
  },
  'projection GET /v1/alerts (a colleague\'s caseId)': {
    allowed: ACTORS,
    scope: 'record-filter',
    success: 200,
    // The social worker gets an empty list: the leak check below looks for the colleague's alerts.
    request: async (r) => ({ params: {}, query: `?caseId=${r.caseId}` }),
  },
  'projection POST /v1/alerts/{alertId}/acknowledge': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    // Each acknowledges an alert of their own (the same person acknowledging again gets the same
    // answer, so one alert serves every cell): the supervisor a colleague's, the worker their case's.
    request: async (r, _area, _fresh, p) => ({ params: { alertId: p === 'social_worker' ? r.myAlertId : r.alertId }, body: { note: 'Spoke to the worker; contact arranged.' } }),
    shows: (r, p) => (p === 'social_worker' ? r.myAlertId : r.alertId),
  },
  'projection POST /v1/alerts/{alertId}/acknowledge (a colleague\'s case)': {
    allowed: ACTORS,
    scope: 'record',
    success: 200,
    // An alert of a case the social worker does not hold is, to them, an alert that does not exist.
    notTheirs: { social_worker: { status: 404, code: 'NOT_FOUND' } },
    request: async (r) => ({ params: { alertId: r.alertId } }),
    shows: (r) => r.alertId,
  },
  'projection GET /v1/alerts/stream': { allowed: ACTORS, scope: 'none', success: 200, sse: true, request: async () => ({ params: {} }) },
  'projection GET /v1/audit/events': {
    allowed: AUDITORS,
    scope: 'record-filter',
    success: 200,
    // Other: the history of another area's case, which must come back empty.
    request: async (r) => ({ params: {}, query: `?caseId=${r.caseId}&limit=1000` }),
    shows: (r) => r.caseId,
  },
  'projection GET /v1/audit/access-log': {
    allowed: AUDITORS,
    scope: 'record-filter',
    success: 200,
    // Each area's case was read while the fixtures were made, so its own log is not empty.
    request: async (r) => ({ params: {}, query: `?caseId=${r.caseId}&limit=1000` }),
    shows: (r) => r.caseId,
  },
  'projection GET /v1/audit/events (all)': {
    allowed: AUDITORS,
    scope: 'none',
    success: 200,
    request: async () => ({ params: {}, query: '?limit=1000' }),
  },
  'projection GET /v1/audit/access-log (user)': {
    allowed: AUDITORS,
    scope: 'record-filter',
    success: 200,
    // Other: what the other area's social worker read, which is none of the caller's business.
    request: async (_r, area) => ({ params: {}, query: `?user=sw-${area}&limit=1000` }),
    shows: (r) => r.caseId,
  },
  'projection POST /v1/audit/replays': { allowed: AUDITORS, scope: 'none', success: 202, replay: true, request: async () => ({ params: {} }) },
  'projection GET /v1/audit/replays': { allowed: AUDITORS, scope: 'none', success: 200, request: async () => ({ params: {}, query: '?limit=5' }) },
  'projection GET /v1/audit/replays/{replayId}': {
    allowed: AUDITORS,
    scope: 'global',
    success: 200,
    request: async () => ({ params: { replayId: finishedReplayId } }),
  },
  'projection POST /v1/audit/replays/{replayId}/cancel': {
    allowed: AUDITORS,
    scope: 'global',
    success: 200,
    replay: true,
    request: async (_r, _area, fresh) => ({ params: { replayId: fresh ? await startReplay() : finishedReplayId } }),
  },
  'projection DELETE /v1/audit/replays/{replayId}': {
    allowed: AUDITORS,
    scope: 'global',
    success: 200,
    replay: true,
    request: async (_r, _area, fresh) => ({ params: { replayId: fresh ? await startReplay() : finishedReplayId } }),
  },
  'projection POST /v1/audit/replays/{replayId}/promote': {
    allowed: AUDITORS,
    scope: 'global',
    success: 200,
    replay: true,
    // Whether this replay matches is e2e/audit.test.ts's question; here only who may promote.
    request: async (_r, _area, fresh) => {
      const replayId = fresh ? await startReplay() : finishedReplayId;
      if (fresh) await replayEnded(replayId);
      return { params: { replayId }, body: { acceptDifferences: true } };
    },
  },
  ...Object.fromEntries(
    SERVICES.filter((s) => s !== 'projection').map((s) => [
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
  for (const role of [...EVERYONE, ...DATA_PROTECTION_OFFICERS]) tokens.set(role, await sys.token(role, [AREA], `${role}-matrix`));
  tokens.set('no_token', undefined);
  tokens.set('expired_token', await mintDevToken({ sub: 'sw-expired', role: 'social_worker', areas: [AREA], secret: JWT_SECRET, ttl: -600 }));
  tokens.set('foreign_signature', await mintDevToken({ sub: 'sw-forged', role: 'supervisor', areas: [AREA, OTHER], secret: 'another-secret-entirely-0123456789abcdef', ttl: '1h' }));
  for (const area of [AREA, OTHER]) {
    const token = workerOf[area] as string;
    // The matrix's social worker, as it would be in this area: one user id, one case in each area.
    const me = await sys.token('social_worker', [area], MATRIX_WORKER);
    const [caseId, myCaseId] = await Promise.all([fixtures.openCase(token, area, colleagueOf(area)), fixtures.openCase(me, area, MATRIX_WORKER)]);
    const [onwardReferralId, heldClosureRequestId, closedCaseId] = await Promise.all([
      fixtures.onwardReferral(token, caseId),
      heldClosure(area),
      closedCase(area),
      labelledIntervention(me, myCaseId),
    ]);
    // The projection knows the case (this read also puts it in the access log) and has raised
    // alerts in the area: its closure assessments of the requests above flag them, and the notes
    // flag the worker's case.
    await waitFor(async () => (await api(projection(), 'GET', `/v1/cases/${caseId}`, { token })).status === 200, { what: `the projection to know case ${caseId}`, timeoutMs: 30_000 });
    const [alertId, myAlertId] = await Promise.all([
      alertOf(area, '&status=open', (a) => a.caseId !== myCaseId),
      alertOf(area, `&caseId=${myCaseId}`, () => true),
    ]);
    const mine = await api<{ referrals: { eventId: string }[]; interventions: { eventId: string }[] }>(projection(), 'GET', `/v1/cases/${myCaseId}/record`, { token: me });
    const { body: summary } = await api<{ childId: string }>(projection(), 'GET', `/v1/cases/${myCaseId}`, { token: me });
    const { body: held } = await api<{ caseId: string }>(sys.url('case-closure'), 'GET', `/v1/closure-requests/${heldClosureRequestId}`, { token });
    const { body: heldEvents } = await api<{ events: { id: string; type: string; data: { closureRequestId?: string } }[] }>(projection(), 'GET', `/v1/cases/${held.caseId}/events`, { token });
    const closureRequest = heldEvents.events.find((e) => e.type === 'closure.requested.v1' && e.data.closureRequestId === heldClosureRequestId);
    const recordIds = { referral: mine.body.referrals[0]?.eventId, intervention: mine.body.interventions[0]?.eventId, 'case-closure': closureRequest?.id };
    if (!recordIds.referral || !recordIds.intervention || !recordIds['case-closure']) throw new Error(`the records to correct in area ${area} are not all known: ${JSON.stringify(recordIds)}`);
    records[area] = { caseId, onwardReferralId, heldClosureRequestId, closedCaseId, alertId, myCaseId, myAlertId, myChildId: summary.childId, recordIds: recordIds as AreaRecords['recordIds'] };
  }
  // Every alert of the area the social worker does not hold: none may reach them, in any answer.
  const supervisor = await sys.token('supervisor', [AREA], `sup-${AREA}`);
  const alerts = await api<{ items: { alertId: string; caseId: string }[] }>(projection(), 'GET', '/v1/alerts?limit=500', { token: supervisor });
  colleaguesAlerts.push(...alerts.body.items.filter((a) => a.caseId !== records[AREA]?.myCaseId).map((a) => a.alertId));
  finishedReplayId = await startReplay();
  await replayEnded(finishedReplayId);
  for (const s of SERVICES) routes.push(...(await documentedRoutes(s, sys.url(s))));
}, 240_000);

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

/** The alert stream's status and content type; a refusal's problem body is read, a stream is closed at once. */
async function openStream(url: string, token: string | undefined): Promise<ApiResponse> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal: controller.signal });
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    controller.abort();
    return { status: res.status, contentType, body: {} };
  }
  const text = await res.text();
  return { status: res.status, contentType, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

/** A matrix entry's route: the key without a variant's ` (…)`, e.g. `(asOf)`. */
const routeOf = (entryName: string) => entryName.replace(/ \(.*\)$/, '');

async function runCell(name: string, route: DocumentedRoute, entry: MatrixEntry, principal: Principal, target: Target): Promise<CellResult> {
  const area = target === 'other' ? OTHER : AREA;
  const fresh = target === 'own' && expected(principal, entry.allowed, entry.scope, target, entry.success, entry.notTheirs).status === entry.success;
  const req = await entry.request(records[area] as AreaRecords, area, fresh, principal);
  const params = target === 'unknown' ? Object.fromEntries(Object.keys(req.params).map((k) => [k, randomUUID()])) : req.params;
  const token = tokens.get(principal);
  const base = sys.url(route.service as ServiceName);
  const path = `${fillPath(route.path, params)}${req.query ?? ''}`;
  const started = performance.now();
  const res = entry.sse
    ? await openStream(`${base}${path}`, token)
    : await api(base, route.method as 'GET' | 'POST' | 'DELETE', path, { ...(token ? { token } : {}), ...(req.body === undefined ? {} : { body: req.body }) });
  return { route: name, principal, target, res, ms: performance.now() - started, ids: Object.values(params) };
}

describe('authorization matrix', () => {
  it('has an entry for every documented route, and a documented route for every entry', () => {
    const documented = routes.map((r) => `${r.service} ${r.key}`).sort();
    expect(documented.length).toBeGreaterThan(25);
    const covered = new Set(Object.keys(matrix).map(routeOf));
    expect(documented.filter((r) => !covered.has(r)), 'documented routes without a matrix entry').toEqual([]);
    expect([...covered].filter((r) => !documented.includes(r)), 'matrix entries for routes no service documents').toEqual([]);
  });

  it('leaks nothing: 401 without a valid token, 403 for a role that may not act, 404 for another area as for an unknown id', async () => {
    const byKey = new Map(routes.map((r) => [`${r.service} ${r.key}`, r]));
    const jobs: (() => Promise<CellResult>)[] = [];
    const replayJobs: { name: string; run: () => Promise<CellResult> }[] = [];
    for (const [name, entry] of Object.entries(matrix)) {
      const route = byKey.get(routeOf(name));
      if (!route) continue;
      for (const p of principals) {
        for (const t of targetsOf(entry.scope)) {
          const job = () => runCell(name, route, entry, p, t);
          // A cell that starts, cancels or promotes a replay runs alone, after the rest, and leaves none running.
          if (entry.replay && expected(p, entry.allowed, entry.scope, t, entry.success, entry.notTheirs).status === entry.success) {
            replayJobs.push({
              name,
              run: async () => {
                const cell = await job();
                await noReplayRunning();
                return cell;
              },
            });
          } else jobs.push(job);
        }
      }
    }
    const cells = await pool(jobs, 6);
    // Promotion last: it swaps the live read model.
    replayJobs.sort((a, b) => Number(a.name.includes('promote')) - Number(b.name.includes('promote')));
    for (const job of replayJobs) cells.push(await job.run());

    const failures: string[] = [];
    // The check that a social worker is never shown a colleague's alert needs some to look for.
    expect(colleaguesAlerts.length, "alerts of the area's other cases").toBeGreaterThan(0);
    // Nothing of the other area in any answer that succeeded: its records' ids, or its code.
    const otherIds = [OTHER, ...Object.values(records[OTHER] as AreaRecords).flatMap((v): string[] => (typeof v === 'string' ? [v] : Object.values(v as Record<string, string>)))];
    for (const cell of cells) {
      const entry = matrix[cell.route] as MatrixEntry;
      const want = expected(cell.principal, entry.allowed, entry.scope, cell.target, entry.success, entry.notTheirs);
      const code = (cell.res.body as { code?: unknown } | undefined)?.code;
      const where = `${cell.route} as ${cell.principal} on ${cell.target}`;
      if (cell.res.status !== want.status) failures.push(`${where}: ${cell.res.status} (want ${want.status}) ${JSON.stringify(cell.res.body).slice(0, 200)}`);
      else if (want.code && code !== want.code) failures.push(`${where}: code ${String(code)} (want ${want.code})`);
      if (cell.res.status >= 400 && (!cell.res.contentType.includes('application/problem+json') || typeof code !== 'string')) {
        failures.push(`${where}: ${cell.res.status} is not problem+json with a code`);
      }
      if (cell.res.status < 300) {
        const text = JSON.stringify(cell.res.body);
        const leaked = otherIds.filter((id) => text.includes(id));
        if (leaked.length > 0) failures.push(`${where}: the answer holds the other area's ${leaked.join(', ')}`);
        if (entry.sse && !cell.res.contentType.startsWith('text/event-stream')) failures.push(`${where}: content type ${cell.res.contentType}, not text/event-stream`);
        const own = entry.shows?.(records[AREA] as AreaRecords, cell.principal);
        if (own && cell.target === 'own' && !text.includes(own)) failures.push(`${where}: the answer does not hold the caller's own ${own}`);
        if (cell.principal === 'social_worker') {
          const colleagues = colleaguesAlerts.filter((id) => text.includes(id));
          if (colleagues.length > 0) failures.push(`${where}: the social worker is shown alerts of cases not allocated to them: ${colleagues.join(', ')}`);
        }
      }
    }
    // Another area's record, and a colleague's that is answered 404, must be indistinguishable from
    // none: same answer, same words, same time.
    const hidden = (c: CellResult) => {
      const entry = matrix[c.route];
      if (entry?.scope !== 'record') return false;
      return c.target === 'other' || (c.target === 'own' && expected(c.principal, entry.allowed, entry.scope, c.target, entry.success, entry.notTheirs).status === 404);
    };
    for (const other of cells.filter(hidden)) {
      const unknown = cells.find((c) => c.route === other.route && c.principal === other.principal && c.target === 'unknown');
      if (!unknown) continue;
      const where = `${other.route} as ${other.principal}`;
      const whose = other.target === 'other' ? "another area's record" : "a colleague's record";
      if (other.res.status !== unknown.res.status) failures.push(`${where}: ${whose} answers ${other.res.status}, an unknown id ${unknown.res.status}`);
      const a = comparable(other.res.body, other.ids);
      const b = comparable(unknown.res.body, unknown.ids);
      if (JSON.stringify(a) !== JSON.stringify(b)) failures.push(`${where}: the answer to ${whose} differs from an unknown id's:\n  ${JSON.stringify(a)}\n  ${JSON.stringify(b)}`);
      if (Math.abs(other.ms - unknown.ms) > 1_500) {
        failures.push(`${where}: ${whose} answers in ${Math.round(other.ms)} ms, an unknown id in ${Math.round(unknown.ms)} ms: the time tells them apart`);
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
