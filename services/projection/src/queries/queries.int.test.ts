import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@syv/test-harness';
import type { BuiltProjection } from '../service.js';
import { DAY_MS } from '../rules/days.js';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory, type CaseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';

const AREA = 'E09000031';
const OTHER = 'E09000032';
const START = new Date('2024-03-04T09:00:00Z');
// The service's "now": day 60 of the stories.
const NOW = new Date(START.getTime() + 60 * DAY_MS);

let h: ProjectionHarness;
let p: BuiltProjection;
let supervisor: string;
let auditor: string;
let worker: string;
let otherSupervisor: string;
let waiting: CaseStory;
let closed: CaseStory;
let elsewhere: CaseStory;

beforeAll(async () => {
  h = await projectionHarness('proj_queries');
  p = await h.start({ clock: () => NOW });
  [supervisor, auditor, worker, otherSupervisor] = await Promise.all([
    h.token('supervisor', [AREA], 'sup-1'),
    h.token('auditor', [AREA], 'aud-1'),
    h.token('social_worker', [AREA], 'sw-1'),
    h.token('supervisor', [OTHER], 'sup-2'),
  ]);
  waiting = caseStory(START, { area: AREA });
  waiting.referral(0, { concerns: ['criminal_exploitation'] });
  waiting.intervention(2, { agency: 'social_care' });
  waiting.onward(5, 'camhs');
  waiting.intervention(30, { agency: 'youth_service', kind: 'mentoring' });
  waiting.intervention(55, { agency: 'youth_service', kind: 'mentoring' });

  closed = caseStory(START, { area: AREA });
  closed.referral(0, { concerns: ['mental_health'], riskLevel: 'low' });
  const housing = closed.onward(1, 'housing');
  for (let d = 1; d <= 43; d += 7) closed.intervention(d, { agency: d % 2 ? 'school' : 'health' });
  closed.started(11, housing.data.onwardReferralId);
  const r = closed.requestClosure(44);
  closed.close(44, r.data.closureRequestId);

  elsewhere = caseStory(START, { area: OTHER });
  elsewhere.referral(0);

  const publisher = await casePublisher(h.topics.caseEvents);
  const events = [...waiting.events, ...closed.events, ...elsewhere.events];
  await publisher.publish(events);
  await publisher.close();
  await waitForApplied(h.pool, 'projection', events.map((e) => e.id));
});
afterAll(async () => {
  await h?.close();
});

