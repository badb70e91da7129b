import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLabellingLanguage } from '@syv/contracts';
import type { BuiltProjection } from '../service.js';
import { DAY_MS } from '../rules/days.js';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory, type CaseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';

// A social worker's own cases, read back: the caseload (GET /v1/cases?allocatedTo=), the
// supervisor's workload per worker (GET /v1/workload) and one case's record (GET
// /v1/cases/{id}/record), from allocations published as the referral service publishes them.

const AREA = 'E09000051';
const OTHER = 'E09000052';
const START = new Date('2024-03-04T09:00:00Z');
// The service's "now": day 60 of the stories.
const NOW = new Date(START.getTime() + 60 * DAY_MS);
const LABELLED = 'J. keeps putting themselves at risk near the station.';

let h: ProjectionHarness;
let p: BuiltProjection;
const tokens: Record<string, string> = {};
let mine: CaseStory;
let quiet: CaseStory;
let closedMine: CaseStory;
let colleague: CaseStory;
let handedOver: CaseStory;
let nobodys: CaseStory;
let elsewhere: CaseStory;
let camhs: string;
let housing: string;

beforeAll(async () => {
  h = await projectionHarness('proj_caseload');
  p = await h.start({ clock: () => NOW });
  const [sw1, sw2, sup, aud, otherWorker, otherSupervisor] = await Promise.all([
    h.token('social_worker', [AREA], 'sw-1'),
    h.token('social_worker', [AREA], 'sw-2'),
    h.token('supervisor', [AREA], 'sup-1'),
    h.token('auditor', [AREA], 'aud-1'),
    h.token('social_worker', [OTHER], 'sw-9'),
    h.token('supervisor', [OTHER], 'sup-9'),
  ]);
  Object.assign(tokens, { sw1, sw2, sup, aud, otherWorker, otherSupervisor });

  // sw-1: a case seen ten days ago with a CAMHS referral still waiting and a housing one started,
  // a case nobody has seen since the referral, and a closed case.
  mine = caseStory(START, { area: AREA });
  mine.referral(0, { concerns: ['criminal_exploitation'] });
  mine.allocate(0, 'sw-1');
  mine.intervention(2, { agency: 'social_care' });
  mine.incident(10, { kind: 'threat', severity: 'medium' });
  mine.risk(12, 'high', true);
  camhs = mine.onward(20, 'camhs').data.onwardReferralId;
  housing = mine.onward(25, 'housing').data.onwardReferralId;
  mine.started(30, housing);
  mine.intervention(50, { agency: 'youth_service', kind: 'mentoring', notes: LABELLED });

  quiet = caseStory(START, { area: AREA });
  quiet.referral(0);
  quiet.allocate(0, 'sw-1');

  closedMine = caseStory(START, { area: AREA });
  closedMine.referral(0, { concerns: ['mental_health'], riskLevel: 'low' });
  closedMine.allocate(0, 'sw-1');
  closedMine.intervention(1);
  const request = closedMine.requestClosure(40);
  closedMine.close(40, request.data.closureRequestId);

  // sw-2: a case with labelling language in its notes, and one handed over from sw-1.
  colleague = caseStory(START, { area: AREA });
  colleague.referral(0);
  colleague.allocate(0, 'sw-2');
  colleague.intervention(3);
  colleague.intervention(58, { notes: 'Stays out late: a lifestyle choice.' });

  handedOver = caseStory(START, { area: AREA });
  handedOver.referral(0);
  handedOver.allocate(0, 'sw-1');
  handedOver.allocate(1, 'sw-2', { by: 'sup-1', note: 'Handover to the youth team.' });
  handedOver.intervention(5);
  handedOver.intervention(45);

  // Nobody holds this one; and the same worker id holds a case in another area.
  nobodys = caseStory(START, { area: AREA });
  nobodys.referral(0);

  elsewhere = caseStory(START, { area: OTHER });
  elsewhere.referral(0);
  elsewhere.allocate(0, 'sw-1');

  const publisher = await casePublisher(h.topics.caseEvents);
  const events = [mine, quiet, closedMine, colleague, handedOver, nobodys, elsewhere].flatMap((s) => s.events);
  await publisher.publish(events);
  await publisher.close();
  await waitForApplied(h.pool, 'projection', events.map((e) => e.id));
  // The time rules at the service's "now": SLOW_START on the cases nobody has seen, LONG_WAIT on CAMHS.
  await p.sweep.runOnce();
});
afterAll(async () => {
  await h?.close();
});

const get = (url: string, token?: string) => p.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

interface CaseItem {
  caseId: string;
  allocatedTo: string | null;
  daysSinceContact: number | null;
  lastContactWithChildAt: string | null;
  onwardReferralsWaiting: { onwardReferralId: string; agency: string; referredAt: string; waitDays: number }[];
  flags: { rule: string }[];
}

