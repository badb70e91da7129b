import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, testToken } from '../app/test-support.js';
import { testRoutes } from '../app/test-routes.js';
import type { ServiceApp } from '../app/types.js';
import { mintDevToken } from './dev-token.js';

const caseId = '6f1c2a8e-2b7d-4c1e-9a51-0c7f3f0a9b11';
const body = { agency: 'camhs', concerns: [], riskLevel: 'low', notes: 'n' };

describe('bearer authentication on every non-public route', () => {
  let app: ServiceApp;
  beforeAll(async () => {
    app = await buildTestApp({ routes: testRoutes });
  });
  afterAll(() => app.close());

  const unauthenticated = async (headers: Record<string, string>) => {
    const res = await app.inject({ method: 'GET', url: '/v1/whoami', headers });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED', type: 'urn:syv:problem:unauthenticated' });
    return res;
  };

  it('decorates request.user from a valid token', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(await testToken({ sub: 'sw-7', areas: ['E09000001', 'E09000002'] })) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: 'sw-7', role: 'social_worker', areas: ['E09000001', 'E09000002'] });
  });

  it('answers 401 for a missing token, with a Bearer challenge', async () => {
    const res = await unauthenticated({});
    expect(res.headers['www-authenticate']).toBe('Bearer realm="test-service"');
    expect(res.json().detail).toMatch(/No bearer token/);
  });

  it('answers 401 for another scheme', async () => {
    const res = await unauthenticated({ authorization: 'Basic dXNlcjpwYXNz' });
    expect(res.json().detail).toMatch(/Bearer <token>/);
  });

  it('answers 401 for an expired token, saying so', async () => {
    const res = await unauthenticated(bearer(await testToken({ ttl: -120 })));
    expect(res.json().detail).toMatch(/expired at \d{4}-\d\d-\d\dT/);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('answers 401 for a token signed with another secret', async () => {
    const forged = await mintDevToken({ sub: 'x', role: 'supervisor', areas: ['E09000001'], secret: 'some-other-secret-of-decent-length' });
    const res = await unauthenticated(bearer(forged));
    expect(res.json().detail).toMatch(/signature is not valid/);
  });

  it('answers 401 for a token that is not a JWT, or whose claims are wrong', async () => {
    expect((await unauthenticated(bearer('not.a.jwt'))).json().detail).toMatch(/not a well-formed/);
    // The payload is tampered with after signing, so the signature no longer matches.
    const [h, , s] = (await testToken()).split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'admin', areas: [], exp: 9e9 })).toString('base64url')}.${s}`;
    expect((await unauthenticated(bearer(tampered))).json().detail).toMatch(/signature/);
    const badRole = await testToken({ role: 'admin' as never });
    expect((await unauthenticated(bearer(badRole))).json().detail).toMatch(/role must be one of social_worker, supervisor, auditor/);
  });

  it('answers 403 problem when the role may not do this', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: bearer(await testToken({ role: 'auditor' })),
      payload: body,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('social_worker or supervisor') });
  });

  it('answers 404, not 403, for a case in another area', async () => {
    const headers = bearer(await testToken({ areas: ['E09000001'] }));
    const own = await app.inject({ method: 'GET', url: '/v1/cases/c-1', headers });
    expect(own.statusCode).toBe(200);
    const other = await app.inject({ method: 'GET', url: '/v1/cases/other-c-2', headers });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'CASE_NOT_FOUND', detail: 'Case other-c-2 was not found' });
  });

  it('serves health, metrics and docs without a token', async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics', '/docs/json', '/docs/']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
    }
  });

  it('authenticates before parsing or validating the body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('route-level public flag', () => {
  it('lets a route opt out of authentication, and refuses to read request.user there', async () => {
    const app = await buildTestApp({
      routes: (a) => {
        a.get('/v1/public-thing', { config: { public: true } }, async () => ({ ok: true }));
        a.get('/v1/public-but-reads-user', { config: { public: true } }, async (request) => request.user);
      },
    });
    expect((await app.inject({ method: 'GET', url: '/v1/public-thing' })).statusCode).toBe(200);
    const misuse = await app.inject({ method: 'GET', url: '/v1/public-but-reads-user' });
    expect(misuse.statusCode).toBe(500);
    expect(misuse.json().detail).toMatch(/request.user was read on a route that does not authenticate/);
    await app.close();
  });
});
