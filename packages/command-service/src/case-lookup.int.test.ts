import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyToCaseView, caseViewChanges, CaseViewMemory } from '@syv/case-view';
import { migrate } from '@syv/event-store';
import { isProblem, type AuthUser } from '@syv/service-kit';
import { createTestDatabase, type TestDatabase } from '@syv/test-harness';
import { caseForCommand, missWait, visibleCase } from './case-lookup.js';
import { sharedMigrations } from './migrations.js';

// The case view answers "not in your areas" only when it can know: while its consumer is behind
// (e.g. reconnecting after a broker restart) a case it lacks may exist, so the answer is 503 with
// Retry-After, and another area's case gets the same 503 as an unknown one.

const schema = 'lookup';
const WAIT_MS = 150;
const worker: AuthUser = { sub: 'sw-1', role: 'social_worker', areas: ['E09000001'] };
let db: TestDatabase;
let pool: pg.Pool;
const own = randomUUID();
const other = randomUUID();

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    const v = await p;
    return v === undefined ? 'undefined' : 'found';
  } catch (err) {
    if (!isProblem(err)) throw err;
    return `${err.status} ${err.code}${err.headers?.['retry-after'] ? ` retry-after ${err.headers['retry-after']}` : ''}`;
  }
}

beforeAll(async () => {
  db = await createTestDatabase('lookup');
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  await migrate(pool, schema, sharedMigrations(schema));
  const opened = (caseId: string, area: string) => ({ type: 'case.opened.v1', data: { caseId, childId: `child-${caseId}`, area, openedAt: '2026-01-01T00:00:00Z' } });
  await applyToCaseView(pool, schema, opened(own, 'E09000001'));
  await applyToCaseView(pool, schema, opened(other, 'E09000002'));
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('case lookup for a command', () => {
  it('while the view is caught up: own case found, another area and unknown ids are both a plain miss (404)', async () => {
    const notBehind = () => false;
    expect(await outcome(visibleCase(pool, schema, worker, own, WAIT_MS, notBehind))).toBe('found');
    expect(await outcome(visibleCase(pool, schema, worker, other, WAIT_MS, notBehind))).toBe('undefined');
    expect(await outcome(visibleCase(pool, schema, worker, randomUUID(), WAIT_MS, notBehind))).toBe('undefined');
    expect(await outcome(caseForCommand(pool, schema, worker, other, WAIT_MS, notBehind))).toBe('404 CASE_NOT_FOUND');
    expect(await outcome(caseForCommand(pool, schema, worker, randomUUID(), WAIT_MS, notBehind))).toBe('404 CASE_NOT_FOUND');
    expect(await outcome(missWait(WAIT_MS, notBehind))).toBe('undefined');
  });

  it('while the view is behind: own case still found; another area and unknown ids both 503 with Retry-After, after the same wait', async () => {
    const behind = () => true;
    expect(await outcome(visibleCase(pool, schema, worker, own, WAIT_MS, behind))).toBe('found');
    const t0 = Date.now();
    expect(await outcome(visibleCase(pool, schema, worker, other, WAIT_MS, behind))).toBe('503 NOT_READY retry-after 2');
    const otherMs = Date.now() - t0;
    const t1 = Date.now();
    expect(await outcome(caseForCommand(pool, schema, worker, randomUUID(), WAIT_MS, behind))).toBe('503 NOT_READY retry-after 2');
    const unknownMs = Date.now() - t1;
    expect(otherMs).toBeGreaterThanOrEqual(WAIT_MS - 5);
    expect(unknownMs).toBeGreaterThanOrEqual(WAIT_MS - 5);
    expect(await outcome(missWait(WAIT_MS, behind))).toBe('503 NOT_READY retry-after 2');
  });

  it('with the memory: the same answers and the same waits, whether a case is held in memory or read from the table', async () => {
    const memory = new CaseViewMemory({ ttlMs: 60_000, maxEntries: 100 });
    const opened = (caseId: string, area: string) => ({ type: 'case.opened.v1', data: { caseId, childId: `child-${caseId}`, area, openedAt: '2026-01-01T00:00:00Z' } });
    // Held in memory only (as if just applied by the consumer): found without the table.
    const fresh = randomUUID();
    const freshOther = randomUUID();
    memory.apply(caseViewChanges([opened(fresh, 'E09000001'), opened(freshOther, 'E09000002')]));
    for (const behind of [() => false, () => true]) {
      expect(await outcome(visibleCase(pool, schema, worker, fresh, WAIT_MS, behind, memory))).toBe('found');
      expect(await outcome(visibleCase(pool, schema, worker, own, WAIT_MS, behind, memory))).toBe('found');
      for (const caseId of [freshOther, other, randomUUID()]) {
        const t0 = Date.now();
        const answer = await outcome(caseForCommand(pool, schema, worker, caseId, WAIT_MS, behind, memory));
        expect(answer).toBe(behind() ? '503 NOT_READY retry-after 2' : '404 CASE_NOT_FOUND');
        expect(Date.now() - t0).toBeGreaterThanOrEqual(WAIT_MS - 5);
      }
    }
    // The table's rows read once are now held too.
    expect(memory.get(own)?.area).toBe('E09000001');
    expect(memory.get(other)?.area).toBe('E09000002');
  });
});