const get = (url: string, token?: string) => p.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('case queries', () => {
  it('summarises a case now: support, agencies, waits, last contact and its live flags', async () => {
    await p.sweep.runOnce();
    const res = await get(`/v1/cases/${waiting.caseId}`, worker);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      caseId: waiting.caseId,
      status: 'open',
      asOf: NOW.toISOString(),
      supportDays: 58,
      agencies: ['social_care', 'youth_service'],
      onwardReferrals: [{ agency: 'camhs', waiting: true, waitDays: 55, startedAt: null }],
      lastContactWithChild: { at: waiting.day(55).toISOString(), daysAgo: 5, agency: 'youth_service', kind: 'mentoring' },
    });
    expect(body.flags.map((f: { rule: string }) => f.rule)).toEqual(['LONG_WAIT']);
  });

  it('shows the case as it was on a past date, with the flags it had then', async () => {
    const res = await get(`/v1/cases/${waiting.caseId}?asOf=${encodeURIComponent(waiting.day(29).toISOString())}`, supervisor);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ supportDays: 27, interventions: 1, agencies: ['social_care'], onwardReferrals: [{ waitDays: 24, waiting: true }] });
    expect(body.flags.map((f: { rule: string }) => f.rule)).toEqual([]);
    const day34 = (await get(`/v1/cases/${waiting.caseId}?asOf=${encodeURIComponent(waiting.day(34).toISOString())}`, supervisor)).json();
    expect(day34.flags.map((f: { rule: string }) => f.rule)).toEqual(['LONG_WAIT']);
    const bad = await get(`/v1/cases/${waiting.caseId}?asOf=last-tuesday`, supervisor);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['query.asOf']);
  });

  it('answers 404 alike for a case of another area and one that does not exist, and 401 without a token', async () => {
    const other = await get(`/v1/cases/${elsewhere.caseId}`, supervisor);
    const missing = await get(`/v1/cases/00000000-0000-4000-8000-000000000000`, supervisor);
    expect([other.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect([other.json().code, missing.json().code]).toEqual(['CASE_NOT_FOUND', 'CASE_NOT_FOUND']);
    expect((await get(`/v1/cases/${waiting.caseId}`)).statusCode).toBe(401);
  });

  it('lists cases by status and flag, paged, only in the caller’s areas', async () => {
    const all = (await get('/v1/cases?limit=1', worker)).json();
    expect(all.items).toHaveLength(1);
    expect(all.next).toBe(1);
    const second = (await get('/v1/cases?limit=1&offset=1', worker)).json();
    expect(second.next).toBeNull();
    expect([all.items[0].caseId, second.items[0].caseId].sort()).toEqual([waiting.caseId, closed.caseId].sort());
    expect((await get('/v1/cases?status=closed', worker)).json().items.map((c: { caseId: string }) => c.caseId)).toEqual([closed.caseId]);
    expect((await get('/v1/cases?flag=LONG_WAIT', worker)).json().items.map((c: { caseId: string }) => c.caseId)).toEqual([waiting.caseId]);
    expect((await get(`/v1/cases?area=${OTHER}`, worker)).statusCode).toBe(403);
  });

  it('counts as agencies those with interventions and those whose onward referral started, in the summary and the list alike', async () => {
    // The closed case: school and health worked with the child, housing's onward referral started.
    const expected = ['health', 'housing', 'school'];
    expect((await get(`/v1/cases/${closed.caseId}`, worker)).json().agencies).toEqual(expected);
    const listed = (await get('/v1/cases?status=closed', worker)).json().items as { caseId: string; agencies: string[] }[];
    expect(listed.find((c) => c.caseId === closed.caseId)?.agencies).toEqual(expected);
    // Before housing started, it was not working with the child yet.
    expect((await get(`/v1/cases/${closed.caseId}?asOf=${encodeURIComponent(closed.day(10).toISOString())}`, worker)).json().agencies).toEqual(['health', 'school']);
  });

  it('gives the case events to social workers, supervisors and auditors of the area, in order', async () => {
    // The projection's own closure.assessed goes out through its outbox and comes back through Kafka.
    const eventsOf = async () => (await get(`/v1/cases/${closed.caseId}/events`, auditor)).json().events as { id: string; type: string; source: string }[];
    await waitFor(async () => (await eventsOf()).some((e) => e.source === 'syv/projection'), { what: 'closure.assessed back from the topic', timeoutMs: 30_000 });
    const res = await get(`/v1/cases/${closed.caseId}/events`, auditor);
    expect(res.statusCode).toBe(200);
    const events: { id: string; type: string; source: string }[] = res.json().events;
    // The projection's own assessment of the closure request is part of the case's history too.
    expect(events.filter((e) => e.source !== 'syv/projection').map((e) => e.id)).toEqual(closed.events.map((e) => e.id));
    expect(events.filter((e) => e.source === 'syv/projection').map((e) => e.type)).toEqual(['closure.assessed.v1']);
    expect((await get(`/v1/cases/${closed.caseId}/events`, worker)).json().events.map((e: { id: string }) => e.id)).toEqual(events.map((e) => e.id));
    expect((await get(`/v1/cases/${elsewhere.caseId}/events`, auditor)).json()).toMatchObject({ status: 404, code: 'CASE_NOT_FOUND' });
  });

  it('records every read of a case: who, when, which case, how', async () => {
    await get(`/v1/cases/${closed.caseId}`, auditor);
    const { rows } = await h.pool.query(`SELECT user_sub, user_role, action FROM projection.access_log WHERE case_id = $1 ORDER BY id`, [closed.caseId]);
    expect(rows).toEqual(
      expect.arrayContaining([
        { user_sub: 'sw-1', user_role: 'social_worker', action: 'list' },
        { user_sub: 'aud-1', user_role: 'auditor', action: 'events' },
        { user_sub: 'aud-1', user_role: 'auditor', action: 'summary' },
      ]),
    );
    const { rows: elsewhereReads } = await h.pool.query(`SELECT 1 FROM projection.access_log WHERE case_id = $1`, [elsewhere.caseId]);
    expect(elsewhereReads).toEqual([]);
  });
});

