import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '@syv/event-store';
import { waitFor } from '@syv/test-harness';
import { checksumOf, digestReadModel } from '../audit/checksum.js';
import { closureAssessedEventId } from '../outbox/ids.js';
import { casePublisher } from '../testing/case-publisher.js';
import { caseStory } from '../testing/case-story.js';
import { projectionHarness, waitForApplied, type ProjectionHarness } from '../testing/harness.js';
import { mixedLog } from '../testing/mixed-log.js';

// The read model does not depend on how the partitions were shared out: six partitions applied by
// two instances (each two partitions at a time) end where one instance ends, table by table.

let h: ProjectionHarness;
let publisher: Awaited<ReturnType<typeof casePublisher>>;
const START = new Date('2024-02-05T09:00:00Z');

beforeAll(async () => {
  h = await projectionHarness('proj_partitions', 6);
  publisher = await casePublisher(h.topics.caseEvents);
});
afterAll(async () => {
  await publisher?.close();
  await h?.close();
});

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

async function checksum(schema: string): Promise<{ checksum: string; cases: number }> {
  const digests = await withTransaction(h.pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    return digestReadModel(client, schema);
  });
  return { checksum: checksumOf(digests), cases: digests.size };
}

describe('partitions applied in parallel', () => {
  it('six partitions on two instances end with the read model one instance builds from the same log', async () => {
    const log = [...mixedLog(150, 41, START), ...reReferredChildren(30).flat()];
    // What the projection publishes onto the same topic (closure.assessed) is part of the log too.
    const expected = [...log.map((e) => e.id), ...log.flatMap((e) => (e.type === 'closure.requested.v1' ? [closureAssessedEventId(e.data.closureRequestId)] : []))];

    // Two instances of one read model share the six partitions, two at a time each, both in the
    // group before anything is published, so each has partitions to apply.
    const shared = { schema: 'shared', consumerGroup: 'shared', env: { APPLY_PARTITIONS_CONCURRENTLY: '2', APPLY_SLICE_SIZE: '37' } };
    const [a, b] = await Promise.all([h.start(shared), h.start(shared)]);
    await waitFor(async () => a!.consumer.readiness().ok && b!.consumer.readiness().ok, { what: 'both instances to join the group', timeoutMs: 60_000 });
    await publisher.publish(log);
    await waitForApplied(h.pool, 'shared', expected, 60_000);
    const applied = [a!, b!].map((p) => p.consumer.stats().applied);
    expect(applied.every((n) => n > 0), `each instance applied some events: ${applied.join(', ')}`).toBe(true);
    await Promise.all([h.stop(a!), h.stop(b!)]);

    // Then one instance of another read model, alone, from the same log. It reads the first
    // model's closure.assessed where they stand; its own copies are duplicates.
    const single = await h.start({ schema: 'single', consumerGroup: 'single', env: { APPLY_PARTITIONS_CONCURRENTLY: '1' } });
    await waitForApplied(h.pool, 'single', expected, 60_000);
    await h.stop(single);

    const one = await checksum('single');
    const two = await checksum('shared');
    expect(one.cases).toBe(150 + 60);
    expect(two).toEqual(one);
    const { rows } = await h.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM shared.case_flags WHERE rule = 'REREFERRAL_AFTER_CLOSURE'`);
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(30);
  });
});