async function caseload(query: string, token: string): Promise<CaseItem[]> {
  const res = await get(`/v1/cases?${query}`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

const ids = (items: { caseId: string }[]) => items.map((i) => i.caseId).sort();
const idsOf = (...stories: CaseStory[]) => stories.map((s) => s.caseId).sort();

describe('a caseload', () => {
  it("lists a social worker's own cases with allocatedTo=me: days since contact, onward referrals waiting, flags", async () => {
    const items = await caseload('allocatedTo=me', tokens.sw1!);
    expect(ids(items)).toEqual(idsOf(mine, quiet, closedMine));
    expect(ids(await caseload('allocatedTo=me&status=open', tokens.sw1!))).toEqual(idsOf(mine, quiet));

    const seen = items.find((i) => i.caseId === mine.caseId)!;
    expect(seen).toMatchObject({
      allocatedTo: 'sw-1',
      lastContactWithChildAt: mine.day(50).toISOString(),
      daysSinceContact: 10,
      onwardReferralsWaiting: [{ onwardReferralId: camhs, agency: 'camhs', referredAt: mine.day(20).toISOString(), waitDays: 40 }],
    });
    expect(seen.flags.map((f) => f.rule).sort()).toEqual(['LABELLING_LANGUAGE', 'LONG_WAIT']);

    const unseen = items.find((i) => i.caseId === quiet.caseId)!;
    expect(unseen).toMatchObject({ allocatedTo: 'sw-1', daysSinceContact: null, lastContactWithChildAt: null, onwardReferralsWaiting: [] });
    expect(unseen.flags.map((f) => f.rule)).toEqual(['SLOW_START']);
  });

  it('follows a handover: the case is in the new worker’s caseload and no longer in the old one’s', async () => {
    expect(ids(await caseload('allocatedTo=me', tokens.sw2!))).toEqual(idsOf(colleague, handedOver));
    expect(ids(await caseload('allocatedTo=me', tokens.sw1!))).not.toContain(handedOver.caseId);
  });

  it("lets a social worker name only themselves; supervisors and auditors name any worker; the whole area's list says who holds each case", async () => {
    expect(ids(await caseload('allocatedTo=sw-1', tokens.sw1!))).toEqual(idsOf(mine, quiet, closedMine));
    const refused = await get('/v1/cases?allocatedTo=sw-2', tokens.sw1);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'FORBIDDEN', errors: [{ field: 'query.allocatedTo' }] });

    expect(ids(await caseload('allocatedTo=sw-2', tokens.sup!))).toEqual(idsOf(colleague, handedOver));
    expect(ids(await caseload('allocatedTo=sw-1', tokens.aud!))).toEqual(idsOf(mine, quiet, closedMine));
    // A supervisor holds no case of their own.
    expect(await caseload('allocatedTo=me', tokens.sup!)).toEqual([]);

    const all = await caseload('limit=200', tokens.sw1!);
    expect(ids(all)).toEqual(idsOf(mine, quiet, closedMine, colleague, handedOver, nobodys));
    expect(all.find((i) => i.caseId === nobodys.caseId)?.allocatedTo).toBeNull();
    expect(all.find((i) => i.caseId === handedOver.caseId)?.allocatedTo).toBe('sw-2');
  });

  it("keeps another area's cases out, even those allocated to the same worker id", async () => {
    expect(ids(await caseload('allocatedTo=me', tokens.sw1!))).not.toContain(elsewhere.caseId);
    expect((await get(`/v1/cases?allocatedTo=me&area=${OTHER}`, tokens.sw1)).statusCode).toBe(403);
    expect((await get('/v1/cases?allocatedTo=me')).statusCode).toBe(401);
  });
});

describe('the workload', () => {
  it('counts open, flagged and overdue cases per worker, most open cases first, and the open cases nobody holds', async () => {
    const res = await get('/v1/workload', tokens.sup);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      asOf: NOW.toISOString(),
      areas: [
        {
          area: AREA,
          workers: [
            // mine (LONG_WAIT, labelling) and quiet (SLOW_START); the closed case does not count.
            { worker: 'sw-1', openCases: 2, flaggedCases: 2, overdueContacts: 1 },
            // colleague (labelling only) and the case handed over (no flag).
            { worker: 'sw-2', openCases: 2, flaggedCases: 1, overdueContacts: 0 },
          ],
          unallocated: { openCases: 1, flaggedCases: 1, overdueContacts: 1 },
        },
      ],
    });
  });

  it("is for supervisors of the area: another area's counts are their own supervisor's", async () => {
    expect((await get('/v1/workload', tokens.sw1)).statusCode).toBe(403);
    expect((await get('/v1/workload', tokens.aud)).statusCode).toBe(403);
    expect((await get(`/v1/workload?area=${OTHER}`, tokens.sup)).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    const other = (await get('/v1/workload', tokens.otherSupervisor)).json();
    expect(other.areas).toEqual([{ area: OTHER, workers: [{ worker: 'sw-1', openCases: 1, flaggedCases: 1, overdueContacts: 1 }], unallocated: { openCases: 0, flaggedCases: 0, overdueContacts: 0 } }]);
  });
});

