import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@syv/test-harness';
import { connectSse, type SseClient } from '../../../../e2e/support/sse.js';
import type { BuiltProjection } from '../service.js';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';

// Two projection instances share the read model and split the case-events partitions; each reads
// the whole alerts topic for its own connected supervisors. A supervisor on either instance hears
// every alert of their areas once.

const AREA = 'E09000021';
const OTHER = 'E09000022';
let h: ProjectionHarness;
let instances: BuiltProjection[];
let urls: string[];
let publisher: Awaited<ReturnType<typeof casePublisher>>;

beforeAll(async () => {
  h = await projectionHarness('proj_stream');
  instances = [await h.start(), await h.start()];
  urls = await Promise.all(instances.map((p) => p.app.listen({ port: 0, host: '127.0.0.1' })));
  publisher = await casePublisher(h.topics.caseEvents);
});
afterAll(async () => {
  await publisher?.close();
  await h?.close();
});

interface Raised {
  alertId: string;
  caseId: string;
  area: string;
  rule: string;
}

describe('the alert stream with two instances', () => {
  it('gives a supervisor on either instance every alert of their areas exactly once, and none of other areas', async () => {
    const supervisor = await h.token('supervisor', [AREA]);
    const other = await h.token('supervisor', [OTHER]);
    const clients: SseClient[] = await Promise.all([connectSse(`${urls[0]}/v1/alerts/stream`, supervisor), connectSse(`${urls[1]}/v1/alerts/stream`, supervisor)]);
    const otherClient = await connectSse(`${urls[0]}/v1/alerts/stream`, other);
    expect(clients.map((c) => c.status)).toEqual([200, 200]);

    // Twelve cases in the area and three in another, each with labelling in its notes and a closure the rules flag.
    const stories = Array.from({ length: 15 }, (_, i) => caseStory(new Date('2024-02-05T09:00:00Z'), { area: i < 12 ? AREA : OTHER }));
    for (const s of stories) {
      s.referral(0, { concerns: ['criminal_exploitation'] });
      s.intervention(1, { notes: 'He is streetwise.' });
      s.intervention(8);
      s.requestClosure(10);
    }
    const events = stories.flatMap((s) => s.events);
    await publisher.publish(events);
    await waitForApplied(h.pool, 'projection', events.map((e) => e.id));
    const { rows } = await h.pool.query<{ alert_id: string }>(`SELECT alert_id FROM projection.alerts WHERE area = $1`, [AREA]);
    // LABELLING_LANGUAGE, CLOSURE_SHORT_SUPPORT and CLOSURE_SINGLE_AGENCY on each case.
    expect(rows).toHaveLength(12 * 3);
    const expected = rows.map((r) => r.alert_id).sort();

    for (const c of clients) await waitFor(() => c.data<Raised>('alert.raised').length >= expected.length, { what: 'every alert on the stream', timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 1_000)); // a duplicate would show by now
    for (const c of clients) {
      const heard = c.data<Raised>('alert.raised');
      expect(heard.map((a) => a.alertId).sort()).toEqual(expected);
      expect(heard.every((a) => a.area === AREA)).toBe(true);
    }
    await waitFor(() => otherClient.data<Raised>('alert.raised').length >= 3 * 3, { what: 'the other area’s alerts' });
    expect(otherClient.data<Raised>('alert.raised').every((a) => a.area === OTHER)).toBe(true);
    expect(otherClient.data<Raised>('alert.raised')).toHaveLength(3 * 3);
    // Both instances did part of the work: the partitions were split between them.
    expect(instances.map((p) => p.consumer.stats().applied).every((n) => n > 0)).toBe(true);
    for (const c of [...clients, otherClient]) c.close();
  });

  it('refuses auditors, and ends the stream when the instance shuts down', async () => {
    // Social workers may listen too, to the alerts of their own cases: worker-alerts.int.test.ts.
    expect((await connectSse(`${urls[0]}/v1/alerts/stream`, await h.token('auditor', [AREA]))).status).toBe(403);
    const client = await connectSse(`${urls[1]}/v1/alerts/stream`, await h.token('supervisor', [AREA]));
    const started = Date.now();
    const stopping = h.stop(instances[1]!);
    await client.ended;
    const endedAfter = Date.now() - started;
    await stopping;
    console.log(`[stream] the stream ended ${endedAfter} ms after shutdown began; the instance stopped after ${Date.now() - started} ms`);
    expect(endedAfter).toBeLessThan(2_000);
  });
});
