import { describe, expect, it } from 'vitest';
import { buildTestApp, captureLogs } from '../app/test-support.js';
import { kafkaCheck, postgresCheck } from './checks.js';
import { runReadinessChecks } from './readiness.js';

describe('health endpoints', () => {
  it('/health/live answers ok', async () => {
    const app = await buildTestApp();
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    await app.close();
  });

  it('/health/ready answers 200 naming each check when all pass', async () => {
    const app = await buildTestApp({
      readiness: [postgresCheck({ query: async () => ({ rows: [] }) } as never), kafkaCheck(async () => undefined), { name: 'consumer', check: async () => ({ ok: true }) }],
    });
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', kafka: 'ok', consumer: 'ok' } });
    await app.close();
  });

  it('/health/ready answers 503 problem naming the failing checks, keeping error messages in the log', async () => {
    const logs = captureLogs();
    const app = await buildTestApp({
      logs,
      readiness: [
        postgresCheck({ query: async () => ({ rows: [] }) } as never),
        kafkaCheck(async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.7:9092');
        }),
        { name: 'consumer', check: async () => ({ ok: false, detail: 'lagging 5000 events behind' }) },
      ],
    });
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      code: 'NOT_READY',
      status: 503,
      checks: { postgres: 'ok', kafka: 'failed (see the service log)', consumer: 'lagging 5000 events behind' },
    });
    expect(body.detail).toContain('kafka');
    expect(body.detail).toContain('consumer');
    expect(res.body).not.toContain('10.0.0.7');
    expect(logs.text()).toContain('10.0.0.7');
    await app.close();
  });

  it('bounds each check by its timeout', async () => {
    const started = Date.now();
    const outcomes = await runReadinessChecks([
      { name: 'slow', check: () => new Promise(() => undefined), timeoutMs: 50 },
      { name: 'fast', check: async () => undefined },
    ]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcomes).toEqual([
      { name: 'slow', ok: false, detail: 'timed out after 50 ms' },
      { name: 'fast', ok: true },
    ]);
  });

  it('postgresCheck runs SELECT 1 through the pool', async () => {
    const seen: string[] = [];
    const check = postgresCheck({ query: async (sql: string) => void seen.push(sql) } as never);
    await check.check();
    expect(seen).toEqual(['SELECT 1']);
  });
});
