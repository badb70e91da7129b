import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, type AnyEvent } from '@syv/contracts';
import { readTopic, waitFor } from '@syv/test-harness';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';
import type { BuiltProjection } from '../service.js';

let h: ProjectionHarness;
let projection: BuiltProjection;
let publisher: Awaited<ReturnType<typeof casePublisher>>;
const START = new Date('2024-01-08T09:00:00Z');

beforeAll(async () => {
  h = await projectionHarness('proj_assess');
  projection = await h.start();
  publisher = await casePublisher(h.topics.caseEvents);
});
afterAll(async () => {
  await publisher?.close();
  await h?.close();
});

async function published(topic: string, until: (events: AnyEvent[]) => boolean): Promise<AnyEvent[]> {
  const decode = (messages: { value: Buffer | null }[]) =>
    messages.map((m) => {
      const d = decodeMessage(m.value);
      if (!d.ok) throw new Error(d.error.message);
      return d.event;
    });
  return decode(await readTopic(topic, { until: (m) => until(decode(m)), timeoutMs: 30_000 }));
}

describe('closure assessment', () => {
  it('assesses a closure request on the case as it stood, publishes closure.assessed once, and alerts each flag once', async () => {
    const s = caseStory(START);
    s.referral(0, { concerns: ['serious_youth_violence_victim'], riskLevel: 'medium' });
    s.intervention(3);
    s.intervention(10, { agency: 'youth_service', kind: 'mentoring' });
    const camhs = s.onward(12, 'camhs');
    s.intervention(38, { kind: 'mentoring', agency: 'youth_service' });
    const request = s.requestClosure(40);
    await publisher.publish(s.events);
    await waitForApplied(h.pool, 'projection', s.events.map((e) => e.id));

    const onTopic = await published(h.topics.caseEvents, (es) => es.some((e) => e.type === 'closure.assessed.v1'));
    const assessed = onTopic.filter((e) => e.type === 'closure.assessed.v1');
    expect(assessed).toHaveLength(1);
    const a = assessed[0]!;
    if (a.type !== 'closure.assessed.v1') throw new Error('narrowing');
    expect(a.data).toMatchObject({ closureRequestId: request.data.closureRequestId, caseId: s.caseId, assessedAt: request.data.requestedAt });
    expect(a.data.flags.map((f) => f.rule).sort()).toEqual(['CLOSURE_PENDING_ONWARD_REFERRAL', 'CLOSURE_SHORT_SUPPORT']);
    expect(a.data.flags.every((f) => !('key' in f))).toBe(true);
    expect(a).toMatchObject({ source: 'syv/projection', subject: s.caseId, causationid: request.id, correlationid: request.correlationid, actor: { sub: 'projection', role: 'system' } });

    // LONG_WAIT was raised as events arrived (at day 38, 26 days after the CAMHS referral: not yet), so only the closure flags alert.
    const alerts = await published(h.topics.caseAlerts, (es) => es.filter((e) => e.type === 'alert.raised.v1').length >= 2);
    const raised = alerts.filter((e) => e.type === 'alert.raised.v1' && e.subject === s.caseId);
    expect(raised.map((e) => (e.type === 'alert.raised.v1' ? e.data.rule : '')).sort()).toEqual(['CLOSURE_PENDING_ONWARD_REFERRAL', 'CLOSURE_SHORT_SUPPORT']);
    const pending = raised.find((e) => e.type === 'alert.raised.v1' && e.data.rule === 'CLOSURE_PENDING_ONWARD_REFERRAL');
    expect(pending?.type === 'alert.raised.v1' && pending.data.evidence).toEqual([camhs.id, request.id]);

    const { rows: flags } = await h.pool.query(`SELECT rule, source FROM projection.case_flags WHERE case_id = $1 ORDER BY rule`, [s.caseId]);
    expect(flags).toEqual([
      { rule: 'CLOSURE_PENDING_ONWARD_REFERRAL', source: 'closure' },
      { rule: 'CLOSURE_SHORT_SUPPORT', source: 'closure' },
    ]);
    // Its own closure.assessed comes back from case-events into the case's log: 7 + 1 events.
    await waitFor(async () => (await h.pool.query(`SELECT 1 FROM projection.case_events WHERE event_id = $1`, [a.id])).rowCount === 1, { what: 'closure.assessed in the log' });
    const { rows: cases } = await h.pool.query(`SELECT status, child_id, agencies, event_count FROM projection.cases WHERE case_id = $1`, [s.caseId]);
    expect(cases).toEqual([{ status: 'open', child_id: s.childId, agencies: ['social_care', 'youth_service'], event_count: 8 }]);
  });

  it('given the same closure request delivered again, then nothing new is assessed, stored or published', async () => {
    const s = caseStory(START);
    s.referral(0, { concerns: ['mental_health'], riskLevel: 'low' });
    for (let d = 1; d <= 29; d += 7) s.intervention(d, { agency: d % 2 ? 'school' : 'social_care' });
    s.requestClosure(30);
    await publisher.publish(s.events);
    await waitForApplied(h.pool, 'projection', s.events.map((e) => e.id));
    await projection.relay.flush(10_000);
    const before = await h.pool.query(`SELECT count(*)::int AS n FROM projection.events`);
    await publisher.publish(s.events);
    await waitFor(async () => projection.consumer.stats().duplicates >= s.events.length, { what: 'the duplicates to be seen and skipped' });
    const after = await h.pool.query(`SELECT count(*)::int AS n FROM projection.events`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const { rows } = await h.pool.query(`SELECT jsonb_array_length(flags) AS flags FROM projection.closure_assessments WHERE case_id = $1`, [s.caseId]);
    expect(rows).toEqual([{ flags: 0 }]);
  });

  it('given an incident dated before the request that arrives after the assessment, then the missed flag is added and alerted, and the assessment stands', async () => {
    const s = caseStory(START);
    s.referral(0, { concerns: ['mental_health'], riskLevel: 'low' });
    for (let d = 1; d <= 99; d += 7) s.intervention(d, { agency: d % 2 ? 'school' : 'social_care' });
    const request = s.requestClosure(100);
    const incident = s.incident(99, { kind: 'weapon', severity: 'high' });
    await publisher.publish(s.events);
    await waitForApplied(h.pool, 'projection', s.events.map((e) => e.id));
    const { rows: assessments } = await h.pool.query(`SELECT jsonb_array_length(flags) AS flags FROM projection.closure_assessments WHERE closure_request_id = $1`, [
      request.data.closureRequestId,
    ]);
    expect(assessments).toEqual([{ flags: 0 }]);
    const { rows: alerts } = await h.pool.query(`SELECT rule, evidence, raised_at FROM projection.alerts WHERE case_id = $1`, [s.caseId]);
    expect(alerts).toEqual([{ rule: 'CLOSURE_RECENT_INCIDENT', evidence: [incident.id, request.id], raised_at: new Date(request.data.requestedAt) }]);
  });
});
