import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, bearer, captureLogs, testToken, type LogCapture } from '../app/test-support.js';
import { testRoutes } from '../app/test-routes.js';
import type { ServiceApp } from '../app/types.js';

const caseId = '6f1c2a8e-2b7d-4c1e-9a51-0c7f3f0a9b11';
const validBody = { agency: 'camhs', concerns: ['criminal_exploitation'], riskLevel: 'high', notes: 'Met at school.' };

describe('every error is application/problem+json', () => {
  let app: ServiceApp;
  let logs: LogCapture;
  let auth: Record<string, string>;

  beforeAll(async () => {
    logs = captureLogs();
    app = await buildTestApp({ routes: testRoutes, logs });
    auth = bearer(await testToken());
  });
  afterAll(() => app.close());

  it('names each invalid body field, array items by index', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: auth,
      payload: { ...validBody, concerns: ['criminal_exploitation', 'bogus'], riskLevel: 'extreme' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      type: 'urn:syv:problem:validation-failed',
      title: expect.any(String),
      status: 400,
      code: 'VALIDATION_FAILED',
      instance: `/v1/cases/${caseId}/interventions`,
      requestId: res.headers['x-request-id'],
    });
    const fields = (body.errors as Array<{ field: string; message: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.concerns[1]', 'body.riskLevel']));
    expect(body.detail).toContain('body.concerns[1]');
    for (const e of body.errors) expect(e.message).toEqual(expect.any(String));
  });

  it('names a missing required field and a bad path parameter', async () => {
    const missing = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: auth,
      payload: { agency: 'camhs', concerns: [], notes: 'x' },
    });
    expect(missing.json().errors).toEqual([{ field: 'body.riskLevel', message: expect.any(String) }]);
    expect(missing.json().detail).toMatch(/^The field body\.riskLevel is invalid/);

    const badParam = await app.inject({ method: 'POST', url: '/v1/cases/not-a-uuid/interventions', headers: auth, payload: validBody });
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().errors[0].field).toBe('params.caseId');

    const badQuery = await app.inject({ method: 'GET', url: '/v1/query?limit=1000', headers: auth });
    expect(badQuery.json().errors[0].field).toBe('query.limit');
  });

  it('answers 400 with a clear detail for a body that is not JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"notes": "unterminated',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'MALFORMED_REQUEST', detail: expect.stringMatching(/not valid JSON/) });
  });

  it('answers 400 for an empty JSON body and when the body is missing altogether', async () => {
    const empty = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.json()).toMatchObject({ status: 400, code: 'MALFORMED_REQUEST' });

    const none = await app.inject({ method: 'POST', url: `/v1/cases/${caseId}/interventions`, headers: auth });
    expect(none.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'body' }] });
  });

  it('answers 415 for a body that is not JSON by content type', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', type: 'urn:syv:problem:unsupported-media-type' });
    expect(res.json().detail).toContain("'text/plain'");
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: auth,
      payload: { ...validBody, notes: 'x'.repeat(70 * 1024) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: expect.stringContaining('65536 bytes') });
  });

  it('answers 404 problem for an unknown route, with or without a token', async () => {
    for (const headers of [{}, auth]) {
      const res = await app.inject({ method: 'GET', url: '/v1/nowhere?x=1', headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', detail: 'There is no route GET /v1/nowhere.', instance: '/v1/nowhere?x=1' });
    }
  });

  it('renders a domain problem with its catalog status and title, and extension members', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/closed', headers: auth });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      type: 'urn:syv:problem:case-closed',
      title: 'The case is closed',
      code: 'CASE_CLOSED',
      detail: 'Case c-1 is closed',
      closedAt: '2025-01-01T00:00:00.000Z',
    });
  });

  it('answers a client error of a plugin as BAD_REQUEST (400) whatever status the plugin chose: a code has one status', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/range', headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'BAD_REQUEST', status: 400, detail: 'Range Not Satisfiable' });
  });

  it('answers 500 without internals for an unexpected error, and logs it with its stack', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/boom', headers: auth });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toMatchObject({ code: 'INTERNAL', type: 'urn:syv:problem:internal', requestId: res.headers['x-request-id'] });
    expect(res.body).not.toMatch(/db-7|password|stack|at /);

    const logged = logs.lines().find((l) => l.requestId === body.requestId && l.level === 50);
    expect(logged?.err).toMatchObject({ message: expect.stringContaining('db-7.internal'), stack: expect.stringContaining('test-routes.ts') });
  });

  it.each([
    ['while PostgreSQL restarts', '/v1/db-restarting'],
    ["on a pooled client whose connection broke (pg's uncoded 'not queryable')", '/v1/db-connection-lost'],
  ])('answers 503 with Retry-After, not 500, %s', async (_when, url) => {
    const res = await app.inject({ method: 'GET', url, headers: auth });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({ code: 'NOT_READY' });
  });

  it('answers 500 when a handler breaks its own response schema', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/bad-response', headers: auth });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('INTERNAL');
    const logged = logs.lines().find((l) => l.requestId === res.json().requestId && l.level === 50);
    expect(logged?.responseIssues).toEqual([{ path: 'count', code: 'invalid_type' }]);
  });
});
