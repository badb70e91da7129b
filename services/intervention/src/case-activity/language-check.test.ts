import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLabellingLanguage } from '@syv/contracts';
import { baseConfigSchema, createServiceApp, loadConfig, mintDevToken, type Role, type ServiceApp } from '@syv/service-kit';
import { languageFlagsOf } from '@syv/command-service';
import { languageCheckRoute } from './routes.js';

// POST /v1/language-checks on the service kit alone: it reads a text and records nothing, so it
// needs neither PostgreSQL nor Kafka.

const SECRET = 'intervention-unit-test-secret-0123456789';
const NOTES = 'Mum worries he is putting himself at risk by associating with older boys.';

let app: ServiceApp;

beforeAll(async () => {
  app = await createServiceApp({
    name: 'intervention',
    version: '0.0.0-test',
    config: loadConfig(baseConfigSchema, { JWT_SECRET: SECRET, LOG_LEVEL: 'silent' }),
    readiness: [],
    routes: (a) => languageCheckRoute(a, (_area, fields) => languageFlagsOf(fields)),
  });
});
afterAll(() => app.close());

const check = async (payload: unknown, role: Role | null = 'social_worker') => {
  const headers: Record<string, string> = {};
  if (role) headers.authorization = `Bearer ${await mintDevToken({ sub: `${role}-1`, role, areas: ['E09000001'], ttl: '1h', secret: SECRET })}`;
  return app.inject({ method: 'POST', url: '/v1/language-checks', headers, payload: payload as Record<string, unknown> });
};

describe('POST /v1/language-checks', () => {
  it('answers the labelling phrases of the text with their positions and suggestions, as the intervention route finds them', async () => {
    const res = await check({ text: NOTES });
    expect(res.statusCode).toBe(200);
    const { languageFlags } = res.json<{ languageFlags: { phrase: string; position: number; suggestion: string }[] }>();
    expect(languageFlags).toEqual(findLabellingLanguage(NOTES).map((f) => ({ field: 'text', ...f })));
    expect(languageFlags.map((f) => f.phrase)).toEqual(['putting himself at risk', 'associating with']);
    expect(languageFlags[0]).toMatchObject({ position: NOTES.indexOf('putting'), suggestion: 'is at risk of exploitation / may have been groomed' });
  });

  it('answers no flags for child-centred wording and for an empty text', async () => {
    expect((await check({ text: 'T is being criminally exploited by adults who control where he goes.' })).json()).toEqual({ languageFlags: [] });
    expect((await check({ text: '' })).json()).toEqual({ languageFlags: [] });
  });

  it('lets social workers and supervisors check, not auditors or anyone without a token', async () => {
    expect((await check({ text: NOTES }, 'supervisor')).statusCode).toBe(200);
    expect((await check({ text: NOTES }, 'auditor')).statusCode).toBe(403);
    expect((await check({ text: NOTES }, null)).statusCode).toBe(401);
  });

  it('takes at most as much text as an intervention’s notes, and nothing but the text', async () => {
    expect((await check({ text: 'a'.repeat(10_000) })).statusCode).toBe(200);
    const tooLong = await check({ text: 'a'.repeat(10_001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('body.text');
    expect((await check({ text: NOTES, caseId: 'x' })).statusCode).toBe(400);
    expect((await check({})).statusCode).toBe(400);
  });

  it('is documented in the OpenAPI document with a summary and description', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    const op = doc.paths['/v1/language-checks'].post;
    expect(op.summary).toBe('Check notes for labelling language');
    expect(op.description).toMatch(/Records nothing/);
    expect(op.responses['200']).toBeDefined();
  });
});