describe('alerts and stats', () => {
  it('lists alerts for supervisors; auditors may read stats but never acknowledge', async () => {
    const list = await get('/v1/alerts', supervisor);
    expect(list.statusCode).toBe(200);
    const alert = list.json().items.find((a: { rule: string }) => a.rule === 'LONG_WAIT');
    expect(alert).toMatchObject({ caseId: waiting.caseId, status: 'open', acknowledgedBy: null });
    expect((await get('/v1/alerts', auditor)).statusCode).toBe(403);
    const ack = (token: string) => p.app.inject({ method: 'POST', url: `/v1/alerts/${alert.alertId}/acknowledge`, headers: { authorization: `Bearer ${token}` } });
    expect((await ack(auditor)).statusCode).toBe(403);
    expect((await ack(otherSupervisor)).json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const done = await ack(supervisor);
    expect(done.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'sup-1', acknowledgedAt: NOW.toISOString() });
    const someoneElse = await ack(await h.token('supervisor', [AREA], 'sup-3'));
    expect(someoneElse.statusCode).toBe(409);
    expect(someoneElse.json()).toMatchObject({ code: 'ALERT_ALREADY_ACKNOWLEDGED', acknowledgedBy: 'sup-1' });
    const { rows } = await h.pool.query(`SELECT type FROM projection.events WHERE stream_id = $1 ORDER BY stream_version`, [`alert-${alert.alertId}`]);
    expect(rows.map((r) => r.type)).toEqual(['alert.raised.v1', 'alert.acknowledged.v1']);
    expect((await get('/v1/alerts?status=acknowledged', supervisor)).json().items.map((a: { alertId: string }) => a.alertId)).toEqual([alert.alertId]);
  });

  it('computes per-area stats', async () => {
    const res = await get(`/v1/stats?area=${AREA}`, auditor);
    expect(res.statusCode).toBe(200);
    expect(res.json().areas).toEqual([
      {
        area: AREA,
        openCases: 1,
        medianSupportDays: 43,
        waitsByAgency: [
          { agency: 'camhs', medianWaitDays: 55, started: 0, waiting: 1, declined: 0, withdrawn: 0, shareDeclined: 0, ended: 0, medianSupportDays: null },
          { agency: 'housing', medianWaitDays: 10, started: 1, waiting: 0, declined: 0, withdrawn: 0, shareDeclined: 0, ended: 0, medianSupportDays: null },
        ],
        closures: 1,
        closuresFlagged: 0,
        shareOfClosuresFlagged: 0,
        closuresFlaggedApprovedAnyway: 0,
        shareOfClosuresFlaggedApprovedAnyway: 0,
        closuresFollowedByReReferral: 0,
        referrals: 2,
        reReferrals: 0,
        reReferralRate: 0,
      },
    ]);
    expect((await get('/v1/stats', worker)).statusCode).toBe(403);
  });

  it('echoes an open period when none is asked for', async () => {
    expect((await get(`/v1/stats?area=${AREA}`, auditor)).json()).toMatchObject({ asOf: NOW.toISOString(), period: { from: null, to: null } });
  });

  it('is ready with PostgreSQL, Kafka and both consumers, and exposes its metrics', async () => {
    expect((await get('/health/ready')).statusCode).toBe(200);
    const metrics = await get('/metrics');
    expect(metrics.body).toContain('projection_alerts_raised_total');
    expect(metrics.body).toMatch(/projection_events_applied\{[^}]*\} [1-9]/);
  });
});

