import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, makeEvent, SOURCES, type CaseEvent } from '@syv/contracts';
import { createPublisher } from '@syv/messaging';
import { testInfra, waitFor } from '@syv/test-harness';
import { collectTopic, type TopicCollector } from './support/collector.js';
import { api, newKey } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// The three command services through HTTP only, against real Kafka and PostgreSQL; the projection
// is not started, so this test plays its part in the closure saga by publishing closure.assessed.

const AREA = 'E09000001';
const OTHER_AREA = 'E09000002';
let sys: E2eSystem;
let worker: string;
let supervisor: string;
let auditor: string;
let otherAreaWorker: string;
let referralUrl: string;
let interventionUrl: string;
let closureUrl: string;
let topic: TopicCollector;

const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();

function referralBody(childId: string, overrides: Record<string, unknown> = {}) {
  return { childId, area: AREA, sourceAgency: 'school', concerns: ['criminal_exploitation'], riskLevel: 'medium', receivedAt: iso(30), ...overrides };
}

async function openCase(childId = `child-${randomUUID().slice(0, 8)}`): Promise<string> {
  const res = await api<{ caseId: string }>(referralUrl, 'POST', '/v1/referrals', { token: worker, body: referralBody(childId) });
  expect(res.status).toBe(201);
  return res.body.caseId;
}

/** Plays the projection: once closure.requested is on the topic, publish its assessment. */
async function publishAssessment(caseId: string, closureRequestId: string, flags: unknown[]): Promise<void> {
  await topic.waitForEvent((e) => e.type === 'closure.requested.v1' && e.data.closureRequestId === closureRequestId, 'closure.requested on the topic');
  const publisher = await createPublisher({ brokers: testInfra().kafkaBrokers, clientId: 'e2e-projection-stand-in' });
  try {
    const cause = randomUUID();
    const event = makeEvent(
      'closure.assessed.v1',
      { closureRequestId, caseId, flags: flags as never, assessedAt: new Date().toISOString() },
      { source: SOURCES.projection, area: AREA, correlationid: cause, causationid: cause, actor: { sub: 'projection', role: 'system' } },
    );
    await publisher.publish(sys.topics.caseEvents, [encodeMessage(event)]);
  } finally {
    await publisher.close();
  }
}

async function closureStatus(id: string): Promise<string> {
  const res = await api<{ status: string }>(closureUrl, 'GET', `/v1/closure-requests/${id}`, { token: supervisor });
  return res.body.status;
}

beforeAll(async () => {
  sys = await startE2eSystem({ only: ['referral', 'intervention', 'case-closure'], basePort: 13000 });
  referralUrl = sys.url('referral');
  interventionUrl = sys.url('intervention');
  closureUrl = sys.url('case-closure');
  worker = await sys.token('social_worker', [AREA], 'sw-1');
  supervisor = await sys.token('supervisor', [AREA], 'sup-1');
  auditor = await sys.token('auditor', [AREA], 'aud-1');
  otherAreaWorker = await sys.token('social_worker', [OTHER_AREA], 'sw-2');
  topic = await collectTopic(sys.topics.caseEvents);
});

afterAll(async () => {
  await topic?.stop();
  await sys?.stop();
});

