import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '@syv/launcher';
import { waitFor } from '@syv/test-harness';
import { api } from './support/http.js';
import { connectSse, type SseClient } from './support/sse.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// The report's stories, told through HTTP only with all four services running against real Kafka
// and PostgreSQL, and a second projection instance beside the first. Facts are dated in the past
// (a referral 100 days ago), so the rules fire at today's date without waiting. A supervisor's
// alert stream is open on each projection instance for the whole file: each must receive every
// alert the stories expect exactly once, and nothing else.

const AREA = 'E09000011';
const OTHER_AREA = 'E09000012';
const DAY = 86_400_000;
// The sweep runs every half second here and leaves a case alone until nothing has been recorded
// on it for 10 s, so a story being typed in is not swept half-way, even on a loaded machine (with
// 4 s, a run beside two benchmarks swept the CAMHS story between its referral and its sessions).
const SWEEP_QUIET_MS = 10_000;

let sys: E2eSystem;
let worker: string;
let supervisor: string;
let auditor: string;
let otherSupervisor: string;
let urls: { referral: string; intervention: string; closure: string; projection: string };
let stream: SseClient;
let secondStream: SseClient;
let otherAreaStream: SseClient;
let secondProjection: RunningService;

interface AlertData {
  alertId: string;
  caseId: string;
  area: string;
  rule: string;
  severity: string;
  explanation: string;
  evidence: string[];
  raisedAt: string;
}

/** Every alert the stories below expect, as `caseId rule`. */
const expected: string[] = [];

const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();

/** How many events each case's facts so far put on the topic: a new case is two (opened, referral). */
const recorded = new Map<string, number>();
const count = (caseId: string, n = 1) => recorded.set(caseId, (recorded.get(caseId) ?? 0) + n);

async function post<T = Record<string, unknown>>(base: string, path: string, body: unknown, token = worker): Promise<T> {
  const res = await api<T>(base, 'POST', path, { token, body });
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  const caseId = /\/v1\/cases\/([0-9a-f-]{36})\//.exec(path)?.[1];
  if (caseId && !path.endsWith('/closure-requests')) count(caseId);
  return res.body;
}

/**
 * Waits until the projection has every fact recorded on the case. Each service publishes through
 * its own outbox, so a closure requested the instant after an incident was recorded can reach the
 * projection before the incident does; a worker closing a case does not do so in the same second.
 */
