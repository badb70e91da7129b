import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCES } from '@syv/contracts';
import { eventStoreMigrations, migrate } from '@syv/event-store';
import { isProblem } from '@syv/service-kit';
import { createTestDatabase, type TestDatabase } from '@syv/test-harness';
import { commandContext } from './command-context.js';
import { executeCommand, IDEMPOTENCY_HEADER } from './execute.js';

// Two requests racing with one Idempotency-Key: the design records the first to commit and answers
// every racer with that first answer (201, the same body), never a conflict: the append's statement
// looks the key up first, and a racer that loses at the key's insert is undone and replays it.

const schema = 'execute';
let db: TestDatabase;
let pool: pg.Pool;
let app: FastifyInstance;

beforeAll(async () => {
  db = await createTestDatabase('cs_execute');
  pool = new pg.Pool({ connectionString: db.url, max: 10 });
  await migrate(pool, schema, eventStoreMigrations);
  await pool.query(`CREATE TABLE ${schema}.opened (case_id uuid PRIMARY KEY)`);
  app = Fastify();
  app.setErrorHandler((err, _request, reply) => reply.code(isProblem(err) ? err.status : 500).send({ code: isProblem(err) ? err.code : String(err) }));
  // Each request opens a case of its own (a stream minted for it), so answers tell requests apart.
  // ?local=1: the command also writes a local table, in a transaction of its own.
  app.post<{ Querystring: { local?: string }; Body: { childId: string } }>('/v1/cases', async (request, reply) => {
    const caseId = randomUUID();
    const ctx = commandContext(request, { sub: 'sw-1', role: 'social_worker', areas: ['E09000001'] });
    const answer = await executeCommand({
      store: { pool, schema, source: SOURCES.referral },
      request,
      ctx,
      streamId: `case-${caseId}`,
      newStream: true,
      area: 'E09000001',
      decide: () => ({
        ok: true,
        events: [{ type: 'case.opened.v1' as const, data: { caseId, childId: request.body.childId, area: 'E09000001', referralId: randomUUID(), openedAt: ctx.now.toISOString() } }],
      }),
      answer: () => ({ status: 201, body: { caseId } }),
      ...(request.query.local ? { project: async (client: pg.PoolClient) => void (await client.query(`INSERT INTO ${schema}.opened VALUES ($1)`, [caseId])) } : {}),
    });
    return reply.code(answer.status).send(answer.body);
  });
  // A command that can happen once per stream: the decider refuses it when the stream has an event.
  app.post<{ Params: { caseId: string } }>('/v1/cases/:caseId/once', async (request, reply) => {
    const { caseId } = request.params;
    const ctx = commandContext(request, { sub: 'sw-1', role: 'social_worker', areas: ['E09000001'] });
    const answer = await executeCommand({
      store: { pool, schema, source: SOURCES.referral },
      request,
      ctx,
      streamId: `once-${caseId}`,
      area: 'E09000001',
      decide: (history) =>
        history.length > 0
          ? { ok: false, rejection: { code: 'CONFLICT' as const, message: 'already done' } }
          : { ok: true, events: [{ type: 'case.opened.v1' as const, data: { caseId, childId: 'child-once', area: 'E09000001', referralId: randomUUID(), openedAt: ctx.now.toISOString() } }] },
      answer: () => ({ status: 201, body: { caseId, at: ctx.now.toISOString() } }),
    });
    return reply.code(answer.status).send(answer.body);
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await pool?.end();
  await db?.drop();
});

const post = (key: string, childId = 'child-1', local = false) =>
  app
    .inject({ method: 'POST', url: `/v1/cases${local ? '?local=1' : ''}`, headers: { [IDEMPOTENCY_HEADER]: key }, payload: { childId } })
    .then((res) => ({ status: res.statusCode, body: res.json() as { caseId?: string; code?: string } }));

const openedEvents = async (childId: string) =>
  Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.events WHERE data->>'childId' = $1`, [childId])).rows[0]!.n);

describe('executeCommand with an Idempotency-Key', () => {
  it('two (and eight) racing requests with one key record one event, and every one gets the first answer', async () => {
    for (const racers of [2, 8]) {
      const childId = `child-race-${racers}`;
      const answers = await Promise.all(Array.from({ length: racers }, () => post(`race-${racers}`, childId)));
      expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
      expect(new Set(answers.map((a) => a.body.caseId)).size).toBe(1);
      expect(await openedEvents(childId)).toBe(1);
    }
  });

  it('the same race when the command writes local tables in its own transaction: one event, one row, one answer', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => post('race-local', 'child-local', true)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    const caseIds = new Set(answers.map((a) => a.body.caseId));
    expect(caseIds.size).toBe(1);
    expect(await openedEvents('child-local')).toBe(1);
    expect((await pool.query(`SELECT case_id FROM ${schema}.opened WHERE case_id = $1`, [[...caseIds][0]])).rowCount).toBe(1);
  });

  it('a key used again for another request is refused (422) and records nothing', async () => {
    expect((await post('reused', 'child-a')).status).toBe(201);
    expect(await post('reused', 'child-b')).toEqual({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await openedEvents('child-b')).toBe(0);
  });

  it('a retry of a command the decider would now refuse (it already happened) gets the first answer; another key gets the refusal', async () => {
    const caseId = randomUUID();
    const once = (key: string) => app.inject({ method: 'POST', url: `/v1/cases/${caseId}/once`, headers: { [IDEMPOTENCY_HEADER]: key } });
    const first = await once('once-1');
    expect(first.statusCode).toBe(201);
    const retry = await once('once-1');
    expect({ status: retry.statusCode, body: retry.json() }).toEqual({ status: 201, body: first.json() });
    const other = await once('once-2');
    expect({ status: other.statusCode, body: other.json() }).toEqual({ status: 409, body: { code: 'CONFLICT' } });
  });
});
