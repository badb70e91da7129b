import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@syv/service-kit';
import { projectionConfigSchema } from './config.js';
import { DEFAULT_THRESHOLDS, loadThresholdsFile, thresholdsFor } from '@syv/area-config';

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'thresholds-')), 'thresholds.json');
  writeFileSync(path, text);
  return path;
};
const config = (env: Record<string, string>) => loadConfig(projectionConfigSchema, env);

describe('projection configuration', () => {
  it('given no THRESHOLDS_FILE, then every area gets the default thresholds, and the sweep runs every minute', () => {
    const c = config({});
    expect(c).toMatchObject({ PORT: 3004, CASE_EVENTS_TOPIC: 'case-events', CASE_ALERTS_TOPIC: 'case-alerts', SWEEP_INTERVAL_MS: 60_000 });
    expect(thresholdsFor(loadThresholdsFile(c.THRESHOLDS_FILE), 'E09000001')).toEqual(DEFAULT_THRESHOLDS);
  });

  it('given a file that changes CAMHS in one area, then only that area waits differently', () => {
    const c = config({ THRESHOLDS_FILE: file(JSON.stringify({ areas: { E09000002: { longWaitDays: { camhs: 21 } } } })) });
    const t = loadThresholdsFile(c.THRESHOLDS_FILE);
    expect(thresholdsFor(t, 'E09000002').longWaitDays).toEqual({ default: 42, camhs: 21 });
    expect(thresholdsFor(t, 'E09000001').longWaitDays).toEqual({ default: 42, camhs: 28 });
  });

  it('given a bad or missing file, then the service refuses to start, naming what is wrong', () => {
    expect(() => loadThresholdsFile(config({ THRESHOLDS_FILE: file('{"defaults":{"slowStartDays":0,"slowStrtDays":3}}') }).THRESHOLDS_FILE)).toThrow(/defaults\.slowStartDays.*defaults\.slowStrtDays|defaults\.slowStrtDays.*defaults\.slowStartDays/);
    expect(() => loadThresholdsFile(config({ THRESHOLDS_FILE: '/nonexistent/thresholds.json' }).THRESHOLDS_FILE)).toThrow(/THRESHOLDS_FILE/);
  });

  it('given the consumer and the sweep would take the whole pool, then the service refuses to start, naming it', () => {
    expect(() => config({ DATABASE_POOL_SIZE: '4', APPLY_PARTITIONS_CONCURRENTLY: '2', SWEEP_CONCURRENCY: '2' })).toThrow(/SWEEP_CONCURRENCY/);
    expect(config({ DATABASE_POOL_SIZE: '5', APPLY_PARTITIONS_CONCURRENTLY: '2', SWEEP_CONCURRENCY: '2' }).SWEEP_CONCURRENCY).toBe(2);
  });
});
