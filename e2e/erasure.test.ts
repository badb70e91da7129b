import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopic, waitFor } from '@syv/test-harness';
import type { ReplayView } from '../services/projection/src/audit/replay-view.js';
import { e2eLogPaths } from './support/logs.js';
import { api, newKey } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// A child's erasure, end to end, against real Kafka and PostgreSQL. Child A has a referral reason,
// an intervention's notes (with a labelling phrase, corrected by their author: the correction and
// its reason hold markers too) and an incident's description, each holding a marker of its own;
// child B an intervention whose notes hold another. No marker is ever in a topic, the database or the
// services' log, as written (every text is sealed under its child's key). Before the erasure the
// record shows each text as written; a data protection officer erases child A; within the key cache
// bound every reader sees [erased] there, never an error, child B's text stays, and the flags,
// dates and agencies are what they were. An auditor's replay after the erasure matches. A subject
// access request gives the officer every text of the child, opened, and after the erasure none.

const AREA = 'E09000091';
const DAY = 86_400_000;
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
const ERASED = '[erased]';
/** The services' key cache bound for this test: an erasure is seen everywhere within it. */
const CACHE_MS = 500;

let sys: E2eSystem;
let urls: { referral: string; intervention: string; projection: string };
const tokens = { worker: '', supervisor: '', auditor: '', dpo: '' };
const marker = () => `MARKER-${randomUUID()}`;
const markers = { reason: marker(), notes: marker(), correction: marker(), correctionReason: marker(), description: marker(), childB: marker() };
const childA = `child-${randomUUID().slice(0, 8)}`;
const childB = `child-${randomUUID().slice(0, 8)}`;
let caseA: string;
let caseB: string;

async function post<T = Record<string, unknown>>(base: string, path: string, token: string, body: unknown) {
  return api<T>(base, 'POST', path, { token, body, headers: { 'idempotency-key': newKey() } });
}

