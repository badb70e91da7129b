import { describe, expect, it } from 'vitest';
import { withTransaction } from '@syv/event-store';
import { waitFor } from '@syv/test-harness';
import { checksumOf, digestReadModel } from '../audit/checksum.js';
import { closureAssessedEventId } from '../outbox/ids.js';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';
import { mixedLog } from '../testing/mixed-log.js';

// The read model does not depend on how the partitions were shared out: six partitions applied by
// two instances (each two partitions at a time), and twelve applied by three, end where one
// instance ends on the same log, table by table (the read model's checksum).

const START = new Date('2024-02-05T09:00:00Z');

/** Children seen by two cases each: the first closed, the second referred 40 days later, so the re-referral rule reads across cases (mostly on two partitions). */
function reReferredChildren(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const first = caseStory(START, { childId: `child-rr-${i}` });
    first.referral(0, { riskLevel: 'medium' });
    for (let d = 2; d < 60; d += 9) first.intervention(d);
    const request = first.requestClosure(60);
    first.close(60, request.data.closureRequestId);
    const second = caseStory(START, { childId: `child-rr-${i}` });
    second.referral(100, { reReferral: true, sourceAgency: 'police' });
    second.intervention(103);
    return [...first.events, ...second.events];
  });
}

async function checksum(h: ProjectionHarness, schema: string): Promise<{ checksum: string; cases: number }> {
  const digests = await withTransaction(h.pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    return digestReadModel(client, schema);
  });
  return { checksum: checksumOf(digests), cases: digests.size };
}

interface Outcome {
  /** Events each of the sharing instances applied. */
  applied: number[];
  shared: { checksum: string; cases: number };
  single: { checksum: string; cases: number };
  reReferralFlags: number;
}

/**
 * `instances` projections of one read model share a topic of `partitions` partitions, then one
 * projection of another read model applies the same log alone; both read models are checksummed.
 */
async function sharedThenSingle(opts: { prefix: string; partitions: number; instances: number; cases: number; reReferred: number; seed: number }): Promise<Outcome> {
  const h = await projectionHarness(opts.prefix, opts.partitions);
  const publisher = await casePublisher(h.topics.caseEvents).catch(async (err: unknown) => {
    await h.close();
    throw err;
  });
  try {
    const log = [...mixedLog(opts.cases, opts.seed, START), ...reReferredChildren(opts.reReferred).flat()];
    // What the projection publishes onto the same topic (closure.assessed) is part of the log too.
    const expected = [...log.map((e) => e.id), ...log.flatMap((e) => (e.type === 'closure.requested.v1' ? [closureAssessedEventId(e.data.closureRequestId)] : []))];

    // The instances share the partitions, two at a time each, all in the group before anything is
    // published, so each has partitions to apply. The last to join starts the last rebalance, so
    // once every one has joined they hold their final share.
    const shared = { schema: 'shared', consumerGroup: 'shared', env: { APPLY_PARTITIONS_CONCURRENTLY: '2', APPLY_SLICE_SIZE: '37' } };
    const running = await Promise.all(Array.from({ length: opts.instances }, () => h.start(shared)));
    await waitFor(async () => running.every((p) => p.consumer.readiness().ok), { what: `all ${opts.instances} instances to join the group`, timeoutMs: 60_000 });
    await publisher.publish(log);
    await waitForApplied(h.pool, 'shared', expected, 60_000);
    const applied = running.map((p) => p.consumer.stats().applied);
    await Promise.all(running.map((p) => h.stop(p)));

    // Then one instance of another read model, alone, from the same log. It reads the first
    // model's closure.assessed where they stand; its own copies are duplicates.
    const single = await h.start({ schema: 'single', consumerGroup: 'single', env: { APPLY_PARTITIONS_CONCURRENTLY: '1' } });
    await waitForApplied(h.pool, 'single', expected, 60_000);
    await h.stop(single);

    const { rows } = await h.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM shared.case_flags WHERE rule = 'REREFERRAL_AFTER_CLOSURE'`);
    return { applied, shared: await checksum(h, 'shared'), single: await checksum(h, 'single'), reReferralFlags: Number(rows[0]?.n) };
  } finally {
    await publisher.close();
    await h.close();
  }
}

describe('partitions applied in parallel', () => {
  it('six partitions on two instances end with the read model one instance builds from the same log', async () => {
    const r = await sharedThenSingle({ prefix: 'proj_partitions', partitions: 6, instances: 2, cases: 150, reReferred: 30, seed: 41 });
    expect(r.applied.every((n) => n > 0), `each instance applied some events: ${r.applied.join(', ')}`).toBe(true);
    expect(r.single.cases).toBe(150 + 60);
    expect(r.shared).toEqual(r.single);
    expect(r.reReferralFlags).toBeGreaterThanOrEqual(30);
  });

  it('twelve partitions on three instances end with the read model one instance builds from the same log', async () => {
    const r = await sharedThenSingle({ prefix: 'proj_partitions12', partitions: 12, instances: 3, cases: 120, reReferred: 24, seed: 43 });
    expect(r.applied, 'one count per instance').toHaveLength(3);
    expect(r.applied.every((n) => n > 0), `each instance applied some events: ${r.applied.join(', ')}`).toBe(true);
    expect(r.single.cases).toBe(120 + 48);
    expect(r.shared).toEqual(r.single);
    expect(r.reReferralFlags).toBeGreaterThanOrEqual(24);
  });
});
