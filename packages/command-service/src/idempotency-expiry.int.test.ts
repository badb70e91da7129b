import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCES } from '@syv/contracts';
import { eventStoreMigrations, findIdempotent, migrate, saveIdempotent, withTransaction } from '@syv/event-store';
import { createTestDatabase, type TestDatabase } from '@syv/test-harness';
import { commandContext } from './command-context.js';
import { executeCommand, IDEMPOTENCY_HEADER } from './execute.js';
import { startIdempotencyExpiry } from './idempotency-expiry.js';

// Idempotency keys expire: the job removes keys older than the retention and keeps the rest, and a
// request repeated with an expired key is then a new request, decided and appended again.

const schema = 'expiry';
const HOUR_MS = 3_600_000;
const RETENTION_MS = 168 * HOUR_MS;
let db: TestDatabase;
let pool: pg.Pool;
const logged: { removed?: number; msg?: string }[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as { removed?: number; msg?: string }) });

/** Makes a key look recorded `hours` ago. */
async function age(key: string, hours: number): Promise<void> {
  await pool.query(`UPDATE ${schema}.idempotency_keys SET created_at = now() - make_interval(hours => $2) WHERE key = $1`, [key, hours]);
}

beforeAll(async () => {
  db = await createTestDatabase('cs_expiry');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  await migrate(pool, schema, eventStoreMigrations);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('idempotency key expiry', () => {
  it('removes a key older than the retention, keeps a recent one, and logs how many it removed', async () => {
    const record = { scope: 'POST /v1/things user-1', requestHash: 'h', status: 201, response: { ok: true } };
    await withTransaction(pool, async (client) => {
      await saveIdempotent(client, schema, { ...record, key: 'old' });
      await saveIdempotent(client, schema, { ...record, key: 'recent' });
    });
    await age('old', 169);
    await age('recent', 167);
    logged.length = 0;

    const expiry = startIdempotencyExpiry({ pool, schema, retentionMs: RETENTION_MS, intervalMs: HOUR_MS, logger });
    try {
      // The round that runs at start.
      expect(await expiry.runOnce()).toBe(1);
    } finally {
      await expiry.stop();
    }
    expect(await findIdempotent(pool, schema, record.scope, 'old')).toBeUndefined();
    expect(await findIdempotent(pool, schema, record.scope, 'recent')).toMatchObject({ status: 201, response: { ok: true } });
    expect(logged).toContainEqual(expect.objectContaining({ removed: 1, msg: 'expired idempotency keys removed' }));
  });

  describe('a command repeated with the same key', () => {
    let app: FastifyInstance;
    const post = (key: string) =>
      app.inject({ method: 'POST', url: '/v1/cases', headers: { [IDEMPOTENCY_HEADER]: key }, payload: { childId: 'child-1' } }).then((res) => ({
        status: res.statusCode,
        caseId: (res.json() as { caseId: string }).caseId,
      }));

    beforeAll(async () => {
      app = Fastify();
      // Each new request opens a case of its own, so a replayed answer and a new one are told apart.
      app.post('/v1/cases', async (request, reply) => {
        const caseId = randomUUID();
        const ctx = commandContext(request, { sub: 'sw-1', role: 'social_worker', areas: ['E09000001'] });
        const answer = await executeCommand({
          store: { pool, schema, source: SOURCES.referral },
          request,
          ctx,
          streamId: `case-${caseId}`,
          area: 'E09000001',
          decide: () => ({
            ok: true,
            events: [{ type: 'case.opened.v1' as const, data: { caseId, childId: 'child-1', area: 'E09000001', referralId: randomUUID(), openedAt: ctx.now.toISOString() } }],
          }),
          answer: () => ({ status: 201, body: { caseId } }),
        });
        return reply.code(answer.status).send(answer.body);
      });
      await app.ready();
    });

    afterAll(async () => {
      await app?.close();
    });

    it('gets the first answer within the retention, and is a new request once the key has expired', async () => {
      const first = await post('k-1');
      expect(first.status).toBe(201);
      expect(await post('k-1')).toEqual(first);

      await age('k-1', 169);
      const expiry = startIdempotencyExpiry({ pool, schema, retentionMs: RETENTION_MS, intervalMs: HOUR_MS, logger });
      await expiry.runOnce();
      await expiry.stop();

      const again = await post('k-1');
      expect(again.status).toBe(201);
      expect(again.caseId).not.toBe(first.caseId);
      const { rows } = await pool.query<{ stream_id: string }>(`SELECT stream_id FROM ${schema}.events WHERE type = 'case.opened.v1' ORDER BY global_position`);
      expect(rows.map((r) => r.stream_id)).toEqual([`case-${first.caseId}`, `case-${again.caseId}`]);
    });
  });
});
