import { createServer } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '@syv/launcher';
import { readTopic, repoRoot, waitFor } from '@syv/test-harness';
import { casePublisher } from '../testing/case-publisher.js';
import { projectionHarness, type ProjectionHarness } from '../testing/harness.js';
import { mixedLog } from '../testing/mixed-log.js';

// The projection as a real process, killed (SIGKILL) in the middle of the stream and started
// again, must end exactly where a projection that never stopped ends: same read model, same
// alerts, same events to publish.

let h: ProjectionHarness;
const processes: RunningService[] = [];

beforeAll(async () => {
  h = await projectionHarness('proj_restart');
});
afterAll(async () => {
  await Promise.allSettled(processes.map((p) => p.kill()));
  await h?.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startProcess(lines: string[]): Promise<RunningService> {
  const p = await startService({ repoRoot, name: 'projection', port: await freePort(), env: { ...h.env, LOG_LEVEL: 'warn' }, onLine: (l) => lines.push(l), readyTimeoutMs: 90_000 });
  processes.push(p);
  return p;
}

const count = async (pool: pg.Pool, sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n);

/** Every table of a read model, in a stable order, without the columns that say when a row was written. */
async function snapshot(pool: pg.Pool, schema: string) {
  const q = async (sql: string) => (await pool.query(sql.replaceAll('$S', schema))).rows;
  return {
    caseEvents: await q(`SELECT event_id, case_id, type, area, domain_time, recorded_at, envelope, topic, partition, "offset" FROM $S.case_events ORDER BY event_id`),
    cases: await q(`SELECT * FROM $S.cases ORDER BY case_id`),
    caseFlags: await q(`SELECT * FROM $S.case_flags ORDER BY case_id, flag_key`),
    alerts: await q(`SELECT * FROM $S.alerts ORDER BY alert_id`),
    referrals: await q(`SELECT * FROM $S.referrals ORDER BY referral_id`),
    onwardReferrals: await q(`SELECT * FROM $S.onward_referrals ORDER BY onward_referral_id`),
    closureAssessments: await q(`SELECT * FROM $S.closure_assessments ORDER BY closure_request_id`),
    closures: await q(`SELECT * FROM $S.closures ORDER BY closure_request_id`),
    published: await q(`SELECT stream_id, stream_version, event_id, type, data, metadata FROM $S.events ORDER BY event_id`),
    // Offsets are left out: both projections' relays put the same closure assessments on the
    // topic, so one consumer may have read a few more (skipped) duplicates than the other.
  };
}

describe('killing the projection mid-stream', () => {
  it('and starting it again leaves the read model, the alerts and what it publishes as if it had never stopped', async () => {
    const log = mixedLog(150, 11);
    const publisher = await casePublisher(h.topics.caseEvents);
    for (let i = 0; i < log.length; i += 500) await publisher.publish(log.slice(i, i + 500));
    await publisher.close();

    // The one that never stops, in this process, in a schema and consumer group of its own.
    const startedAt = Date.now();
    const reference = await h.start({ schema: 'reference', consumerGroup: 'reference-read-model' });

    const lines: string[] = [];
    const first = await startProcess(lines);
    let seenAtKill = 0;
    await waitFor(
      async () => {
        seenAtKill = await count(h.pool, `SELECT count(*) AS n FROM projection.case_events`);
        return seenAtKill > 0;
      },
      { what: 'the projection process to apply a first batch', timeoutMs: 60_000, intervalMs: 10 },
    );
    await first.kill();
    const afterKill = await count(h.pool, `SELECT count(*) AS n FROM projection.case_events`);
    console.log(`[restart] ${log.length} events published; killed with ${afterKill} applied`);
    expect(afterKill).toBeLessThan(log.length);

    await startProcess(lines);
    // Both end with every event of the topic: the log plus the closure assessments both published (same ids).
    const inputs = log.map((e) => e.id);
    await waitFor(async () => (await count(h.pool, `SELECT count(*) AS n FROM reference.case_events`)) >= inputs.length, { what: 'the reference to catch up', timeoutMs: 120_000 });
    const caughtUpMs = Date.now() - startedAt;
    console.log(`[restart] the reference applied ${inputs.length} events in ${caughtUpMs} ms (${Math.round((inputs.length / caughtUpMs) * 1000)} events/s, start-up included)`);
    await reference.relay.flush(30_000);
    await waitFor(
      async () => {
        const [a, b] = await Promise.all([
          count(h.pool, `SELECT count(*) AS n FROM projection.case_events`),
          count(h.pool, `SELECT count(*) AS n FROM reference.case_events`),
        ]);
        const assessments = await count(h.pool, `SELECT count(*) AS n FROM reference.closure_assessments`);
        return a === b && b === inputs.length + assessments;
      },
      { what: 'both projections to hold every event and every assessment', timeoutMs: 120_000 },
    );
    const restarted = snapshot(h.pool, 'projection');
    const never = snapshot(h.pool, 'reference');
    const [a, b] = await Promise.all([restarted, never]);
    expect(a.alerts.length).toBeGreaterThan(20);
    expect(a.closureAssessments.length).toBeGreaterThan(20);
    for (const table of Object.keys(b) as (keyof typeof b)[]) expect(a[table], table).toEqual(b[table]);
    // And the alerts topic carries each of them: after dedup by id, exactly the alerts raised.
    const raisedIds = new Set(b.published.filter((e) => e.type === 'alert.raised.v1').map((e) => e.event_id as string));
    const onTopic = await readTopic(h.topics.caseAlerts, { until: (m) => new Set(m.map((x) => JSON.parse(String(x.value)).id)).size >= raisedIds.size, timeoutMs: 60_000 });
    const topicIds = new Set(onTopic.map((m) => JSON.parse(String(m.value)).id as string));
    expect([...topicIds].sort()).toEqual([...raisedIds].sort());
    console.log(
      `[restart] equal after restart: ${a.caseEvents.length} case events, ${a.cases.length} cases, ${a.caseFlags.length} flags, ${a.alerts.length} alerts, ${a.published.length} events to publish`,
    );
  });
});
