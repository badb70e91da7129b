import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltProjection } from '../service.js';
import { projectionHarness, type ProjectionHarness } from '../testing/harness.js';

// Values the audit routes' query schemas admitted that PostgreSQL then refused, answering 500
// (found by the fuzzer, bench/fuzz): each must be bad input (400) or a page like any other.

const AREA = 'E09000033';
let h: ProjectionHarness;
let p: BuiltProjection;
let auditor: string;

beforeAll(async () => {
  h = await projectionHarness('proj_query_bounds');
  p = await h.start();
  auditor = await h.token('auditor', [AREA], 'aud-bounds');
});
afterAll(async () => {
  await h?.close();
});

const get = async (url: string) => {
  const res = await p.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${auditor}` } });
  return { status: res.statusCode, body: res.json<{ code?: string; items?: unknown[] }>() };
};

describe('the access log by user', () => {
  it('a user id with a NUL is 400 (PostgreSQL text cannot hold one); any other is a page', async () => {
    for (const user of ['%00', 'a%00b']) {
      const res = await get(`/v1/audit/access-log?user=${user}`);
      expect(res.status, user).toBe(400);
      expect(res.body.code).toBeTypeOf('string');
    }
    expect(await get('/v1/audit/access-log?user=sw-1%20%C3%A9')).toMatchObject({ status: 200, body: { items: [] } });
  });
});

describe('audit paging past the int64 range', () => {
  it('access log: `after` up to 9223372036854775807 is a page (empty); beyond it, 400', async () => {
    expect(await get('/v1/audit/access-log?after=9223372036854775807')).toMatchObject({ status: 200, body: { items: [] } });
    for (const after of ['9223372036854775808', '9999999999999999999']) {
      const res = await get(`/v1/audit/access-log?after=${after}`);
      expect(res.status, after).toBe(400);
      expect(res.body.code).toBeTypeOf('string');
    }
    expect((await get('/v1/audit/access-log?after=abc')).status).toBe(400);
  });

  it('events: a cursor whose offset is past 9223372036854775807 is 400; at it, a page (empty)', async () => {
    expect(await get('/v1/audit/events?after=0:9223372036854775807')).toMatchObject({ status: 200, body: { items: [] } });
    for (const after of ['0:9223372036854775808', '999999:9999999999999999999']) expect((await get(`/v1/audit/events?after=${after}`)).status, after).toBe(400);
    expect((await get('/v1/audit/events?after=1:')).status).toBe(400);
  });
});