describe("a case's record", () => {
  it('reads back each kind of record in the order it happened, with the labelling language in the notes', async () => {
    const res = await get(`/v1/cases/${mine.caseId}/record`, tokens.sw1);
    expect(res.statusCode).toBe(200);
    const record = res.json();
    const eventOf = (type: string) => mine.events.filter((e) => e.type === type).map((e) => e.id);
    expect(record.caseId).toBe(mine.caseId);
    expect(record.referrals).toMatchObject([{ receivedAt: mine.day(0).toISOString(), eventId: eventOf('referral.received.v1')[0] }]);
    expect(record.allocations).toMatchObject([{ allocatedTo: 'sw-1', previouslyAllocatedTo: null, allocatedBy: 'sw-1', eventId: eventOf('case.allocated.v1')[0] }]);
    expect(record.onwardReferrals).toMatchObject([
      { onwardReferralId: camhs, agency: 'camhs', startedAt: null },
      { onwardReferralId: housing, agency: 'housing', startedAt: mine.day(30).toISOString() },
    ]);
    expect(record.incidents).toMatchObject([{ kind: 'threat', severity: 'medium', occurredAt: mine.day(10).toISOString() }]);
    expect(record.riskAssessments).toMatchObject([{ riskLevel: 'high', extraFamilialHarm: true }]);

    expect(record.interventions.map((i: { eventId: string }) => i.eventId)).toEqual(eventOf('intervention.logged.v1'));
    const [first, labelled] = record.interventions;
    expect(first.languageFlags).toEqual([]);
    expect(labelled.notes).toBe(LABELLED);
    const expected = findLabellingLanguage(LABELLED).map((m) => ({ field: 'notes', phrase: m.phrase, position: m.position, suggestion: m.suggestion }));
    expect(expected).toHaveLength(1);
    expect(labelled.languageFlags).toEqual(expected);
    expect(labelled.languageFlags[0]).toMatchObject({ phrase: 'putting themselves at risk', position: LABELLED.indexOf('putting') });
  });

  it('shows a handover: who had the case, who has it, who decided and why', async () => {
    const record = (await get(`/v1/cases/${handedOver.caseId}/record`, tokens.sup)).json();
    expect(record.allocations).toMatchObject([
      { allocatedTo: 'sw-1', previouslyAllocatedTo: null, allocatedBy: 'sw-1' },
      { allocatedTo: 'sw-2', previouslyAllocatedTo: 'sw-1', allocatedBy: 'sup-1', note: 'Handover to the youth team.' },
    ]);
  });

  it("is for social workers, supervisors and auditors of the area; another area's case answers as one that does not exist", async () => {
    // Any social worker of the area reads it, not only the one who holds it; so does an auditor.
    expect((await get(`/v1/cases/${mine.caseId}/record`, tokens.sw2)).statusCode).toBe(200);
    expect((await get(`/v1/cases/${mine.caseId}/record`, tokens.aud)).statusCode).toBe(200);
    const other = await get(`/v1/cases/${mine.caseId}/record`, tokens.otherWorker);
    const missing = await get('/v1/cases/00000000-0000-4000-8000-000000000000/record', tokens.otherWorker);
    expect([other.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(other.json().detail.replace(mine.caseId, '<id>')).toBe(missing.json().detail.replace('00000000-0000-4000-8000-000000000000', '<id>'));
    expect(other.json().code).toBe('CASE_NOT_FOUND');
    expect((await get(`/v1/cases/${elsewhere.caseId}/record`, tokens.sw1)).json()).toMatchObject({ status: 404, code: 'CASE_NOT_FOUND' });
    expect((await get(`/v1/cases/${mine.caseId}/record`)).statusCode).toBe(401);

    const { rows } = await h.pool.query(`SELECT user_sub, action FROM projection.access_log WHERE case_id = $1 AND action = 'record' ORDER BY id`, [mine.caseId]);
    expect(rows).toEqual(expect.arrayContaining([{ user_sub: 'sw-1', action: 'record' }, { user_sub: 'sw-2', action: 'record' }, { user_sub: 'aud-1', action: 'record' }]));
    const { rows: elsewhereReads } = await h.pool.query(`SELECT 1 FROM projection.access_log WHERE case_id = $1`, [elsewhere.caseId]);
    expect(elsewhereReads).toEqual([]);
  });
});
