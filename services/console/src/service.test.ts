import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencySchema, INTERVENTION_MINUTES_MAX, INTERVENTION_MINUTES_MIN, INTERVENTION_NOTES_MAX, interventionKindSchema, VIEWS_MAX } from '@syv/contracts';
import { buildConsole } from './service.js';

// The console's own HTTP surface, without Kafka or PostgreSQL: its pages, the development-token
// switch, and forwarding to an upstream that stands in for a service (a plain Fastify app that
// echoes what it was sent).

let upstream: FastifyInstance;
let upstreamUrl: string;

beforeAll(async () => {
  upstream = Fastify();
  upstream.all('/v1/*', async (request) => ({ method: request.method, url: request.url, authorization: request.headers.authorization ?? null, host: request.headers.host, body: request.body ?? null }));
  upstreamUrl = await upstream.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => upstream.close());

const env = (extra: Record<string, string> = {}) => ({ LOG_LEVEL: 'silent', JWT_SECRET: 'unit-test-secret-0123456789', PROJECTION_URL: upstreamUrl, ...extra });

describe('console service', () => {
  it('serves the page publicly, with a Content-Security-Policy that allows only its own scripts', async () => {
    const { app } = await buildConsole(env());
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('<script type="module" src="/js/app.js">');
    expect((await app.inject({ url: '/js/h.js' })).statusCode).toBe(200);
    await app.close();
  });

  it('serves the values its forms offer from the contracts, publicly', async () => {
    const { app } = await buildConsole(env());
    const res = await app.inject({ url: '/vocabulary.json' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ agencies: string[]; interventionKinds: string[]; intervention: unknown }>();
    expect(body.agencies).toEqual([...agencySchema.options]);
    expect(body.interventionKinds).toEqual([...interventionKindSchema.options]);
    expect(body.intervention).toEqual({ notesMax: INTERVENTION_NOTES_MAX, viewsMax: VIEWS_MAX, minutesMin: INTERVENTION_MINUTES_MIN, minutesMax: INTERVENTION_MINUTES_MAX });
    await app.close();
  });

  it('has no /dev-token unless CONSOLE_DEV_TOKENS=1', async () => {
    const off = await buildConsole(env());
    expect((await off.app.inject({ url: '/dev-token?role=supervisor&areas=E09000001' })).statusCode).toBe(404);
    await off.app.close();

    const on = await buildConsole(env({ CONSOLE_DEV_TOKENS: '1' }));
    const res = await on.app.inject({ url: '/dev-token?role=auditor&areas=E09000001,E09000002' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; role: string; areas: string[] }>();
    expect(body.role).toBe('auditor');
    expect(body.areas).toEqual(['E09000001', 'E09000002']);
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1] ?? '', 'base64url').toString()) as { role: string; areas: string[] };
    expect(claims).toMatchObject({ role: 'auditor', areas: ['E09000001', 'E09000002'] });
    const worker = await on.app.inject({ url: '/dev-token?role=social_worker&areas=E09000001' });
    expect(worker.statusCode).toBe(200);
    expect(worker.json()).toMatchObject({ role: 'social_worker', sub: 'dev-social_worker' });
    expect((await on.app.inject({ url: '/dev-token?role=admin&areas=E09000001' })).statusCode).toBe(400);
    await on.app.close();
  });

  it('forwards /api/<service>/v1/* with the caller’s token, query and JSON body, and nothing else', async () => {
    const { app } = await buildConsole(env());
    const get = await app.inject({ url: '/api/projection/v1/cases?status=open', headers: { authorization: 'Bearer abc' } });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toMatchObject({ method: 'GET', url: '/v1/cases?status=open', authorization: 'Bearer abc', host: new URL(upstreamUrl).host });

    const post = await app.inject({ method: 'POST', url: '/api/projection/v1/alerts/x/acknowledge', headers: { authorization: 'Bearer abc', 'content-type': 'application/json' }, payload: { a: 1 } });
    expect(post.json()).toMatchObject({ method: 'POST', body: { a: 1 } });

    expect((await app.inject({ url: '/api/nowhere/v1/x' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/projection/docs/json' })).statusCode).toBe(404);
    await app.close();
  });
});