async function settled(caseId: string): Promise<void> {
  const want = recorded.get(caseId) ?? 0;
  await waitFor(
    async () => {
      const res = await api<{ events: unknown[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/events`, { token: supervisor });
      return res.status === 200 && res.body.events.length >= want;
    },
    { what: `the projection to have the ${want} events of case ${caseId}`, timeoutMs: 20_000 },
  );
}

async function refer(childId: string, daysAgo: number, o: { concerns?: string[]; riskLevel?: string; sourceAgency?: string } = {}): Promise<{ caseId: string; referralId: string; reReferral: boolean }> {
  const res = await post<{ caseId: string; referralId: string; reReferral: boolean }>(urls.referral, '/v1/referrals', {
    childId,
    area: AREA,
    sourceAgency: o.sourceAgency ?? 'school',
    concerns: o.concerns ?? ['criminal_exploitation'],
    riskLevel: o.riskLevel ?? 'medium',
    receivedAt: iso(daysAgo),
  });
  count(res.caseId, recorded.has(res.caseId) ? 1 : 2);
  return res;
}

async function intervene(caseId: string, daysAgo: number, o: { agency?: string; kind?: string; notes?: string; withChild?: boolean } = {}): Promise<{ interventionId: string }> {
  return post(urls.intervention, `/v1/cases/${caseId}/interventions`, {
    agency: o.agency ?? 'social_care',
    kind: o.kind ?? 'direct_work',
    deliveredAt: iso(daysAgo),
    withChild: o.withChild ?? true,
    withFamily: false,
    durationMinutes: 60,
    notes: o.notes ?? 'Met after school; talked about getting home safely.',
  });
}

/** Weekly sessions from `from` days ago to `to` days ago, alternating between the agencies given. */
async function weekly(caseId: string, from: number, to: number, agencies: string[], kind = 'direct_work'): Promise<void> {
  let i = 0;
  for (let d = from; d >= to; d -= 7) await intervene(caseId, d, { agency: agencies[i++ % agencies.length]!, kind });
}

async function requestClosure(caseId: string, reason = 'support_completed'): Promise<string> {
  await settled(caseId);
  const res = await post<{ closureRequestId: string }>(urls.closure, `/v1/cases/${caseId}/closure-requests`, { reason, summary: 'Plan completed; the family know who to call.' });
  return res.closureRequestId;
}

async function closureOutcome(id: string): Promise<{ status: string; flags: { rule: string }[] }> {
  return waitFor(
    async () => {
      const res = await api<{ status: string; flags: { rule: string }[] }>(urls.closure, 'GET', `/v1/closure-requests/${id}`, { token: supervisor });
      return res.status === 200 && res.body.status !== 'pending_assessment' ? res.body : undefined;
    },
    { what: `closure request ${id} to be assessed`, timeoutMs: 30_000 },
  );
}

function alertFor(caseId: string, rule: string, timeoutMs = 30_000): Promise<AlertData> {
  return stream.waitFor<AlertData>('alert.raised', (a) => a.caseId === caseId && a.rule === rule, `${rule} on case ${caseId}`, timeoutMs);
}

async function caseSummary(caseId: string, token = supervisor, query = ''): Promise<{ status: number; body: Record<string, unknown> & { flags: { rule: string }[] } }> {
  return api(urls.projection, 'GET', `/v1/cases/${caseId}${query}`, { token });
}

const child = () => `child-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  process.env.SWEEP_INTERVAL_MS = '500';
  process.env.SWEEP_QUIET_MS = String(SWEEP_QUIET_MS);
  process.env.SSE_HEARTBEAT_MS = '1000';
  sys = await startE2eSystem({ basePort: 14000 });
  urls = { referral: sys.url('referral'), intervention: sys.url('intervention'), closure: sys.url('case-closure'), projection: sys.url('projection') };
  worker = await sys.token('social_worker', [AREA], 'sw-1');
  supervisor = await sys.token('supervisor', [AREA], 'sup-1');
  auditor = await sys.token('auditor', [AREA], 'aud-1');
  otherSupervisor = await sys.token('supervisor', [OTHER_AREA], 'sup-2');
  // A second projection instance: same database and topics, same consumer group, its own port.
  secondProjection = await sys.startProjection(14014, 'projection-2');
  stream = await connectSse(`${urls.projection}/v1/alerts/stream`, supervisor);
  secondStream = await connectSse(`${secondProjection.url}/v1/alerts/stream`, supervisor);
  otherAreaStream = await connectSse(`${urls.projection}/v1/alerts/stream`, otherSupervisor);
});

afterAll(async () => {
  stream?.close();
  secondStream?.close();
  otherAreaStream?.close();
  await sys?.stop();
});

describe('the alert stream', () => {
  it('is for supervisors and social workers (their own cases) but not auditors, and is an event stream with heartbeats', async () => {
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    const asAuditor = await connectSse(`${urls.projection}/v1/alerts/stream`, auditor);
    expect(asAuditor.status).toBe(403);
    const anonymous = await connectSse(`${urls.projection}/v1/alerts/stream`, undefined);
    expect(anonymous.status).toBe(401);
    await waitFor(() => stream.comments >= 2, { what: 'heartbeats', timeoutMs: 10_000 });
  });
});

describe("the report's stories", () => {
  it('a child waiting for CAMHS: the sweep raises LONG_WAIT while nothing happens, and closing the case is held', async () => {
    const { caseId } = await refer(child(), 100, { concerns: ['serious_youth_violence_victim'] });
    await weekly(caseId, 98, 3, ['social_care', 'youth_service']);
    // Referred to CAMHS 30 days ago; on the day of the last intervention (3 days ago) it had waited 27 days, within 28.
    await post(urls.referral, `/v1/cases/${caseId}/onward-referrals`, { agency: 'camhs', reason: 'Panic attacks since the assault.', referredAt: iso(30) });

    // Nobody records anything: only the sweep, at today's date, can see the wait pass 28 days.
    const longWait = await alertFor(caseId, 'LONG_WAIT');
    expected.push(`${caseId} LONG_WAIT`);
    expect(longWait.explanation).toMatch(/CAMHS/);
    expect(Date.now() - Date.parse(longWait.raisedAt)).toBeLessThan(60_000);

    const closureRequestId = await requestClosure(caseId);
    const outcome = await closureOutcome(closureRequestId);
    expect(outcome.status).toBe('held_for_review');
    expect(outcome.flags.map((f) => f.rule)).toEqual(['CLOSURE_PENDING_ONWARD_REFERRAL']);
    await alertFor(caseId, 'CLOSURE_PENDING_ONWARD_REFERRAL');
    expected.push(`${caseId} CLOSURE_PENDING_ONWARD_REFERRAL`);

    const summary = await caseSummary(caseId);
    expect(summary.status).toBe(200);
    expect(summary.body.status).toBe('open');
    expect(summary.body.flags.map((f) => f.rule).sort()).toEqual(['CLOSURE_PENDING_ONWARD_REFERRAL', 'LONG_WAIT']);
    expect(summary.body.onwardReferrals).toEqual([expect.objectContaining({ agency: 'camhs', waiting: true, waitDays: 30 })]);
    expect(summary.body.agencies).toEqual(['social_care', 'youth_service']);
  });

  it('a case closed nine days after a stabbing is held with CLOSURE_RECENT_INCIDENT', async () => {
    const { caseId } = await refer(child(), 120, { concerns: ['serious_youth_violence_victim'], sourceAgency: 'police' });
    await weekly(caseId, 118, 1, ['social_care', 'youth_service']);
    await post(urls.intervention, `/v1/cases/${caseId}/incidents`, { kind: 'violence_victim', severity: 'high', occurredAt: iso(9) });
    const outcome = await closureOutcome(await requestClosure(caseId));
    expect(outcome.status).toBe('held_for_review');
    expect(outcome.flags.map((f) => f.rule)).toEqual(['CLOSURE_RECENT_INCIDENT']);
    const alert = await alertFor(caseId, 'CLOSURE_RECENT_INCIDENT');
    expected.push(`${caseId} CLOSURE_RECENT_INCIDENT`);
    expect(alert.severity).toBe('high');
    expect(alert.explanation).toMatch(/9 days after a high-severity incident/);
  });

  it('six weeks of mentoring closed as "support completed" is held with CLOSURE_SHORT_SUPPORT', async () => {
    const { caseId } = await refer(child(), 50, { concerns: ['criminal_exploitation'] });
    await intervene(caseId, 47, { agency: 'social_care' });
    await weekly(caseId, 45, 3, ['youth_service'], 'mentoring');
    const outcome = await closureOutcome(await requestClosure(caseId, 'support_completed'));
    expect(outcome.status).toBe('held_for_review');
    expect(outcome.flags.map((f) => f.rule)).toEqual(['CLOSURE_SHORT_SUPPORT']);
    const alert = await alertFor(caseId, 'CLOSURE_SHORT_SUPPORT');
    expected.push(`${caseId} CLOSURE_SHORT_SUPPORT`);
    expect(alert.explanation).toMatch(/Support lasted 47 days/);
  });

  it('a high-risk case seen by one agency only is held with CLOSURE_HIGH_RISK and CLOSURE_SINGLE_AGENCY', async () => {
    const { caseId } = await refer(child(), 120, { concerns: ['mental_health'], riskLevel: 'high' });
    await post(urls.intervention, `/v1/cases/${caseId}/risk-assessments`, { riskLevel: 'high', extraFamilialHarm: false, assessedAt: iso(110) });
    await weekly(caseId, 118, 2, ['social_care']);
    const outcome = await closureOutcome(await requestClosure(caseId));
    expect(outcome.status).toBe('held_for_review');
    expect(outcome.flags.map((f) => f.rule)).toEqual(['CLOSURE_HIGH_RISK', 'CLOSURE_SINGLE_AGENCY']);
    await alertFor(caseId, 'CLOSURE_HIGH_RISK');
    const single = await alertFor(caseId, 'CLOSURE_SINGLE_AGENCY');
    expected.push(`${caseId} CLOSURE_HIGH_RISK`, `${caseId} CLOSURE_SINGLE_AGENCY`);
    expect(single.severity).toBe('high');
  });

  it('a clean closure closes by itself, with no alert', async () => {
    const { caseId } = await refer(child(), 100, { concerns: ['mental_health'], riskLevel: 'low' });
    await post(urls.intervention, `/v1/cases/${caseId}/risk-assessments`, { riskLevel: 'low', extraFamilialHarm: false, assessedAt: iso(95) });
    await weekly(caseId, 98, 2, ['school', 'social_care']);
    const outcome = await closureOutcome(await requestClosure(caseId));
    expect(outcome).toEqual(expect.objectContaining({ status: 'closed', flags: [] }));
    await waitFor(async () => (await caseSummary(caseId)).body.status === 'closed', { what: 'the projection to see the case closed' });
    const summary = await caseSummary(caseId);
    expect(summary.body.flags).toEqual([]);
    expect(summary.body.supportDays).toBe(98);
  });

  it('a child referred again after their case was closed: the earlier closure is flagged REREFERRAL_AFTER_CLOSURE', async () => {
    const childId = child();
    const first = await refer(childId, 100, { concerns: ['mental_health'], riskLevel: 'low' });
    await weekly(first.caseId, 98, 2, ['school', 'social_care']);
    expect((await closureOutcome(await requestClosure(first.caseId))).status).toBe('closed');
    await waitFor(async () => (await caseSummary(first.caseId)).body.status === 'closed', { what: 'the projection to see the case closed' });

    const again = await refer(childId, 0, { concerns: ['criminal_exploitation', 'missing_episodes'], sourceAgency: 'police' });
    expect(again.caseId).not.toBe(first.caseId);
    expect(again.reReferral).toBe(true);
    const alert = await alertFor(first.caseId, 'REREFERRAL_AFTER_CLOSURE');
    expected.push(`${first.caseId} REREFERRAL_AFTER_CLOSURE`);
    expect(alert.explanation).toMatch(/referred again/);
    const earlier = await caseSummary(first.caseId);
    expect(earlier.body.flags.map((f) => f.rule)).toEqual(['REREFERRAL_AFTER_CLOSURE']);
  });

  it('notes that say the child is "putting themselves at risk" raise LABELLING_LANGUAGE, naming the phrase, never the notes', async () => {
    const { caseId } = await refer(child(), 20, { concerns: ['sexual_exploitation'] });
    await intervene(caseId, 18, { notes: 'K keeps putting themselves at risk by going to the flat on Dunmore Road.' });
    await intervene(caseId, 4, { agency: 'health', kind: 'health' });
    const alert = await alertFor(caseId, 'LABELLING_LANGUAGE');
    expected.push(`${caseId} LABELLING_LANGUAGE`);
    expect(alert.severity).toBe('low');
    expect(alert.explanation).toContain('"putting themselves at risk"');
    expect(alert.explanation).not.toContain('Dunmore');
  });
});

describe('what the supervisor heard', () => {
  it('on either projection instance, each expected alert exactly once and no other; the other area heard none of them', async () => {
    // Long enough for a sweep after every case went quiet, and for a late duplicate to show.
    await new Promise((r) => setTimeout(r, SWEEP_QUIET_MS + 3_000));
    for (const s of [stream, secondStream]) {
      const heard = s.data<AlertData>('alert.raised').map((a) => `${a.caseId} ${a.rule}`);
      expect(heard.sort()).toEqual([...expected].sort());
      expect(new Set(s.data<AlertData>('alert.raised').map((a) => a.alertId)).size).toBe(heard.length);
    }
    expect(otherAreaStream.data('alert.raised')).toEqual([]);
  });

  it('the alerts are listed, and acknowledging one is recorded once and streamed', async () => {
    const list = await api<{ items: { alertId: string; status: string; caseId: string; rule: string }[] }>(urls.projection, 'GET', '/v1/alerts?status=open', { token: supervisor });
    expect(list.status).toBe(200);
    expect(list.body.items.map((a) => `${a.caseId} ${a.rule}`).sort()).toEqual([...expected].sort());
    const alertId = list.body.items[0]!.alertId;
    const ack = await api<{ status: string; acknowledgedBy: string }>(urls.projection, 'POST', `/v1/alerts/${alertId}/acknowledge`, { token: supervisor });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'sup-1' });
    const again = await api(urls.projection, 'POST', `/v1/alerts/${alertId}/acknowledge`, { token: supervisor });
    expect(again.status).toBe(200);
    const byAuditor = await api(urls.projection, 'POST', `/v1/alerts/${alertId}/acknowledge`, { token: auditor });
    expect(byAuditor.status).toBe(403);
    const otherArea = await api<{ code: string }>(urls.projection, 'POST', `/v1/alerts/${alertId}/acknowledge`, { token: otherSupervisor });
    expect(`${otherArea.status} ${otherArea.body.code}`).toBe('404 NOT_FOUND');
    await stream.waitFor<{ alertId: string }>('alert.acknowledged', (a) => a.alertId === alertId, 'the acknowledgement on the stream');
    expect(stream.data<{ alertId: string }>('alert.acknowledged').filter((a) => a.alertId === alertId)).toHaveLength(1);
    const open = await api<{ items: unknown[] }>(urls.projection, 'GET', '/v1/alerts?status=open', { token: supervisor });
    expect(open.body.items).toHaveLength(expected.length - 1);
  });
});

describe('queries', () => {
  it('lists cases by flag and status, 404s another area, gives auditors the events and refuses them the stream', async () => {
    const held = await api<{ items: { caseId: string; flags: { rule: string }[] }[] }>(urls.projection, 'GET', '/v1/cases?flag=CLOSURE_SHORT_SUPPORT', { token: worker });
    expect(held.status).toBe(200);
    expect(held.body.items).toHaveLength(1);
    const caseId = held.body.items[0]!.caseId;
    for (const missing of [await caseSummary(caseId, otherSupervisor), await caseSummary(randomUUID())]) {
      expect(`${missing.status} ${String(missing.body.code)}`).toBe('404 CASE_NOT_FOUND');
    }
    const events = await api<{ events: { type: string; id: string }[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/events`, { token: auditor });
    expect(events.status).toBe(200);
    expect(events.body.events.map((e) => e.type)).toEqual(expect.arrayContaining(['case.opened.v1', 'referral.received.v1', 'closure.requested.v1', 'closure.assessed.v1', 'closure.held.v1']));
    // A social worker of the area reads the record back too (it was written by colleagues).
    expect((await api(urls.projection, 'GET', `/v1/cases/${caseId}/events`, { token: worker })).status).toBe(200);
    const closed = await api<{ items: unknown[] }>(urls.projection, 'GET', '/v1/cases?status=closed', { token: auditor });
    expect(closed.body.items).toHaveLength(2);
    const bad = await api<{ code: string; errors: { field: string }[] }>(urls.projection, 'GET', '/v1/cases?status=shut&flag=NOPE', { token: worker });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect(bad.body.errors.map((e) => e.field).sort()).toEqual(['query.flag', 'query.status']);
  });

  it('shows a case as it was on a past date, with the flags it had then', async () => {
    const { caseId } = await refer(child(), 60, { concerns: ['criminal_exploitation'] });
    await intervene(caseId, 58);
    await intervene(caseId, 20, { agency: 'youth_service' });
    await settled(caseId);
    // 40 days ago the child had last been seen 18 days before: no gap yet. 25 days ago: 33 days, a CONTACT_GAP.
    const early = await caseSummary(caseId, supervisor, `?asOf=${encodeURIComponent(iso(40))}`);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ status: 'open', interventions: 1, agencies: ['social_care'] });
    expect(early.body.flags).toEqual([]);
    const gap = await caseSummary(caseId, supervisor, `?asOf=${encodeURIComponent(iso(25))}`);
    expect(gap.body.flags.map((f) => f.rule)).toEqual(['CONTACT_GAP']);
    const now = await caseSummary(caseId);
    expect(now.body.flags).toEqual([]);
  });

  it('gives per-area stats to supervisors and auditors, not to social workers', async () => {
    const stats = await api<{ areas: { area: string; openCases: number; closures: number; closuresFlagged: number; reReferrals: number; waitsByAgency: { agency: string }[] }[] }>(
      urls.projection,
      'GET',
      `/v1/stats?area=${AREA}`,
      { token: auditor },
    );
    expect(stats.status).toBe(200);
    const area = stats.body.areas[0]!;
    expect(area).toMatchObject({ area: AREA, closures: 2, closuresFlagged: 0, reReferrals: 1 });
    expect(area.openCases).toBeGreaterThanOrEqual(6);
    expect(area.waitsByAgency.map((w) => w.agency)).toEqual(['camhs']);
    expect((await api(urls.projection, 'GET', '/v1/stats', { token: worker })).status).toBe(403);
  });

  it('gives the same stats over a period as a CSV file', async () => {
    // A period that holds everything this run recorded, so the figures are the all-time ones above.
    const from = '2000-01-01T00:00:00.000Z';
    const to = new Date().toISOString();
    const res = await fetch(`${urls.projection}/v1/stats?area=${AREA}&format=csv&from=${from}&to=${to}`, { headers: { authorization: `Bearer ${auditor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="stats-${from.replaceAll(':', '')}-${to.replaceAll(':', '')}.csv"`);
    const rows = (await res.text()).split('\r\n');
    expect(rows[0]).toBe('area,measure,agency,value');
    expect(rows).toContain(`${AREA},closures,,2`);
    expect(rows).toContain(`${AREA},closuresFlagged,,0`);
  });
});
