import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearer, buildTestApp, testToken } from '../app/test-support.js';

describe('/metrics', () => {
  it('exposes the request duration histogram by route pattern, plus default metrics', async () => {
    const app = await buildTestApp({
      routes: (a) => {
        a.get('/v1/cases/:caseId', { schema: { params: z.object({ caseId: z.string() }) } }, async (r) => ({ id: r.params.caseId }));
      },
    });
    const auth = bearer(await testToken());
    await app.inject({ method: 'GET', url: '/v1/cases/case-123', headers: auth });
    await app.inject({ method: 'GET', url: '/v1/cases/case-456', headers: auth });
    await app.inject({ method: 'GET', url: '/v1/nope' });

    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('http_request_duration_seconds_count{service="test-service",method="GET",route="/v1/cases/:caseId",status_code="200"} 2');
    expect(text).toContain('http_request_duration_seconds_count{service="test-service",method="GET",route="unmatched",status_code="404"} 1');
    expect(text).not.toContain('case-123');
    expect(text).toContain('process_cpu_user_seconds_total');
    await app.close();
  });

  it('keeps a registry per app, so several apps live in one process and services add their own metrics', async () => {
    const a = await buildTestApp({ name: 'svc-a' });
    const b = await buildTestApp({ name: 'svc-b' });
    const { Counter } = await import('prom-client');
    new Counter({ name: 'outbox_published_total', help: 'events relayed', registers: [a.metrics.registry] });
    expect((await a.inject({ method: 'GET', url: '/metrics' })).body).toContain('outbox_published_total');
    expect((await b.inject({ method: 'GET', url: '/metrics' })).body).not.toContain('outbox_published_total');
    await Promise.all([a.close(), b.close()]);
  });
});
