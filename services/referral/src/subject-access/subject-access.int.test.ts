import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCommandService, type BuiltCommandService } from '@syv/command-service';
import { mintDevToken } from '@syv/service-kit';
import { createTestDatabase, createTestTopics, testInfra, type TestDatabase } from '@syv/test-harness';
import { referralService } from '../service.js';

// The referral service's part of a subject access request, against real PostgreSQL and Kafka, with
// a stand-in for the projection that answers what each test sets: the document joins the child's
// data keys to the projection's cases, the officer's token is what the projection is asked with, and
// every way the projection can fail is answered in this service's words (nothing is exported).

const AREA = 'E09000081';
const SECRET = 'subject-access-test-secret';
const child = `child-${randomUUID().slice(0, 8)}`;

let db: TestDatabase;
let built: BuiltCommandService;
let dpo: string;
let projection: Server;
/** What the stand-in answers next, and what it was asked. */
let answer: { status: number; body: string } = { status: 200, body: '{"cases":[]}' };
const asked: { url: string; authorization: string | undefined }[] = [];

async function request(token = dpo) {
  const res = await built.app.inject({ method: 'GET', url: `/v1/children/${child}/record?area=${AREA}`, headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

beforeAll(async () => {
  projection = createServer((req, res) => {
    asked.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((resolve) => projection.listen(0, '127.0.0.1', resolve));
  db = await createTestDatabase('subject_access');
  const topics = await createTestTopics('subject-access');
  built = await buildCommandService(referralService, {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    CASE_EVENTS_TOPIC: topics.caseEvents,
    JWT_SECRET: SECRET,
    RETENTION_INTERVAL_MS: '0',
    PROJECTION_URL: `http://127.0.0.1:${(projection.address() as AddressInfo).port}`,
    LOG_LEVEL: 'warn',
  });
  await built.app.ready();
  dpo = await mintDevToken({ sub: 'dpo-sar', role: 'data_protection_officer', areas: [AREA], ttl: '1h', secret: SECRET });
  const worker = await mintDevToken({ sub: 'sw-sar', role: 'social_worker', areas: [AREA], ttl: '1h', secret: SECRET });
  const referred = await built.app.inject({
    method: 'POST',
    url: '/v1/referrals',
    headers: { authorization: `Bearer ${worker}` },
    payload: { childId: child, area: AREA, sourceAgency: 'school', concerns: ['weapon_carrying'], riskLevel: 'medium', receivedAt: new Date().toISOString(), reason: 'Found carrying a knife at school.' },
  });
  expect(referred.statusCode, referred.body).toBe(201);
});

afterAll(async () => {
  await built?.app.close();
  for (const hook of built?.shutdownHooks ?? []) await hook.run();
  await db?.drop();
  await new Promise((resolve) => projection?.close(resolve));
});

describe('a subject access request at the referral service', () => {
  it("given the projection's cases, then the document joins them to the child's data key, asked with the officer's own token", async () => {
    const caseId = randomUUID();
    answer = { status: 200, body: JSON.stringify({ childId: child, area: AREA, cases: [{ caseId, status: 'open', events: [] }] }) };
    const res = await request();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ childId: child, area: AREA, generatedBy: 'dpo-sar', cases: [{ caseId, status: 'open', events: [] }] });
    expect(res.body.dataKeys).toEqual([expect.objectContaining({ erasedAt: null, erasedBy: null })]);
    expect(asked.at(-1)).toEqual({ url: `/v1/children/${child}/held?area=${AREA}`, authorization: `Bearer ${dpo}` });
  });

  it("given the projection's refusals and failures, then each is answered here in this service's words, and nothing is exported", async () => {
    const cases: [number, string, number, string][] = [
      [404, '{}', 404, 'CHILD_NOT_FOUND'],
      [401, '{}', 401, 'UNAUTHENTICATED'],
      [403, '{}', 403, 'FORBIDDEN'],
      [500, '{}', 503, 'NOT_READY'],
      [200, 'not json', 503, 'NOT_READY'],
    ];
    for (const [status, body, want, code] of cases) {
      answer = { status, body };
      const res = await request();
      expect({ given: status, status: res.status, code: res.body.code }).toEqual({ given: status, status: want, code });
      expect(res.body.cases).toBeUndefined();
    }
  });

  it('given the projection unreachable, then 503 NOT_READY, quickly', async () => {
    await new Promise((resolve) => projection.close(resolve));
    const res = await request();
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'NOT_READY' });
    expect(String(res.body.detail)).toMatch(/cannot be reached/);
  });

  it('given another role, or an area not in the token, then 403 before the projection is asked', async () => {
    const before = asked.length;
    const supervisor = await mintDevToken({ sub: 'sup-sar', role: 'supervisor', areas: [AREA], ttl: '1h', secret: SECRET });
    const elsewhere = await mintDevToken({ sub: 'dpo-else', role: 'data_protection_officer', areas: ['E09000082'], ttl: '1h', secret: SECRET });
    expect((await request(supervisor)).status).toBe(403);
    expect(await request(elsewhere)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', errors: [{ field: 'query.area' }] } });
    expect(asked.length).toBe(before);
  });
});
