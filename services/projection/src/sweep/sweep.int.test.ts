import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../rules/days.js';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';
import type { BuiltProjection } from '../service.js';

// The sweep's clock is the test's: time moves only when the test says so.
const START = new Date('2024-05-06T09:00:00Z');
let now = START;
const setDay = (n: number) => {
  now = new Date(START.getTime() + n * DAY_MS);
};

let h: ProjectionHarness;
let projection: BuiltProjection;
let publisher: Awaited<ReturnType<typeof casePublisher>>;

beforeAll(async () => {
  h = await projectionHarness('proj_sweep');
  // Pages of two case ids: a round must page through every due case, however many.
  projection = await h.start({ clock: () => now, env: { SWEEP_PAGE_SIZE: '2' } });
  publisher = await casePublisher(h.topics.caseEvents);
});
afterAll(async () => {
  await publisher?.close();
  await h?.close();
});

async function alertsOf(caseId: string): Promise<{ rule: string; raised_at: Date }[]> {
  const { rows } = await h.pool.query(`SELECT rule, raised_at FROM projection.alerts WHERE case_id = $1 ORDER BY raised_at, rule`, [caseId]);
  return rows;
}
async function flagsOf(caseId: string): Promise<string[]> {
  const { rows } = await h.pool.query<{ rule: string }>(`SELECT rule FROM projection.case_flags WHERE case_id = $1 ORDER BY rule`, [caseId]);
  return rows.map((r) => r.rule);
}

describe('time-rule sweep', () => {
  it('pages through every due case in one round (pages of 2, 5 cases)', async () => {
    const stories = Array.from({ length: 5 }, () => {
      const s = caseStory(new Date(START.getTime() - 200 * DAY_MS));
      s.referral(0);
      s.intervention(2);
      return s;
    });
    const events = stories.flatMap((s) => s.events);
    await publisher.publish(events);
    await waitForApplied(h.pool, 'projection', events.map((e) => e.id));
    setDay(0); // 198 days without contact: CONTACT_GAP on every one
    const round = await projection.sweep.runOnce();
    expect(round?.cases).toBeGreaterThanOrEqual(5);
    for (const s of stories) expect(await flagsOf(s.caseId)).toContain('CONTACT_GAP');
  });

  it('raises LONG_WAIT when the clock passes the CAMHS limit with nothing recorded, once however often it sweeps', async () => {
    const s = caseStory(START);
    s.referral(0);
    s.intervention(2);
    s.onward(3, 'camhs');
    s.intervention(20);
    await publisher.publish(s.events);
    await waitForApplied(h.pool, 'projection', s.events.map((e) => e.id));
    expect(await alertsOf(s.caseId)).toEqual([]);

    setDay(31); // 28 days after the referral: still within the limit
    await projection.sweep.runOnce();
    expect(await alertsOf(s.caseId)).toEqual([]);

    setDay(31.5);
    await projection.sweep.runOnce();
    expect(await alertsOf(s.caseId)).toEqual([{ rule: 'LONG_WAIT', raised_at: s.day(31.5) }]);
    expect(await flagsOf(s.caseId)).toEqual(['LONG_WAIT']);

    for (const d of [35, 40, 47]) {
      setDay(d);
      await projection.sweep.runOnce();
    }
    // Day 47: 27 days since the last contact on day 20, one short of a CONTACT_GAP.
    expect(await alertsOf(s.caseId)).toEqual([{ rule: 'LONG_WAIT', raised_at: s.day(31.5) }]);
    setDay(49);
    await projection.sweep.runOnce();
    expect((await alertsOf(s.caseId)).map((a) => a.rule)).toEqual(['LONG_WAIT', 'CONTACT_GAP']);
  });

  it('lets SLOW_START go from the case once the child is seen, and keeps its alert', async () => {
    const s = caseStory(new Date(START.getTime() + 100 * DAY_MS));
    s.referral(0);
    await publisher.publish(s.events);
    await waitForApplied(h.pool, 'projection', s.events.map((e) => e.id));
    setDay(100 + 15);
    await projection.sweep.runOnce();
    expect(await flagsOf(s.caseId)).toEqual(['SLOW_START']);
    const seen = s.intervention(15.5);
    await publisher.publish([seen]);
    await waitForApplied(h.pool, 'projection', [seen.id]);
    expect(await flagsOf(s.caseId)).toEqual([]);
    expect((await alertsOf(s.caseId)).map((a) => a.rule)).toEqual(['SLOW_START']);
  });

  it('does not sweep a closed case, nor one recorded on within the quiet period', async () => {
    const closed = caseStory(new Date(START.getTime() + 200 * DAY_MS));
    closed.referral(0, { concerns: ['mental_health'], riskLevel: 'low' });
    closed.intervention(0.5);
    const r = closed.requestClosure(1);
    closed.close(1, r.data.closureRequestId);
    await publisher.publish(closed.events);
    await waitForApplied(h.pool, 'projection', closed.events.map((e) => e.id));
    setDay(200 + 60);
    await projection.sweep.runOnce();
    expect(await alertsOf(closed.caseId)).toEqual([]);

    // A second instance with a quiet period: a case recorded on an hour ago is left alone.
    const quiet = await h.start({ clock: () => now, env: { SWEEP_QUIET_MS: String(2 * 3_600_000) }, schema: 'projection_quiet', consumerGroup: 'projection-quiet' });
    const busy = caseStory(new Date(START.getTime() + 300 * DAY_MS));
    busy.referral(0);
    busy.events.forEach((e) => Object.assign(e, { time: new Date(START.getTime() + 320 * DAY_MS - 3_600_000).toISOString() }));
    await publisher.publish(busy.events);
    await waitForApplied(h.pool, 'projection_quiet', busy.events.map((e) => e.id));
    setDay(320);
    await quiet.sweep.runOnce();
    const swept = async () => (await h.pool.query(`SELECT rule FROM projection_quiet.alerts WHERE case_id = $1`, [busy.caseId])).rows;
    expect(await swept()).toEqual([]);
    now = new Date(START.getTime() + 320 * DAY_MS + 3_600_000 + 1);
    await quiet.sweep.runOnce();
    expect(await swept()).toEqual([{ rule: 'SLOW_START' }]);
    await h.stop(quiet);
  });
});
