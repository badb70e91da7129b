import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@syv/test-harness';
import { connectSse } from '../../../../e2e/support/sse.js';
import type { BuiltProjection } from '../service.js';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory, type CaseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';

// A social worker's alerts are those of the cases allocated to them: listed, acknowledged with a
// note of what was done, and heard live on the stream through the real broadcast from the alerts
// topic. Every case here has one alert: labelling language in an intervention's notes.

const AREA = 'E09000061';
const OTHER = 'E09000062';
const START = new Date('2024-02-05T09:00:00Z');
const NOTE = 'Spoke to the author; the record is reworded.';

let h: ProjectionHarness;
let p: BuiltProjection;
let url: string;
let publisher: Awaited<ReturnType<typeof casePublisher>>;
const tokens: Record<string, string> = {};
let mine: CaseStory;
let colleague: CaseStory;
let nobodys: CaseStory;
let elsewhere: CaseStory;

/** A case with one alert (LABELLING_LANGUAGE), allocated to `worker` unless null. */
function labelledCase(area: string, worker: string | null): CaseStory {
  const s = caseStory(START, { area });
  s.referral(0);
  if (worker !== null) s.allocate(0, worker);
  s.intervention(1, { notes: 'Keeps putting themselves at risk.' });
  return s;
}

async function publish(...stories: CaseStory[]): Promise<void> {
  const events = stories.flatMap((s) => s.events);
  await publisher.publish(events);
  await waitForApplied(h.pool, 'projection', events.map((e) => e.id));
}

interface AlertItem {
  alertId: string;
  caseId: string;
  status: string;
  acknowledgedBy: string | null;
  acknowledgementNote: string | null;
}

const get = (path: string, token?: string) => p.app.inject({ method: 'GET', url: path, headers: token ? { authorization: `Bearer ${token}` } : {} });
const acknowledge = (alertId: string, token: string, body?: unknown) =>
  p.app.inject({ method: 'POST', url: `/v1/alerts/${alertId}/acknowledge`, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });

async function alerts(query: string, token: string): Promise<AlertItem[]> {
  const res = await get(`/v1/alerts${query}`, token);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

async function alertOf(story: CaseStory): Promise<AlertItem> {
  const [alert] = await alerts(`?caseId=${story.caseId}`, tokens.sup!);
  if (!alert) throw new Error(`no alert on case ${story.caseId}`);
  return alert;
}

beforeAll(async () => {
  h = await projectionHarness('proj_worker_alerts');
  p = await h.start();
  url = await p.app.listen({ port: 0, host: '127.0.0.1' });
  publisher = await casePublisher(h.topics.caseEvents);
  const [sw1, sw2, sup, aud, otherSw1] = await Promise.all([
    h.token('social_worker', [AREA], 'sw-1'),
    h.token('social_worker', [AREA], 'sw-2'),
    h.token('supervisor', [AREA], 'sup-1'),
    h.token('auditor', [AREA], 'aud-1'),
    h.token('social_worker', [OTHER], 'sw-1'),
  ]);
  Object.assign(tokens, { sw1, sw2, sup, aud, otherSw1 });
  mine = labelledCase(AREA, 'sw-1');
  colleague = labelledCase(AREA, 'sw-2');
  nobodys = labelledCase(AREA, null);
  // The same worker id holds a case in another area: their token for this area does not reach it.
  elsewhere = labelledCase(OTHER, 'sw-1');
  await publish(mine, colleague, nobodys, elsewhere);
});
afterAll(async () => {
  await publisher?.close();
  await h?.close();
});

describe("a social worker's alerts", () => {
  it('lists only the alerts of the cases allocated to them; a supervisor lists every alert of the area', async () => {
    expect((await alerts('', tokens.sw1!)).map((a) => a.caseId)).toEqual([mine.caseId]);
    expect((await alerts('', tokens.sw2!)).map((a) => a.caseId)).toEqual([colleague.caseId]);
    expect((await alerts('', tokens.sup!)).map((a) => a.caseId).sort()).toEqual([mine.caseId, colleague.caseId, nobodys.caseId].sort());
    // Asking for a colleague's case, or a case nobody holds, finds nothing; another area is refused.
    expect(await alerts(`?caseId=${colleague.caseId}`, tokens.sw1!)).toEqual([]);
    expect(await alerts(`?caseId=${nobodys.caseId}`, tokens.sw1!)).toEqual([]);
    expect((await get(`/v1/alerts?area=${OTHER}`, tokens.sw1)).json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await alerts('', tokens.otherSw1!)).map((a) => a.caseId)).toEqual([elsewhere.caseId]);
    expect((await get('/v1/alerts', tokens.aud)).statusCode).toBe(403);
  });

  it('acknowledges an alert of their own case with a note, stored and published; others answer as if it did not exist', async () => {
    const own = await alertOf(mine);
    const colleagues = await alertOf(colleague);
    const unheld = await alertOf(nobodys);
    const [otherArea] = await alerts('', tokens.otherSw1!);

    const missing = await acknowledge('00000000-0000-4000-8000-000000000000', tokens.sw1!);
    expect(missing.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const hidden = (id: string, body: { detail: string }) => body.detail.replace(id, '<id>');
    for (const id of [colleagues.alertId, unheld.alertId, otherArea!.alertId]) {
      const res = await acknowledge(id, tokens.sw1!, { note: NOTE });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
      expect(hidden(id, res.json())).toBe(hidden('00000000-0000-4000-8000-000000000000', missing.json()));
    }
    expect((await acknowledge(own.alertId, tokens.aud!, { note: NOTE })).statusCode).toBe(403);
    expect((await acknowledge(own.alertId, tokens.sw1!, { note: 'x'.repeat(2001) })).json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'body.note' }] });

    const done = await acknowledge(own.alertId, tokens.sw1!, { note: NOTE });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ alertId: own.alertId, status: 'acknowledged', acknowledgedBy: 'sw-1', acknowledgementNote: NOTE });
    // Asking again answers the same; a supervisor is told who took it on.
    expect((await acknowledge(own.alertId, tokens.sw1!, { note: NOTE })).json()).toMatchObject({ acknowledgedBy: 'sw-1', acknowledgementNote: NOTE });
    expect((await acknowledge(own.alertId, tokens.sup!)).json()).toMatchObject({ status: 409, code: 'ALERT_ALREADY_ACKNOWLEDGED', acknowledgedBy: 'sw-1' });
    expect(await alerts('?status=acknowledged', tokens.sw1!)).toMatchObject([{ alertId: own.alertId, acknowledgementNote: NOTE }]);

    // The note is about the child: stored and published sealed under their key, opened in answers.
    const { rows: stored } = await h.pool.query<{ acknowledged_by: string; acknowledgement_note: string }>(`SELECT acknowledged_by, acknowledgement_note FROM projection.alerts WHERE alert_id = $1`, [own.alertId]);
    expect(stored).toEqual([{ acknowledged_by: 'sw-1', acknowledgement_note: expect.stringMatching(/^sealed:v1:/) }]);
    const { rows: events } = await h.pool.query(`SELECT type, data FROM projection.events WHERE stream_id = $1 ORDER BY stream_version`, [`alert-${own.alertId}`]);
    expect(events.map((e) => e.type)).toEqual(['alert.raised.v1', 'alert.acknowledged.v1']);
    expect(events[1]?.data).toMatchObject({ alertId: own.alertId, caseId: mine.caseId, acknowledgedBy: 'sw-1', note: stored[0]!.acknowledgement_note });
    expect(JSON.stringify(events)).not.toContain(NOTE);
  });

  it('lets a supervisor acknowledge without a body, as before notes existed: no note is kept or published', async () => {
    const unheld = await alertOf(nobodys);
    const done = await acknowledge(unheld.alertId, tokens.sup!);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ acknowledgedBy: 'sup-1', acknowledgementNote: null });
    const { rows } = await h.pool.query(`SELECT data FROM projection.events WHERE stream_id = $1 AND type = 'alert.acknowledged.v1'`, [`alert-${unheld.alertId}`]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.data).not.toHaveProperty('note');
  });

  it('follows the case: after a handover the new worker lists its alerts and the old one does not', async () => {
    const handedOver = labelledCase(AREA, 'sw-2');
    await publish(handedOver);
    expect((await alerts('', tokens.sw2!)).map((a) => a.caseId)).toContain(handedOver.caseId);
    handedOver.allocate(2, 'sw-1', { by: 'sup-1', note: 'Handover.' });
    await publish(handedOver);
    expect((await alerts('', tokens.sw1!)).map((a) => a.caseId)).toContain(handedOver.caseId);
    expect((await alerts('', tokens.sw2!)).map((a) => a.caseId)).not.toContain(handedOver.caseId);
  });
});

