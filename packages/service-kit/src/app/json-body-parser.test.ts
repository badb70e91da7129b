import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, testToken } from './test-support.js';
import { testRoutes } from './test-routes.js';
import type { ServiceApp } from './types.js';

// What the fuzzer (bench/fuzz) found accepted or answered outside problem+json, kept fixed here.
const url = '/v1/cases/6f1c2a8e-2b7d-4c1e-9a51-0c7f3f0a9b11/interventions';
const valid = { agency: 'police', concerns: ['criminal_exploitation'], riskLevel: 'low', notes: 'NOTES' };

describe('JSON bodies and framework errors', () => {
  let app: ServiceApp;
  let auth: Record<string, string>;
  beforeAll(async () => {
    app = await buildTestApp({ routes: testRoutes });
    auth = bearer(await testToken());
  });
  afterAll(() => app.close());

  const post = (payload: Buffer | string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload, headers: { ...auth, 'content-type': 'application/json', ...headers } });
  const withNotes = (raw: string) => JSON.stringify(valid).replace('"NOTES"', raw);

  it('accepts a valid UTF-8 body, with or without charset=utf-8', async () => {
    expect((await post(JSON.stringify({ ...valid, notes: 'café' }))).statusCode).toBe(201);
    expect((await post(JSON.stringify(valid), { 'content-type': 'application/json; charset=UTF-8' })).statusCode).toBe(201);
  });

  it('refuses invalid UTF-8 rather than recording U+FFFD', async () => {
    const [before, after] = withNotes('"caf@@"').split('@@') as [string, string];
    const res = await post(Buffer.concat([Buffer.from(before), Buffer.from([0xe9]), Buffer.from(after)]));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('MALFORMED_REQUEST');
  });

  it('refuses NUL and unpaired surrogates, which PostgreSQL cannot store', async () => {
    for (const raw of ['"a\\u0000b"', '"\\ud800"', '"x\\udc00"']) expect((await post(withNotes(raw))).json().code).toBe('MALFORMED_REQUEST');
    expect((await post(withNotes('"\\ud83d\\ude00"'))).statusCode).toBe(201);
  });

  it('refuses a charset other than UTF-8 and any content coding', async () => {
    expect((await post(JSON.stringify(valid), { 'content-type': 'application/json; charset=iso-8859-1' })).statusCode).toBe(415);
    expect((await post(JSON.stringify(valid), { 'content-encoding': 'gzip' })).statusCode).toBe(415);
    expect((await post(JSON.stringify(valid), { 'content-encoding': 'identity' })).statusCode).toBe(201);
  });

  it('still refuses prototype poisoning', async () => {
    expect((await post(`{"__proto__":{"x":1},${JSON.stringify(valid).slice(1)}`)).statusCode).toBe(400);
  });

  it('answers a bad percent-encoding and an over-long path parameter with problem+json', async () => {
    for (const [path, status, code] of [['/v1/cases/%', 400, 'MALFORMED_REQUEST'], [`/v1/cases/${'x'.repeat(300)}`, 414, 'URI_TOO_LONG']] as const) {
      const res = await app.inject({ method: 'GET', url: path, headers: auth });
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe(code);
    }
  });
});
