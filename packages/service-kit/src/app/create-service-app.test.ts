import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemCatalog } from '../problems/catalog.js';
import { bearer, buildTestApp, captureLogs, testToken, type LogCapture } from './test-support.js';
import { testRoutes } from './test-routes.js';
import type { ServiceApp } from './types.js';

const caseId = '6f1c2a8e-2b7d-4c1e-9a51-0c7f3f0a9b11';

describe('createServiceApp', () => {
  let app: ServiceApp;
  let logs: LogCapture;

  beforeAll(async () => {
    logs = captureLogs();
    app = await buildTestApp({
      routes: testRoutes,
      logs,
      openapi: { description: 'Tests of the kit', tags: [{ name: 'interventions' }] },
    });
  });
  afterAll(() => app.close());

  it('echoes a plain incoming x-request-id and replaces one that could forge log lines', async () => {
    const kept = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'gw-abc.123' } });
    expect(kept.headers['x-request-id']).toBe('gw-abc.123');

    const forged = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'x"\n{"level":60' } });
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const fresh = await app.inject({ method: 'GET', url: '/health/live' });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the request id on 401s too (the id hook runs before auth)', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/whoami', headers: { 'x-request-id': 'req-401' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-request-id']).toBe('req-401');
    expect(res.json().requestId).toBe('req-401');
  });

  it('never logs free text from a request body, while the request id is logged', async () => {
    const note = 'Spoke with Jayden about the older boys who keep calling him';
    const summary = 'Family reports he has been going missing overnight';
    const res = await app.inject({
      method: 'POST',
      url: `/v1/cases/${caseId}/interventions`,
      headers: { ...bearer(await testToken()), 'x-request-id': 'req-redaction-1' },
      payload: { agency: 'youth_service', concerns: ['extra_familial_harm'], riskLevel: 'medium', notes: note, summary, childName: 'Jayden Smith' },
    });
    expect(res.statusCode).toBe(201);

    const text = logs.text();
    expect(text).toContain('req-redaction-1');
    expect(text).toContain(caseId);
    expect(text).not.toContain('Spoke with');
    expect(text).not.toContain('older boys');
    expect(text).not.toContain('going missing');
    expect(text).not.toContain('Jayden');
    expect(text).not.toContain('Bearer ');

    const line = logs.lines().find((l) => l.msg === 'intervention received');
    expect(line).toMatchObject({ requestId: 'req-redaction-1', body: { notes: '[redacted]', summary: '[redacted]', riskLevel: 'medium' } });
    const topLevel = logs.lines().find((l) => l.msg === 'intervention body at top level');
    expect(topLevel).toMatchObject({ notes: '[redacted]', childName: '[redacted]', agency: 'youth_service' });
  });

  it('serves an OpenAPI 3.1 document titled after the service, with bearer security and the error codes of the catalog', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'test-service', version: '0.0.0-test' });
    expect(doc.info.description).toMatch(/^Tests of the kit\n\n## Error codes\n/);
    for (const [code, { status }] of Object.entries(problemCatalog)) expect(doc.info.description).toContain(`| \`${code}\` | ${status} |`);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);

    const post = doc.paths['/v1/cases/{caseId}/interventions'].post;
    expect(post.requestBody.content['application/json'].schema.properties.riskLevel.enum).toEqual(['low', 'medium', 'high']);
    expect(post.responses['201']).toBeDefined();
    expect(post.responses['4XX'].content['application/problem+json'].schema.properties.code.enum).toEqual(Object.keys(problemCatalog));
    expect(doc.paths['/health/ready'].get.security).toEqual([]);
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/docs'))).toBe(false);
  });

  it('serves Swagger UI at /docs without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