describe("a social worker's alert stream", () => {
  it('gives a worker the alerts of their own cases as they are raised and acknowledged, and none of a colleague’s', async () => {
    const [worker, colleagueWorker, supervisor] = await Promise.all([
      connectSse(`${url}/v1/alerts/stream`, tokens.sw1),
      connectSse(`${url}/v1/alerts/stream`, tokens.sw2),
      connectSse(`${url}/v1/alerts/stream`, tokens.sup),
    ]);
    expect([worker.status, colleagueWorker.status, supervisor.status]).toEqual([200, 200, 200]);
    const theirs = labelledCase(AREA, 'sw-1');
    const colleagues = labelledCase(AREA, 'sw-2');
    const unheld = labelledCase(AREA, null);
    await publish(theirs, colleagues, unheld);

    const raisedOn = (c: typeof worker) => c.data<{ alertId: string; caseId: string }>('alert.raised').map((a) => a.caseId).sort();
    await waitFor(() => raisedOn(supervisor).length >= 3, { what: 'the supervisor to hear the three alerts', timeoutMs: 30_000 });
    await colleagueWorker.waitFor<{ caseId: string }>('alert.raised', (a) => a.caseId === colleagues.caseId, "the colleague's alert");
    const heard = await worker.waitFor<{ alertId: string; caseId: string }>('alert.raised', (a) => a.caseId === theirs.caseId, "the worker's alert");
    expect(raisedOn(supervisor)).toEqual([theirs.caseId, colleagues.caseId, unheld.caseId].sort());

    const done = await acknowledge(heard.alertId, tokens.sw1!, { note: NOTE });
    expect(done.statusCode).toBe(200);
    const acknowledged = await worker.waitFor<{ alertId: string; note?: string; acknowledgedBy: string }>('alert.acknowledged', (a) => a.alertId === heard.alertId, 'the acknowledgement');
    expect(acknowledged).toMatchObject({ acknowledgedBy: 'sw-1', note: NOTE });
    await supervisor.waitFor('alert.acknowledged', (a: { alertId: string }) => a.alertId === heard.alertId, 'the acknowledgement, for the supervisor');
    await new Promise((r) => setTimeout(r, 1_000)); // anything misrouted would show by now

    expect(raisedOn(worker)).toEqual([theirs.caseId]);
    expect(raisedOn(colleagueWorker)).toEqual([colleagues.caseId]);
    expect(colleagueWorker.data('alert.acknowledged')).toEqual([]);
    expect(supervisor.data('alert.raised').every((a) => a.area === AREA)).toBe(true);
    for (const c of [worker, colleagueWorker, supervisor]) c.close();
  });
});