describe('stats over a period', () => {
  // Its own area, so the figures are this story's alone. Days count from Monday 3 July 2023; the
  // service's now (May 2024) is after both quarters.
  const THIRD = 'E09000033';
  const Q3 = { from: '2023-07-01T00:00:00.000Z', to: '2023-09-30T23:59:59.999Z' };
  const Q4 = { from: '2023-10-01T00:00:00.000Z', to: '2023-12-31T23:59:59.999Z' };
  let reader: string;
  let approvedAnyway: CaseStory;

  beforeAll(async () => {
    reader = await h.token('supervisor', [THIRD], 'sup-9');
    const start = new Date('2023-07-03T09:00:00Z');
    // Q3: referred, one agency for 20 days of a criminal-exploitation case (SHORT_SUPPORT and
    // SINGLE_AGENCY), closed on day 21 with a supervisor's approval over those flags.
    approvedAnyway = caseStory(start, { area: THIRD });
    approvedAnyway.referral(0);
    approvedAnyway.intervention(1);
    const request = approvedAnyway.requestClosure(20);
    approvedAnyway.close(21, request.data.closureRequestId, { approvedBy: 'sup-9' });
    // Referred in Q3 (day 60), closed without flags in Q4 (day 104) after 43 days of support; its
    // housing referral is made on day 61 and starts on day 71.
    const clean = caseStory(start, { area: THIRD });
    clean.referral(60, { concerns: ['mental_health'], riskLevel: 'low' });
    const housing = clean.onward(61, 'housing');
    for (let d = 61; d <= 103; d += 7) clean.intervention(d, { agency: d % 2 ? 'school' : 'health' });
    clean.started(71, housing.data.onwardReferralId);
    // Its CAMHS referral (day 62) is declined on day 70; the housing support ends on day 90 (in Q4), after 19 days.
    const camhs = clean.onward(62, 'camhs');
    clean.declined(70, camhs.data.onwardReferralId);
    clean.ended(90, housing.data.onwardReferralId, 'completed');
    const cleanRequest = clean.requestClosure(104);
    clean.close(104, cleanRequest.data.closureRequestId);
    // Q4: a new case (day 100) whose CAMHS referral (day 102) never starts, and the first child
    // referred again (day 150), within 12 months of their closure.
    const open = caseStory(start, { area: THIRD });
    open.referral(100);
    open.intervention(101);
    open.onward(102, 'camhs');
    const back = caseStory(start, { area: THIRD, childId: approvedAnyway.childId });
    back.referral(150, { reReferral: true });

    const publisher = await casePublisher(h.topics.caseEvents);
    const events = [...approvedAnyway.events, ...clean.events, ...open.events, ...back.events];
    await publisher.publish(events);
    await publisher.close();
    await waitForApplied(h.pool, 'projection', events.map((e) => e.id));
    await waitFor(async () => (await h.pool.query(`SELECT 1 FROM projection.closure_assessments WHERE closure_request_id = $1`, [request.data.closureRequestId])).rowCount === 1, {
      what: 'the flagged closure assessed',
    });
  });

  const stats = (query: string, headers: Record<string, string> = {}) =>
    p.app.inject({ method: 'GET', url: `/v1/stats?area=${THIRD}${query}`, headers: { authorization: `Bearer ${reader}`, ...headers } });
  const period = (q: { from: string; to: string }) => `&from=${encodeURIComponent(q.from)}&to=${encodeURIComponent(q.to)}`;

  it('counts each fact in the period it happened in', async () => {
    const q3 = await stats(period(Q3));
    expect(q3.statusCode).toBe(200);
    expect(q3.json()).toEqual({
      asOf: NOW.toISOString(),
      period: Q3,
      areas: [
        {
          area: THIRD,
          // The Q4 closure's case was still open at the end of Q3.
          openCases: 1,
          medianSupportDays: 20,
          // The housing support ended in Q4: at the end of Q3 it was still going on.
          waitsByAgency: [
            { agency: 'camhs', medianWaitDays: 8, started: 0, waiting: 0, declined: 1, withdrawn: 0, shareDeclined: 1, ended: 0, medianSupportDays: null },
            { agency: 'housing', medianWaitDays: 10, started: 1, waiting: 0, declined: 0, withdrawn: 0, shareDeclined: 0, ended: 0, medianSupportDays: null },
          ],
          closures: 1,
          closuresFlagged: 1,
          shareOfClosuresFlagged: 1,
          closuresFlaggedApprovedAnyway: 1,
          shareOfClosuresFlaggedApprovedAnyway: 1,
          closuresFollowedByReReferral: 1,
          referrals: 2,
          reReferrals: 0,
          reReferralRate: 0,
        },
      ],
    });
    const q4 = await stats(period(Q4));
    expect(q4.json().areas).toEqual([
      {
        area: THIRD,
        openCases: 2,
        medianSupportDays: 43,
        // Still waiting at the end of the period: 13 October 09:00 to 31 December 23:59:59.999.
        waitsByAgency: [{ agency: 'camhs', medianWaitDays: 79.6, started: 0, waiting: 1, declined: 0, withdrawn: 0, shareDeclined: 0, ended: 0, medianSupportDays: null }],
        closures: 1,
        closuresFlagged: 0,
        shareOfClosuresFlagged: 0,
        closuresFlaggedApprovedAnyway: 0,
        shareOfClosuresFlaggedApprovedAnyway: 0,
        closuresFollowedByReReferral: 0,
        referrals: 2,
        reReferrals: 1,
        reReferralRate: 0.5,
      },
    ]);
    // Without a period: all time, open cases now, a running wait up to now (203 days).
    const all = await stats('');
    expect(all.json().areas[0]).toMatchObject({
      openCases: 2,
      medianSupportDays: 31.5,
      waitsByAgency: [
        // Two CAMHS referrals: one declined after 8 days, one waiting 203 days; half of them declined.
        { agency: 'camhs', medianWaitDays: 105.5, started: 0, waiting: 1, declined: 1, withdrawn: 0, shareDeclined: 0.5, ended: 0, medianSupportDays: null },
        { agency: 'housing', medianWaitDays: 10, started: 1, waiting: 0, declined: 0, withdrawn: 0, shareDeclined: 0, ended: 1, medianSupportDays: 19 },
      ],
      closures: 2,
      closuresFlagged: 1,
      shareOfClosuresFlagged: 0.5,
      closuresFlaggedApprovedAnyway: 1,
      shareOfClosuresFlaggedApprovedAnyway: 0.5,
      referrals: 4,
      reReferrals: 1,
      reReferralRate: 0.25,
    });
  });

  it('answers the same figures as CSV, asked by format or by Accept', async () => {
    const csv = await stats(`${period(Q3)}&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="stats-2023-07-01T000000.000Z-2023-09-30T235959.999Z.csv"');
    expect(csv.body).toBe(
      [
        'area,measure,agency,value',
        `${THIRD},openCases,,1`,
        `${THIRD},medianSupportDays,,20`,
        `${THIRD},closures,,1`,
        `${THIRD},closuresFlagged,,1`,
        `${THIRD},shareOfClosuresFlagged,,1`,
        `${THIRD},closuresFlaggedApprovedAnyway,,1`,
        `${THIRD},shareOfClosuresFlaggedApprovedAnyway,,1`,
        `${THIRD},closuresFollowedByReReferral,,1`,
        `${THIRD},referrals,,2`,
        `${THIRD},reReferrals,,0`,
        `${THIRD},reReferralRate,,0`,
        `${THIRD},medianWaitDays,camhs,8`,
        `${THIRD},started,camhs,0`,
        `${THIRD},waiting,camhs,0`,
        `${THIRD},declined,camhs,1`,
        `${THIRD},withdrawn,camhs,0`,
        `${THIRD},shareDeclined,camhs,1`,
        `${THIRD},ended,camhs,0`,
        `${THIRD},medianSupportDays,camhs,`,
        `${THIRD},medianWaitDays,housing,10`,
        `${THIRD},started,housing,1`,
        `${THIRD},waiting,housing,0`,
        `${THIRD},declined,housing,0`,
        `${THIRD},withdrawn,housing,0`,
        `${THIRD},shareDeclined,housing,0`,
        `${THIRD},ended,housing,0`,
        `${THIRD},medianSupportDays,housing,`,
        '',
      ].join('\r\n'),
    );
    const accepted = await stats(period(Q4), { accept: 'text/csv' });
    expect(accepted.headers['content-type']).toMatch(/^text\/csv/);
    expect(accepted.body.split('\r\n')).toEqual(expect.arrayContaining([`${THIRD},reReferralRate,,0.5`, `${THIRD},medianWaitDays,camhs,79.6`]));
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const res = await stats(`&from=${encodeURIComponent(Q4.from)}&to=${encodeURIComponent(Q3.to)}&format=csv`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'query.from' }] });
    const notADate = await stats('&to=yesterday');
    expect(notADate.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'query.to' }] });
  });
});