async function refer(childId: string, reason: string): Promise<string> {
  const res = await post<{ caseId: string }>(urls.referral, '/v1/referrals', tokens.worker, {
    childId,
    area: AREA,
    sourceAgency: 'school',
    concerns: ['criminal_exploitation'],
    riskLevel: 'high',
    receivedAt: iso(20),
    reason,
    allocatedTo: 'sw-erasure',
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.caseId;
}

/** A write to the intervention service, asked again while it has not yet heard of the case. */
async function activity(path: string, body: unknown): Promise<void> {
  await waitFor(
    async () => {
      const res = await post(urls.intervention, path, tokens.worker, body);
      if (res.status === 201) return true;
      if (res.status !== 404 && res.status !== 503) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return undefined;
    },
    { what: `the intervention service to take ${path}`, timeoutMs: 30_000 },
  );
}

const intervention = (notes: string) => ({ agency: 'youth_service', kind: 'mentoring', deliveredAt: iso(5), withChild: true, withFamily: false, durationMinutes: 40, notes });

interface CaseRecord {
  referrals: { reason?: string }[];
  interventions: { eventId: string; notes?: string; agency: string; deliveredAt: string; corrections: { reason: string }[] }[];
  incidents: { description?: string; occurredAt: string }[];
}

async function record(caseId: string, token: string): Promise<CaseRecord> {
  const res = await api<CaseRecord>(urls.projection, 'GET', `/v1/cases/${caseId}/record`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function events(caseId: string, token: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const res = await api<{ events: { type: string; data: Record<string, unknown> }[] }>(urls.projection, 'GET', `/v1/cases/${caseId}/events`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.events;
}

async function summary(caseId: string): Promise<{ flags: { rule: string; severity: string }[]; agencies: unknown; openedAt: string; riskLevel: string }> {
  const res = await api<{ flags: { rule: string; severity: string }[]; agencies: unknown; openedAt: string; riskLevel: string }>(urls.projection, 'GET', `/v1/cases/${caseId}`, { token: tokens.supervisor });
  expect(res.status).toBe(200);
  return res.body;
}

/** Every place a text could leak to, as raw bytes: both topics, the whole database, the services' log. */
async function everywhere(): Promise<{ where: string; text: string }[]> {
  const [caseEvents, caseAlerts] = await Promise.all([readTopic(sys.topics.caseEvents), readTopic(sys.topics.caseAlerts)]);
  const raw = (messages: Awaited<ReturnType<typeof readTopic>>) =>
    messages.map((m) => `${m.key ?? ''}\n${JSON.stringify(m.headers)}\n${m.value?.toString('utf8') ?? ''}`).join('\n');
  const dump = execFileSync('/usr/bin/pg_dump', ['--no-owner', '--data-only', sys.db.url], { maxBuffer: 512 * 1024 * 1024 }).toString('utf8');
  const log = readFileSync(e2eLogPaths(expect.getState().testPath ?? 'erasure.test.ts').log, 'utf8');
  expect(caseEvents.length, 'messages on case-events').toBeGreaterThan(5);
  expect(dump, 'the dump holds the events').toContain(caseA);
  return [
    { where: 'the case-events topic', text: raw(caseEvents) },
    { where: 'the case-alerts topic', text: raw(caseAlerts) },
    { where: 'the database', text: dump },
    { where: "the services' log", text: log },
  ];
}

async function expectNoMarkerAnywhere(): Promise<void> {
  for (const { where, text } of await everywhere()) {
    for (const [field, m] of Object.entries(markers)) expect(text.includes(m), `${field} as written in ${where}`).toBe(false);
  }
}

async function erase(token = tokens.dpo, childId = childA) {
  return api<{ childId: string; area: string; erasedAt: string; keyIds: string[]; cases: string[] }>(urls.referral, 'POST', `/v1/children/${childId}/erasure`, {
    token,
    body: { area: AREA, reason: 'Right to erasure request DPR-2041 upheld.', legalBasis: 'right_to_erasure' },
  });
}

let before: { record: CaseRecord; summary: Awaited<ReturnType<typeof summary>> };

type SubjectAccess = { childId: string; area: string; generatedBy: string; dataKeys: { keyId: string; erasedAt: string | null; erasedBy: string | null }[]; cases: { caseId: string }[] };
async function subjectAccess(token = tokens.dpo, childId = childA, area = AREA) {
  return api<SubjectAccess>(urls.referral, 'GET', `/v1/children/${childId}/record?area=${area}`, { token });
}

beforeAll(async () => {
  sys = await startE2eSystem({ only: ['referral', 'intervention', 'projection'], basePort: 19400, env: { DATA_KEY_CACHE_MS: String(CACHE_MS) } });
  urls = { referral: sys.url('referral'), intervention: sys.url('intervention'), projection: sys.url('projection') };
  tokens.worker = await sys.token('social_worker', [AREA], 'sw-erasure');
  tokens.supervisor = await sys.token('supervisor', [AREA], 'sup-erasure');
  tokens.auditor = await sys.token('auditor', [AREA], 'aud-erasure');
  tokens.dpo = await sys.token('data_protection_officer', [AREA], 'dpo-erasure');
  caseA = await refer(childA, `Seen near the station late at night. ${markers.reason}`);
  caseB = await refer(childB, 'Excluded from school after a fight.');
  await activity(`/v1/cases/${caseA}/interventions`, intervention(`Met at the youth hub; he talked about college. Keeps putting themselves at risk. ${markers.notes}`));
  await activity(`/v1/cases/${caseA}/incidents`, { kind: 'threat', severity: 'high', occurredAt: iso(3), description: `Threatened outside the chip shop. ${markers.description}` });
  await activity(`/v1/cases/${caseB}/interventions`, intervention(`Mentoring session; she wants to box again. ${markers.childB}`));
  // The projection has every text of both children.
  await waitFor(
    async () => {
      const res = await api<CaseRecord>(urls.projection, 'GET', `/v1/cases/${caseA}/record`, { token: tokens.supervisor });
      const b = await api<CaseRecord>(urls.projection, 'GET', `/v1/cases/${caseB}/record`, { token: tokens.supervisor });
      return res.status === 200 && res.body.interventions.length === 1 && res.body.incidents.length === 1 && b.status === 200 && b.body.interventions.length === 1 ? true : undefined;
    },
    { what: 'the projection to hold both records', timeoutMs: 30_000 },
  );
  // The author corrects the notes (keeping the labelling phrase, so the flag stays to be compared).
  const session = (await record(caseA, tokens.supervisor)).interventions[0]!;
  const corrected = await post(urls.intervention, `/v1/records/${session.eventId}/amendments`, tokens.worker, {
    field: 'notes',
    text: `Met at the youth hub; he talked about college and the older boys. Keeps putting themselves at risk. ${markers.correction}`,
    reason: `Added who he is afraid of. ${markers.correctionReason}`,
  });
  expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
  await waitFor(async () => ((await record(caseA, tokens.supervisor)).interventions[0]?.corrections.length === 1 ? true : undefined), { what: 'the correction in the record', timeoutMs: 30_000 });
}, 90_000);

afterAll(async () => {
  await sys?.stop();
});

describe("a child's erasure", () => {
  it('before: no text as written in any topic, the database or the log; the record shows each as written', async () => {
    await expectNoMarkerAnywhere();
    const a = await record(caseA, tokens.supervisor);
    expect(a.referrals[0]?.reason).toContain(markers.reason);
    expect(a.interventions[0]?.notes).toContain(markers.correction);
    expect(a.interventions[0]?.corrections[0]?.reason).toContain(markers.correctionReason);
    expect(a.incidents[0]?.description).toContain(markers.description);
    expect((await events(caseA, tokens.auditor)).find((e) => e.type === 'intervention.logged.v1')?.data.notes).toContain(markers.notes);
    expect((await record(caseB, tokens.supervisor)).interventions[0]?.notes).toContain(markers.childB);
    // The notes' labelling phrase is flagged: a flag the erasure must leave as it is.
    const flagged = await waitFor(async () => {
      const s = await summary(caseA);
      return s.flags.some((f) => f.rule === 'LABELLING_LANGUAGE') ? s : undefined;
    }, { what: 'the labelling flag on case A', timeoutMs: 10_000 });
    before = { record: a, summary: flagged };
  });

  it('only a data protection officer may erase, only in their area, and only a child with a case there', async () => {
    for (const token of [tokens.worker, tokens.supervisor, tokens.auditor]) {
      const res = await erase(token);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    }
    const elsewhere = await api(urls.referral, 'POST', `/v1/children/${childA}/erasure`, {
      token: tokens.dpo,
      body: { area: 'E09000092', reason: 'Retention period ended.', legalBasis: 'retention_period_ended' },
    });
    expect(elsewhere.status).toBe(403);
    expect((await erase(tokens.dpo, `child-${randomUUID().slice(0, 8)}`)).body).toMatchObject({ status: 404, code: 'CHILD_NOT_FOUND' });
    const bad = await api(urls.referral, 'POST', `/v1/children/${childA}/erasure`, { token: tokens.dpo, body: { area: AREA, reason: 'x', legalBasis: 'because' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('body.legalBasis');
    // The officer sees no case data.
    expect((await api(urls.projection, 'GET', `/v1/cases/${caseA}/record`, { token: tokens.dpo })).status).toBe(403);
    expect((await api(urls.projection, 'GET', '/v1/cases', { token: tokens.dpo })).status).toBe(403);
    // Nothing was erased by any of these.
    expect((await record(caseA, tokens.supervisor)).interventions[0]?.notes).toContain(markers.correction);
  });

  it('a subject access request gives the officer, and only the officer of the area, every text held about the child, opened, and no other child\'s; it is in the access log', async () => {
    for (const token of [tokens.worker, tokens.supervisor, tokens.auditor]) {
      expect((await subjectAccess(token)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    expect((await subjectAccess(tokens.dpo, childA, 'E09000092')).status).toBe(403);
    const elsewhere = await sys.token('data_protection_officer', ['E09000092'], 'dpo-elsewhere');
    expect((await subjectAccess(elsewhere)).status).toBe(403);
    expect((await subjectAccess(tokens.dpo, `child-${randomUUID().slice(0, 8)}`)).body).toMatchObject({ status: 404, code: 'CHILD_NOT_FOUND' });

    const res = await subjectAccess();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ childId: childA, area: AREA, generatedBy: 'dpo-erasure', cases: [{ caseId: caseA }] });
    expect(res.body.dataKeys).toEqual([expect.objectContaining({ erasedAt: null })]);
    const doc = JSON.stringify(res.body);
    for (const m of [markers.reason, markers.notes, markers.correction, markers.correctionReason, markers.description]) expect(doc).toContain(m);
    expect(doc).not.toContain(markers.childB);
    const log = await api<{ items: { action: string; user: string }[] }>(urls.projection, 'GET', `/v1/audit/access-log?caseId=${caseA}&limit=200`, { token: tokens.auditor });
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    expect(log.body.items).toContainEqual(expect.objectContaining({ action: 'subject_access', user: 'dpo-erasure' }));
  });

  it('after: every reader sees [erased] within the cache bound, never an error; child B is intact; flags, dates and agencies remain; asked again, the same answer', async () => {
    const res = await erase();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ childId: childA, area: AREA, cases: [caseA] });
    expect(res.body.keyIds).toHaveLength(1);
    const erasedAt = Date.parse(res.body.erasedAt);

    const erased = await waitFor(
      async () => {
        const a = await record(caseA, tokens.supervisor);
        return a.interventions[0]?.notes === ERASED ? a : undefined;
      },
      { what: 'the record to show the texts erased', timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(Date.now() - erasedAt, 'seen within the cache bound (and some slack)').toBeLessThan(CACHE_MS + 4_000);

    for (const token of [tokens.worker, tokens.supervisor, tokens.auditor]) {
      const a = await record(caseA, token);
      expect(a.referrals[0]?.reason).toBe(ERASED);
      expect(a.interventions[0]?.notes).toBe(ERASED);
      expect(a.incidents[0]?.description).toBe(ERASED);
      const evs = await events(caseA, token);
      const texts = JSON.stringify(evs);
      for (const m of Object.values(markers)) expect(texts).not.toContain(m);
      expect(evs.find((e) => e.type === 'intervention.logged.v1')?.data.notes).toBe(ERASED);
      expect(evs.find((e) => e.type === 'incident.recorded.v1')?.data.description).toBe(ERASED);
      expect(evs.find((e) => e.type === 'referral.received.v1')?.data.reason).toBe(ERASED);
    }
    // The erasure is in the case's history: who, why, which key; no text.
    const erasure = await waitFor(async () => (await events(caseA, tokens.auditor)).find((e) => e.type === 'child.erased.v1'), { what: 'child.erased in the history', timeoutMs: 10_000 });
    expect(erasure.data).toMatchObject({ caseId: caseA, childId: childA, erasedBy: 'dpo-erasure', legalBasis: 'right_to_erasure', keyIds: res.body.keyIds });
    // The auditors' history opens texts too: erased there as well.
    const history = await api(urls.projection, 'GET', `/v1/audit/events?caseId=${caseA}&limit=100`, { token: tokens.auditor });
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain(ERASED);
    for (const m of Object.values(markers).filter((m) => m !== markers.childB)) expect(JSON.stringify(history.body)).not.toContain(m);

    // Child B, another child, keeps every word.
    expect((await record(caseB, tokens.supervisor)).interventions[0]?.notes).toContain(markers.childB);

    // The record is what it was, each text replaced by the erased marker: dates, agencies, kinds. A
    // record's languageFlags point into its text, so an erased text has none; the case's flags stay.
    const withoutTextFlags = (r: CaseRecord) => JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'languageFlags' ? undefined : v))) as unknown;
    const expected = JSON.parse(
      JSON.stringify(before.record)
        .replace(JSON.stringify(before.record.referrals[0]?.reason), JSON.stringify(ERASED))
        .replace(JSON.stringify(before.record.interventions[0]?.notes), JSON.stringify(ERASED))
        .replace(JSON.stringify(before.record.interventions[0]?.corrections[0]?.reason), JSON.stringify(ERASED))
        .replace(JSON.stringify(before.record.incidents[0]?.description), JSON.stringify(ERASED)),
    ) as CaseRecord;
    expect(withoutTextFlags(erased)).toEqual(withoutTextFlags(expected));
    // Nothing of the erased child can be written back through a correction, not even a text the record never had.
    for (const field of ['notes', 'childViews']) {
      const again = await post<{ code: string }>(urls.intervention, `/v1/records/${before.record.interventions[0]?.eventId}/amendments`, tokens.worker, { field, text: 'Written after the erasure.', reason: 'A late correction.' });
      expect(again.status, JSON.stringify(again.body)).toBe(409);
      expect(again.body.code).toBe('TEXT_ERASED');
    }
    // A subject access request now finds the texts erased, and the key too.
    const access = await subjectAccess();
    expect(access.status).toBe(200);
    expect(access.body.dataKeys).toEqual([expect.objectContaining({ erasedBy: 'dpo-erasure', erasedAt: expect.any(String) })]);
    for (const m of Object.values(markers)) expect(JSON.stringify(access.body)).not.toContain(m);
    expect(JSON.stringify(access.body)).toContain(ERASED);
    const after = await summary(caseA);
    expect(after.flags).toEqual(before.summary.flags);
    expect({ agencies: after.agencies, openedAt: after.openedAt, riskLevel: after.riskLevel }).toEqual({
      agencies: before.summary.agencies,
      openedAt: before.summary.openedAt,
      riskLevel: before.summary.riskLevel,
    });

    // Asked again: nothing new recorded, the same answer.
    const again = await erase();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await events(caseA, tokens.auditor)).filter((e) => e.type === 'child.erased.v1')).toHaveLength(1);

    // And still no text as written anywhere.
    await expectNoMarkerAnywhere();
  });

  it('given the keys deleted but the erasure not recorded (the service stopped between the two), when asked again, then it records the keys already deleted', async () => {
    const childC = `child-${randomUUID().slice(0, 8)}`;
    const caseC = await refer(childC, 'Reported missing twice this month.');
    // The first attempt's first step alone, as the key store runs it; then the attempt stopped.
    const sql = `UPDATE personal_data.data_keys SET wrapped = NULL, erased_at = now(), erased_by = 'dpo-erasure' WHERE area = '${AREA}' AND child_id = '${childC}' AND erased_at IS NULL RETURNING key_id`;
    const keyId = execFileSync('/usr/bin/psql', ['-qtAc', sql, sys.db.url]).toString('utf8').trim();
    expect(keyId).toMatch(/^[0-9a-f-]{36}$/);
    const res = await erase(tokens.dpo, childC);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ childId: childC, keyIds: [keyId], cases: [caseC] });
    const recorded = await waitFor(async () => (await events(caseC, tokens.auditor)).find((e) => e.type === 'child.erased.v1'), { what: 'child.erased on case C', timeoutMs: 10_000 });
    expect(recorded.data).toMatchObject({ keyIds: [keyId] });
  });

  it("an auditor's replay after the erasure matches the live read model", async () => {
    const started = await api<ReplayView>(urls.projection, 'POST', '/v1/audit/replays', { token: tokens.auditor });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const done = await waitFor(
      async () => {
        const r = await api<ReplayView>(urls.projection, 'GET', `/v1/audit/replays/${started.body.replayId}`, { token: tokens.auditor });
        return r.status === 200 && !['running', 'cancelling'].includes(r.body.status) ? r.body : undefined;
      },
      { what: 'the replay to finish', timeoutMs: 30_000 },
    );
    expect(done.status).toBe('finished');
    expect(done.matches, JSON.stringify(done)).toBe(true);
  });
});
