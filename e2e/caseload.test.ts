import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@syv/test-harness';
import { api, newKey } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// Social workers own their cases, over HTTP only, with the referral, case-closure and projection
// services running against real Kafka and PostgreSQL: a referral allocated to its worker reaches
// their caseload, a colleague cannot take it, a supervisor hands it over; a closure held for review
// is listed for supervisors and decided by another supervisor than the one who asked for it.

const AREA = 'E09000071';
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();

let sys: E2eSystem;
let urls: { referral: string; closure: string; projection: string };
const tokens: Record<'worker' | 'colleague' | 'supervisor' | 'secondSupervisor', string> = { worker: '', colleague: '', supervisor: '', secondSupervisor: '' };
let childId: string;
let caseId: string;
let closureRequestId: string;

interface CaseItem {
  caseId: string;
  allocatedTo: string | null;
  onwardReferralsWaiting: { agency: string }[];
}

async function post<T = Record<string, unknown>>(base: string, path: string, token: string, body: unknown) {
  return api<T>(base, 'POST', path, { token, body, headers: { 'idempotency-key': newKey() } });
}

/** Waits until `token`'s caseload (GET /v1/cases?allocatedTo=me) does, or does not, hold the case. */
async function caseload(token: string, holds: boolean): Promise<CaseItem[]> {
  return waitFor(
    async () => {
      const res = await api<{ items: CaseItem[] }>(urls.projection, 'GET', '/v1/cases?allocatedTo=me&limit=200', { token });
      if (res.status !== 200) throw new Error(`the caseload answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body.items.some((i) => i.caseId === caseId) === holds ? res.body.items : undefined;
    },
    { what: `the caseload to ${holds ? 'hold' : 'lose'} case ${caseId}`, timeoutMs: 30_000 },
  );
}

async function heldList(token: string): Promise<{ closureRequestId: string; area: string; requestedBy: string; flags: { rule: string }[] }[]> {
  const res = await api<{ items: { closureRequestId: string; area: string; requestedBy: string; flags: { rule: string }[] }[]; next: number | null }>(
    urls.closure,
    'GET',
    `/v1/closure-requests?status=held_for_review&area=${AREA}&limit=200`,
    { token },
  );
  expect(res.status).toBe(200);
  return res.body.items;
}

beforeAll(async () => {
  sys = await startE2eSystem({ only: ['referral', 'case-closure', 'projection'], basePort: 19100 });
  urls = { referral: sys.url('referral'), closure: sys.url('case-closure'), projection: sys.url('projection') };
  tokens.worker = await sys.token('social_worker', [AREA], 'sw-0001');
  tokens.colleague = await sys.token('social_worker', [AREA], 'sw-0002');
  tokens.supervisor = await sys.token('supervisor', [AREA], 'sup-0001');
  tokens.secondSupervisor = await sys.token('supervisor', [AREA], 'sup-0002');
  childId = `child-${randomUUID().slice(0, 8)}`;
});

afterAll(async () => {
  await sys?.stop();
});

describe('a caseload', () => {
  it("puts a case referred with allocatedTo in the worker's caseload, with the onward referral still waiting", async () => {
    const referral = { childId, area: AREA, sourceAgency: 'school', concerns: ['criminal_exploitation'], riskLevel: 'medium', receivedAt: iso(40), allocatedTo: 'sw-0001' };
    const res = await post<{ caseId: string; allocatedTo: string | null }>(urls.referral, '/v1/referrals', tokens.worker, referral);
    expect(res.status).toBe(201);
    expect(res.body.allocatedTo).toBe('sw-0001');
    caseId = res.body.caseId;
    const onward = await post(urls.referral, `/v1/cases/${caseId}/onward-referrals`, tokens.worker, { agency: 'camhs', reason: 'Low mood since the assault.', referredAt: iso(35) });
    expect(onward.status).toBe(201);

    const items = await caseload(tokens.worker, true);
    await waitFor(
      async () => {
        const res = await api<{ items: CaseItem[] }>(urls.projection, 'GET', '/v1/cases?allocatedTo=me', { token: tokens.worker });
        return res.body.items.find((i) => i.caseId === caseId)?.onwardReferralsWaiting.length === 1;
      },
      { what: 'the onward referral in the caseload', timeoutMs: 30_000 },
    );
    expect(items.find((i) => i.caseId === caseId)?.allocatedTo).toBe('sw-0001');
    // Not in the colleague's, who may not list it by the worker's id either.
    expect((await caseload(tokens.colleague, false)).map((i) => i.caseId)).not.toContain(caseId);
    expect((await api(urls.projection, 'GET', '/v1/cases?allocatedTo=sw-0001', { token: tokens.colleague })).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it("refuses a colleague taking the case (409) and naming someone else (403), and records nothing", async () => {
    const take = await post(urls.referral, `/v1/cases/${caseId}/allocation`, tokens.colleague, { allocatedTo: 'sw-0002' });
    expect(take.status).toBe(409);
    expect(take.body).toMatchObject({ code: 'CASE_ALREADY_ALLOCATED' });
    const forSomeoneElse = await post(urls.referral, `/v1/cases/${caseId}/allocation`, tokens.colleague, { allocatedTo: 'sw-0003' });
    expect(forSomeoneElse.status).toBe(403);
    expect(forSomeoneElse.body).toMatchObject({ code: 'FORBIDDEN' });
    const record = await api<{ allocations: unknown[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/record`, { token: tokens.colleague });
    expect(record.status).toBe(200);
    expect(record.body.allocations).toHaveLength(1);
  });

  it("moves the case to the new worker's caseload when a supervisor hands it over", async () => {
    const handover = await post(urls.referral, `/v1/cases/${caseId}/allocation`, tokens.supervisor, { allocatedTo: 'sw-0002', note: 'Handover: the youth team takes the case.' });
    expect(handover.status).toBe(200);
    expect(handover.body).toEqual({ caseId, allocatedTo: 'sw-0002', previouslyAllocatedTo: 'sw-0001', languageFlags: [] });

    expect((await caseload(tokens.colleague, true)).find((i) => i.caseId === caseId)?.allocatedTo).toBe('sw-0002');
    await caseload(tokens.worker, false);
    // Another referral of the child joins the case and does not take it back.
    const again = await post<{ caseId: string; allocatedTo: string | null }>(urls.referral, '/v1/referrals', tokens.worker, {
      childId,
      area: AREA,
      sourceAgency: 'police',
      concerns: ['weapon_carrying'],
      riskLevel: 'high',
      receivedAt: iso(30),
      allocatedTo: 'sw-0001',
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ caseId, allocatedTo: 'sw-0002' });

    const record = await waitFor(
      async () => {
        const res = await api<{ allocations: { allocatedTo: string; previouslyAllocatedTo: string | null; allocatedBy: string; note?: string }[] }>(
          urls.projection,
          'GET',
          `/v1/cases/${caseId}/record`,
          { token: tokens.supervisor },
        );
        return res.body.allocations?.length === 2 ? res.body : undefined;
      },
      { what: 'the handover in the record', timeoutMs: 30_000 },
    );
    expect(record.allocations).toMatchObject([
      { allocatedTo: 'sw-0001', previouslyAllocatedTo: null, allocatedBy: 'sw-0001' },
      { allocatedTo: 'sw-0002', previouslyAllocatedTo: 'sw-0001', allocatedBy: 'sup-0001', note: 'Handover: the youth team takes the case.' },
    ]);
  });
});