describe('referrals', () => {
  it("opens a case, and a second referral of the child joins it", async () => {
    const childId = `child-${randomUUID().slice(0, 8)}`;
    const first = await api<{ caseId: string; referralId: string; reReferral: boolean }>(referralUrl, 'POST', '/v1/referrals', { token: worker, body: referralBody(childId) });
    expect(first.status).toBe(201);
    expect(first.body.reReferral).toBe(false);
    const second = await api<{ caseId: string; referralId: string }>(referralUrl, 'POST', '/v1/referrals', { token: worker, body: referralBody(childId, { sourceAgency: 'police' }) });
    expect(second.status).toBe(201);
    expect(second.body.caseId).toBe(first.body.caseId);
    expect(second.body.referralId).not.toBe(first.body.referralId);
  });

  it('two referrals of a new child at once open exactly one case', async () => {
    const childId = `child-${randomUUID().slice(0, 8)}`;
    const answers = await Promise.all([1, 2, 3].map(() => api<{ caseId: string }>(referralUrl, 'POST', '/v1/referrals', { token: worker, body: referralBody(childId) })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.caseId)).size).toBe(1);
  });

  it('refuses bad input with problem+json naming each field, and records nothing', async () => {
    const res = await api<{ code: string; errors: { field: string }[] }>(referralUrl, 'POST', '/v1/referrals', {
      token: worker,
      body: { childId: 'Jane Smith', area: AREA, sourceAgency: 'the neighbour', concerns: [], riskLevel: 'medium', receivedAt: 'yesterday' },
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.childId', 'body.sourceAgency', 'body.concerns', 'body.receivedAt']));
  });

  it('refuses a referral dated in the future', async () => {
    const res = await api<{ errors: { field: string }[] }>(referralUrl, 'POST', '/v1/referrals', { token: worker, body: referralBody('child-future', { receivedAt: iso(-2) }) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]?.field).toBe('body.receivedAt');
  });

  it('refuses malformed JSON, no token, an auditor, and another area', async () => {
    const malformed = await api(referralUrl, 'POST', '/v1/referrals', { token: worker, rawBody: '{"childId":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toContain('application/problem+json');
    expect((await api(referralUrl, 'POST', '/v1/referrals', { body: referralBody('c-1') })).status).toBe(401);
    expect((await api(referralUrl, 'POST', '/v1/referrals', { token: auditor, body: referralBody('c-1') })).status).toBe(403);
    expect((await api(referralUrl, 'POST', '/v1/referrals', { token: otherAreaWorker, body: referralBody('c-1') })).status).toBe(403);
  });

  it('replays the first answer for a repeated Idempotency-Key, and refuses the key for another body', async () => {
    const key = newKey();
    const childId = `child-${randomUUID().slice(0, 8)}`;
    const body = referralBody(childId);
    const first = await api(referralUrl, 'POST', '/v1/referrals', { token: worker, body, headers: { 'idempotency-key': key } });
    // The same JSON with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await api(referralUrl, 'POST', '/v1/referrals', { token: worker, body: reordered, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await api<{ code: string }>(referralUrl, 'POST', '/v1/referrals', { token: worker, body: { ...body, riskLevel: 'high' }, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Nothing new was recorded: the child still has one case and the retried request made no second referral.
    const ofChild = (e: CaseEvent) => e.type === 'referral.received.v1' && e.data.childId === childId;
    await topic.waitForEvent(ofChild, 'the referral on the topic');
    await new Promise((r) => setTimeout(r, 1_500)); // the outbox polls every 500 ms: a second one would be out by now
    expect(topic.events().filter(ofChild)).toHaveLength(1);
  });
});

describe('onward referrals', () => {
  it('are made, cannot start before they were made, start once, not twice', async () => {
    const caseId = await openCase();
    const made = await api<{ onwardReferralId: string; languageFlags: unknown[] }>(referralUrl, 'POST', `/v1/cases/${caseId}/onward-referrals`, {
      token: worker,
      body: { agency: 'camhs', reason: 'Low mood since the assault', referredAt: iso(20) },
    });
    expect(made.status).toBe(201);
    expect(made.body.languageFlags).toEqual([]);
    // Every free text is read for labelling language when it is written, and the answer names the field.
    const labelled = await api<{ languageFlags: { field: string; matched: string }[] }>(referralUrl, 'POST', `/v1/cases/${caseId}/onward-referrals`, {
      token: worker,
      body: { agency: 'housing', reason: 'Family say his offending is a lifestyle choice.', referredAt: iso(20) },
    });
    expect(labelled.status).toBe(201);
    expect(labelled.body.languageFlags.map((f) => `${f.field}: ${f.matched}`)).toEqual(['reason: lifestyle choice']);
    const id = made.body.onwardReferralId;
    const early = await api<{ code: string }>(referralUrl, 'POST', `/v1/onward-referrals/${id}/start`, { token: worker, body: { startedAt: iso(25) } });
    expect(early.status).toBe(400);
    expect(early.body.code).toBe('STARTED_BEFORE_REFERRAL');
    const started = await api<{ waitDays: number }>(referralUrl, 'POST', `/v1/onward-referrals/${id}/start`, { token: worker, body: { startedAt: iso(2) } });
    expect(started.status).toBe(200);
    expect(started.body.waitDays).toBe(18);
    const twice = await api<{ code: string }>(referralUrl, 'POST', `/v1/onward-referrals/${id}/start`, { token: worker, body: { startedAt: iso(1) } });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ALREADY_STARTED');
  });

  it('answer 404 for an unknown case, another area, or an unknown onward referral', async () => {
    const caseId = await openCase();
    const body = { agency: 'housing', reason: 'Family must move after threats', referredAt: iso(3) };
    const answer = async (path: string, token: string, sent: unknown) => {
      const res = await api<{ code: string }>(referralUrl, 'POST', path, { token, body: sent });
      return `${res.status} ${res.body.code}`;
    };
    expect(await answer(`/v1/cases/${randomUUID()}/onward-referrals`, worker, body)).toBe('404 CASE_NOT_FOUND');
    expect(await answer(`/v1/cases/${caseId}/onward-referrals`, otherAreaWorker, body)).toBe('404 CASE_NOT_FOUND');
    expect(await answer(`/v1/onward-referrals/${randomUUID()}/start`, worker, { startedAt: iso(1) })).toBe('404 NOT_FOUND');
  });
});

describe('interventions, incidents and risk assessments', () => {
  it('are recorded on an open case once the case view has it, with language suggestions', async () => {
    const caseId = await openCase();
    const res = await api<{ interventionId: string; languageFlags: { phrase: string; position: number; suggestion: string }[] }>(
      interventionUrl,
      'POST',
      `/v1/cases/${caseId}/interventions`,
      {
        token: worker,
        body: { agency: 'youth_service', kind: 'mentoring', deliveredAt: iso(1), withChild: true, withFamily: false, durationMinutes: 45, notes: 'J keeps putting themselves at risk.' },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.languageFlags).toEqual([
      { field: 'notes', phrase: 'putting themselves at risk', position: 8, matched: 'putting themselves at risk', suggestion: 'is at risk of exploitation / may have been groomed' },
    ]);
    const incident = await api(interventionUrl, 'POST', `/v1/cases/${caseId}/incidents`, { token: worker, body: { kind: 'weapon', severity: 'high', occurredAt: iso(2) } });
    expect(incident.status).toBe(201);
    const risk = await api(interventionUrl, 'POST', `/v1/cases/${caseId}/risk-assessments`, { token: supervisor, body: { riskLevel: 'high', extraFamilialHarm: true, assessedAt: iso(1) } });
    expect(risk.status).toBe(201);
  });

  it('answer 404 for an unknown case or another area, 403 for an auditor, 400 for bad input', async () => {
    const caseId = await openCase();
    const body = { kind: 'threat', severity: 'medium', occurredAt: iso(1) };
    for (const [id, token] of [[randomUUID(), worker], [caseId, otherAreaWorker]] as const) {
      const res = await api<{ code: string }>(interventionUrl, 'POST', `/v1/cases/${id}/incidents`, { token, body });
      expect(`${res.status} ${res.body.code}`).toBe('404 CASE_NOT_FOUND');
    }
    expect((await api(interventionUrl, 'POST', `/v1/cases/${caseId}/incidents`, { token: auditor, body })).status).toBe(403);
    const bad = await api<{ errors: { field: string }[] }>(interventionUrl, 'POST', `/v1/cases/${caseId}/interventions`, {
      token: worker,
      body: { agency: 'youth_service', kind: 'mentoring', deliveredAt: iso(1), withChild: 'yes', withFamily: false, durationMinutes: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['body.withChild', 'body.durationMinutes']));
  });
});

describe('the closure saga', () => {
  const flag = (evidence: string) => ({ rule: 'CLOSURE_PENDING_ONWARD_REFERRAL', severity: 'high', explanation: 'The CAMHS referral made 40 days ago has not started.', evidence: [evidence] });

  it('closes by itself when the assessment has no flags', async () => {
    const caseId = await openCase();
    const req = await api<{ closureRequestId: string; status: string }>(closureUrl, 'POST', `/v1/cases/${caseId}/closure-requests`, {
      token: worker,
      body: { reason: 'support_completed', summary: 'Plan completed; college place started.' },
    });
    expect(req.status).toBe(202);
    expect(req.body.status).toBe('pending_assessment');
    expect(await closureStatus(req.body.closureRequestId)).toBe('pending_assessment');
    await publishAssessment(caseId, req.body.closureRequestId, []);
    await waitFor(async () => (await closureStatus(req.body.closureRequestId)) === 'closed', { what: 'the case to close' });
    // The intervention service learns of the closure from Kafka, then refuses new work.
    const incident = () => api<{ code: string }>(interventionUrl, 'POST', `/v1/cases/${caseId}/incidents`, { token: worker, body: { kind: 'threat', severity: 'low', occurredAt: iso(0) } });
    await waitFor(async () => (await incident()).status === 409, { what: 'the intervention service to refuse work on the closed case' });
    expect((await incident()).body.code).toBe('CASE_CLOSED');
    const again = await api<{ code: string }>(closureUrl, 'POST', `/v1/cases/${caseId}/closure-requests`, { token: worker, body: { reason: 'moved_area', summary: 'Moved.' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CASE_CLOSED');
    const reopened = await api(closureUrl, 'POST', `/v1/cases/${caseId}/reopen`, { token: worker, body: { reason: 'School referred again after missing episodes.' } });
    expect(reopened.status).toBe(200);
    const reopenOpen = await api<{ code: string }>(closureUrl, 'POST', `/v1/cases/${caseId}/reopen`, { token: worker, body: { reason: 'again' } });
    expect(`${reopenOpen.status} ${reopenOpen.body.code}`).toBe('409 CASE_NOT_CLOSED');
  });

  it('holds a flagged closure; exactly one of two racing decisions wins; approval needs a rationale', async () => {
    const caseId = await openCase();
    const req = await api<{ closureRequestId: string }>(closureUrl, 'POST', `/v1/cases/${caseId}/closure-requests`, {
      token: worker,
      body: { reason: 'support_completed', summary: 'Six weeks of mentoring done.' },
    });
    const id = req.body.closureRequestId;
    expect((await api(closureUrl, 'POST', `/v1/closure-requests/${id}/decision`, { token: supervisor, body: { decision: 'approve', rationale: 'Assessment not back yet but fine.' } })).status).toBe(409);
    await publishAssessment(caseId, id, [flag(id)]);
    await waitFor(async () => (await closureStatus(id)) === 'held_for_review', { what: 'the closure to be held' });
    const held = await api<{ flags: { rule: string }[] }>(closureUrl, 'GET', `/v1/closure-requests/${id}`, { token: worker });
    expect(held.body.flags.map((f) => f.rule)).toEqual(['CLOSURE_PENDING_ONWARD_REFERRAL']);

    expect((await api(closureUrl, 'POST', `/v1/closure-requests/${id}/decision`, { token: worker, body: { decision: 'approve', rationale: 'I think it is fine to close now.' } })).status).toBe(403);
    const short = await api<{ code: string }>(closureUrl, 'POST', `/v1/closure-requests/${id}/decision`, { token: supervisor, body: { decision: 'approve', rationale: 'ok' } });
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('RATIONALE_REQUIRED');
    const foreign = await api<{ code: string }>(closureUrl, 'GET', `/v1/closure-requests/${id}`, { token: otherAreaWorker });
    expect(`${foreign.status} ${foreign.body.code}`).toBe('404 NOT_FOUND');
    const unknownCase = await api<{ code: string }>(closureUrl, 'POST', `/v1/cases/${randomUUID()}/closure-requests`, { token: worker, body: { reason: 'moved_area', summary: 'Moved.' } });
    expect(`${unknownCase.status} ${unknownCase.body.code}`).toBe('404 CASE_NOT_FOUND');

    const [a, b] = await Promise.all([
      api(closureUrl, 'POST', `/v1/closure-requests/${id}/decision`, { token: supervisor, body: { decision: 'approve', rationale: 'CAMHS appointment booked for next week; mentor stays on.' } }),
      api(closureUrl, 'POST', `/v1/closure-requests/${id}/decision`, { token: supervisor, body: { decision: 'reject', rationale: 'Keep open until CAMHS has actually started.' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const final = await closureStatus(id);
    expect(final).toBe(a.status === 200 ? 'closed' : 'rejected');
  });

  it('two closure requests racing on one case: exactly one is accepted', async () => {
    const caseId = await openCase();
    const body = { reason: 'no_further_action', summary: 'No further action after assessment.' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => api(closureUrl, 'POST', `/v1/cases/${caseId}/closure-requests`, { token: worker, body })));
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409, 409, 409]);
  });
});

describe('the case-events topic', () => {
  it('holds every event once, per case in order, in valid CloudEvents envelopes with metadata', async () => {
    const childId = `child-${randomUUID().slice(0, 8)}`;
    const opened = await api<{ caseId: string }>(referralUrl, 'POST', '/v1/referrals', { token: worker, body: referralBody(childId), headers: { 'x-correlation-id': randomUUID() } });
    const caseId = opened.body.caseId;
    await api(interventionUrl, 'POST', `/v1/cases/${caseId}/interventions`, {
      token: worker,
      body: { agency: 'school', kind: 'education_support', deliveredAt: iso(1), withChild: true, withFamily: true, durationMinutes: 30, notes: '' },
    });
    const req = await api<{ closureRequestId: string }>(closureUrl, 'POST', `/v1/cases/${caseId}/closure-requests`, { token: worker, body: { reason: 'moved_area', summary: 'Family moved.' } });
    await publishAssessment(caseId, req.body.closureRequestId, []);
    await waitFor(async () => (await closureStatus(req.body.closureRequestId)) === 'closed', { what: 'closure' });

    await topic.waitForEvent((e) => e.type === 'case.closed.v1' && e.subject === caseId, 'case.closed on the topic');
    for (const m of topic.messages) expect(m.key).toBe(JSON.parse(m.value?.toString() ?? '{}').subject);
    const events = topic.events();
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const ofCase = events.filter((e) => e.subject === caseId);
    // One case's events come from three services' outboxes: each service's own are in order on the
    // case's partition; the saga's steps follow each other because each waits for the one before.
    expect(ofCase.map((e) => e.type).sort()).toEqual(
      ['case.opened.v1', 'referral.received.v1', 'intervention.logged.v1', 'closure.requested.v1', 'closure.assessed.v1', 'case.closed.v1'].sort(),
    );
    const at = (type: string) => ofCase.findIndex((e) => e.type === type);
    expect(at('case.opened.v1')).toBeLessThan(at('referral.received.v1'));
    expect(at('closure.requested.v1')).toBeLessThan(at('closure.assessed.v1'));
    expect(at('closure.assessed.v1')).toBeLessThan(at('case.closed.v1'));
    for (const e of ofCase) {
      expect(e.area).toBe(AREA);
      expect(e.correlationid).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.causationid).toMatch(/^[0-9a-f-]{36}$/);
    }
    const openedEvent = ofCase[at('case.opened.v1')];
    expect(openedEvent?.actor).toEqual({ sub: 'sw-1', role: 'social_worker' });
    expect(openedEvent?.correlationid).toBe(ofCase[at('referral.received.v1')]?.correlationid);
    const assessed = ofCase[at('closure.assessed.v1')];
    const closed = ofCase[at('case.closed.v1')];
    expect(closed?.causationid).toBe(assessed?.id);
    expect(closed?.correlationid).toBe(assessed?.correlationid);
    expect(closed?.actor).toEqual({ sub: 'case-closure', role: 'system' });
  });
});
