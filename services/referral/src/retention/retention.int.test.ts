import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToCaseView } from '@syv/case-view';
import { buildCommandService, type BuiltCommandService } from '@syv/command-service';
import { mintDevToken } from '@syv/service-kit';
import { createTestDatabase, createTestTopics, testInfra, type TestDatabase } from '@syv/test-harness';
import { childStreamId } from '../referral/decider.js';
import { referralService } from '../service.js';
import { RETENTION_ACTOR, runRetention } from './job.js';

// The retention job against the referral service as built, with real PostgreSQL and Kafka, and a
// clock the test gives it. Four children: one with an open case, one whose case closed a year ago,
// one whose case closed eight years ago (the default period, 7 years, has ended), and one whose
// case closed eight years ago in an area with a period of 10 years. The dry run lists the third
// alone; the job erases exactly it; the dry run then lists none, and a second run erases nothing.
// Closures reach the case view as the case-closure service's events do (applied to the view).

const AREA = 'E09000071';
const LONGER = 'E09000072';
const SECRET = 'retention-test-secret';
const NOW = new Date();
const YEAR_MS = 365.25 * 86_400_000;
const yearsAgo = (n: number) => new Date(NOW.getTime() - n * YEAR_MS).toISOString();

let db: TestDatabase;
let built: BuiltCommandService;
let dpo: string;
const children = { open: `child-${randomUUID().slice(0, 8)}`, recent: `child-${randomUUID().slice(0, 8)}`, old: `child-${randomUUID().slice(0, 8)}`, longer: `child-${randomUUID().slice(0, 8)}` };

async function refer(childId: string, area: string): Promise<string> {
  const token = await mintDevToken({ sub: 'sw-retention', role: 'social_worker', areas: [area], ttl: '1h', secret: SECRET });
  const res = await built.app.inject({
    method: 'POST',
    url: '/v1/referrals',
    headers: { authorization: `Bearer ${token}` },
    payload: { childId, area, sourceAgency: 'school', concerns: ['weapon_carrying'], riskLevel: 'medium', receivedAt: yearsAgo(0.01), reason: 'Found carrying a knife at school.' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { caseId: string }).caseId;
}

async function close(caseId: string, closedAt: string): Promise<void> {
  await applyToCaseView(built.service.store.pool, built.service.store.schema, { type: 'case.closed.v1', data: { caseId, closedAt } });
}

async function dryRun(): Promise<string[]> {
  const res = await built.app.inject({ method: 'GET', url: `/v1/retention/due?before=${encodeURIComponent(NOW.toISOString())}`, headers: { authorization: `Bearer ${dpo}` } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { childId: string }[] }).items.map((i) => i.childId);
}

beforeAll(async () => {
  db = await createTestDatabase('retention');
  const topics = await createTestTopics('retention');
  const dir = mkdtempSync(join(tmpdir(), 'retention-'));
  const thresholds = join(dir, 'thresholds.json');
  writeFileSync(thresholds, JSON.stringify({ areas: { [LONGER]: { retentionYearsAfterClosure: 10 } } }));
  built = await buildCommandService(referralService, {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
    CASE_EVENTS_TOPIC: topics.caseEvents,
    JWT_SECRET: SECRET,
    THRESHOLDS_FILE: thresholds,
    RETENTION_INTERVAL_MS: '0',
    LOG_LEVEL: 'warn',
  });
  await built.app.ready();
  dpo = await mintDevToken({ sub: 'dpo-retention', role: 'data_protection_officer', areas: [AREA, LONGER], ttl: '1h', secret: SECRET });

  await refer(children.open, AREA);
  await close(await refer(children.recent, AREA), yearsAgo(1));
  await close(await refer(children.old, AREA), yearsAgo(8));
  await close(await refer(children.longer, LONGER), yearsAgo(8));
});

afterAll(async () => {
  await built?.app.close();
  for (const hook of built?.shutdownHooks ?? []) await hook.run();
  await db?.drop();
});

describe('given children whose cases closed at different times, in areas with different periods', () => {
  it('when the dry run asks, then only the child whose period ended is listed, and nothing is changed', async () => {
    expect(await dryRun()).toEqual([children.old]);
    expect(await dryRun()).toEqual([children.old]);
  });

  it('when the job runs, then it erases exactly that child, through the erasure, as the system', async () => {
    const round = await runRetention(built.service, NOW);
    expect(round?.erased.map((e) => e.childId)).toEqual([children.old]);
    expect(round?.failed).toEqual([]);
    // Falling due next, soonest first: the other area's child in two years, the recent one in six.
    expect(round?.next.map((n) => n.childId)).toEqual([children.longer, children.recent]);

    const { pool, schema } = built.service.store;
    const recorded = await pool.query<{ stream_id: string; data: Record<string, unknown>; metadata: Record<string, unknown> }>(
      `SELECT stream_id, data, metadata FROM ${schema}.events WHERE type = 'child.erased.v1'`,
    );
    expect(recorded.rows.map((r) => r.stream_id)).toEqual([childStreamId(AREA, children.old)]);
    expect(recorded.rows[0]?.data).toMatchObject({ childId: children.old, area: AREA, erasedBy: RETENTION_ACTOR, legalBasis: 'retention_period_ended', reason: 'retention period of 7 years after the last closure ended' });
    expect(JSON.stringify(recorded.rows[0]?.metadata)).toContain('"system"');
    expect((await built.service.keys.erasedKeys({ area: AREA, childId: children.old })).length).toBe(1);
    expect(await built.service.keys.erasedKeys({ area: AREA, childId: children.recent })).toEqual([]);
  });

  it('when the dry run asks again, then none is listed, and a second run erases nothing', async () => {
    expect(await dryRun()).toEqual([]);
    expect((await runRetention(built.service, NOW))?.erased).toEqual([]);
  });

  it('when three more years have passed, then the other area’s child is due, the recent one not yet, and the open case never', async () => {
    const later = new Date(NOW.getTime() + 3 * YEAR_MS);
    const res = await built.app.inject({ method: 'GET', url: `/v1/retention/due?before=${encodeURIComponent(later.toISOString())}`, headers: { authorization: `Bearer ${dpo}` } });
    expect((res.json() as { items: { childId: string }[] }).items.map((i) => i.childId)).toEqual([children.longer]);
  });

  it('when the area is not one of the token’s, then it is 403 naming the field', async () => {
    const res = await built.app.inject({ method: 'GET', url: '/v1/retention/due?area=E09000001', headers: { authorization: `Bearer ${dpo}` } });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('query.area');
  });
});