describe('four eyes on a held closure', () => {
  it('lists the held request for supervisors of the area, with who asked and the flags', async () => {
    // The case-closure service learns of the case through Kafka: a 404 or 503 records nothing.
    closureRequestId = await waitFor(
      async () => {
        const res = await post<{ closureRequestId: string }>(urls.closure, `/v1/cases/${caseId}/closure-requests`, tokens.supervisor, {
          reason: 'support_completed',
          summary: 'The family moved; support carries on elsewhere.',
        });
        if (res.status === 202) return res.body.closureRequestId;
        if (res.status !== 404 && res.status !== 503) throw new Error(`the closure request answered ${res.status}: ${JSON.stringify(res.body)}`);
        return undefined;
      },
      { what: 'the case-closure service to know the case', timeoutMs: 30_000 },
    );
    // No contact with the child and a CAMHS referral not started: the projection's rules hold it.
    const held = await waitFor(async () => (await heldList(tokens.secondSupervisor)).find((r) => r.closureRequestId === closureRequestId), {
      what: 'the request in the held list',
      timeoutMs: 30_000,
    });
    expect(held).toMatchObject({ area: AREA, requestedBy: 'sup-0001' });
    expect(held.flags.map((f) => f.rule)).toContain('CLOSURE_PENDING_ONWARD_REFERRAL');
    // Any role of the area reads the list; another area is refused.
    expect((await heldList(tokens.worker)).map((r) => r.closureRequestId)).toContain(closureRequestId);
    expect((await api(urls.closure, 'GET', '/v1/closure-requests?status=held_for_review&area=E09000072', { token: tokens.supervisor })).status).toBe(403);
  });

  it('refuses the supervisor who asked (403 FOUR_EYES); another supervisor approves, and the request leaves the list', async () => {
    const decision = { decision: 'approve', rationale: 'CAMHS will continue in the new area; the handover call is booked.' };
    const own = await post(urls.closure, `/v1/closure-requests/${closureRequestId}/decision`, tokens.supervisor, decision);
    expect(own.status).toBe(403);
    expect(own.body).toMatchObject({ code: 'FOUR_EYES' });
    expect((await heldList(tokens.supervisor)).map((r) => r.closureRequestId)).toContain(closureRequestId);

    const approved = await post(urls.closure, `/v1/closure-requests/${closureRequestId}/decision`, tokens.secondSupervisor, decision);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ closureRequestId, caseId, status: 'closed' });
    expect((await heldList(tokens.supervisor)).map((r) => r.closureRequestId)).not.toContain(closureRequestId);
    expect((await api(urls.closure, 'GET', `/v1/closure-requests/${closureRequestId}`, { token: tokens.supervisor })).body).toMatchObject({
      status: 'closed',
      requestedBy: 'sup-0001',
      decidedBy: 'sup-0002',
    });

    // The decision records who asked and who decided; a closed case cannot be allocated.
    const closed = await waitFor(
      async () => {
        const res = await api<{ events: { type: string; data: Record<string, unknown> }[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/events`, { token: tokens.colleague });
        return res.body.events?.find((e) => e.type === 'case.closed.v1');
      },
      { what: 'case.closed in the case events', timeoutMs: 30_000 },
    );
    expect(closed.data).toMatchObject({ closureRequestId, approvedBy: 'sup-0002', requestedBy: 'sup-0001' });
    // The worker who holds the case asks for it again: CASE_ALREADY_ALLOCATED while the referral
    // service has not heard of the closure yet, CASE_CLOSED once it has; neither records anything.
    const late = await waitFor(
      async () => {
        const res = await post(urls.referral, `/v1/cases/${caseId}/allocation`, tokens.colleague, { allocatedTo: 'sw-0002' });
        expect(res.status).toBe(409);
        return res.body.code === 'CASE_CLOSED' ? res : undefined;
      },
      { what: 'the referral service to know the case is closed', timeoutMs: 30_000 },
    );
    expect(late.body).toMatchObject({ status: 409, code: 'CASE_CLOSED' });
  });
});
