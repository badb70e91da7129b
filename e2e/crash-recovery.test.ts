import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@syv/test-harness';
import { collectTopic, type TopicCollector } from './support/collector.js';
import { api } from './support/http.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// Nothing acknowledged is ever lost: while referrals arrive, the referral service is killed with
// SIGKILL (a crash) or stopped with SIGTERM (a deploy) and started again. Every referral that was
// answered 201 must then be on case-events exactly once (by event id), and known downstream.

const AREA = 'E09000001';
let sys: E2eSystem;
let topic: TopicCollector;
let worker: string;

beforeAll(async () => {
  sys = await startE2eSystem({ only: ['referral', 'intervention'], basePort: 13100 });
  worker = await sys.token('social_worker', [AREA], 'sw-crash');
  topic = await collectTopic(sys.topics.caseEvents);
});

afterAll(async () => {
  await topic?.stop();
  await sys?.stop();
});

interface Acknowledged {
  referralId: string;
  caseId: string;
}

/** Posts referrals from `concurrency` loops until `until` resolves; keeps every 201. */
async function referralLoad(concurrency: number, until: Promise<unknown>): Promise<{ acknowledged: Acknowledged[]; failed: number }> {
  let done = false;
  void until.then(() => {
    done = true;
  });
  const acknowledged: Acknowledged[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!done) {
        const body = {
          childId: `crash-${randomUUID().slice(0, 12)}`,
          area: AREA,
          sourceAgency: 'police',
          concerns: ['serious_youth_violence_victim'],
          riskLevel: 'high',
          receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
        };
        try {
          const res = await api<Acknowledged>(sys.url('referral'), 'POST', '/v1/referrals', { token: worker, body });
          if (res.status === 201) acknowledged.push(res.body);
          else failed++;
        } catch {
          failed++; // connection refused or reset while the service is down: not acknowledged
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }),
  );
  return { acknowledged, failed };
}

async function expectAllOnTopicOnce(acknowledged: Acknowledged[]): Promise<void> {
  const wanted = new Set(acknowledged.map((a) => a.referralId));
  await waitFor(
    () => {
      const seen = new Set(topic.events().flatMap((e) => (e.type === 'referral.received.v1' ? [e.data.referralId] : [])));
      return [...wanted].every((id) => seen.has(id));
    },
    { timeoutMs: 30_000, what: `all ${wanted.size} acknowledged referrals on case-events` },
  );
  const eventIdsByReferral = new Map<string, Set<string>>();
  for (const e of topic.events()) {
    if (e.type !== 'referral.received.v1') continue;
    const ids = eventIdsByReferral.get(e.data.referralId) ?? new Set<string>();
    ids.add(e.id);
    eventIdsByReferral.set(e.data.referralId, ids);
  }
  for (const a of acknowledged) expect(eventIdsByReferral.get(a.referralId)?.size, `referral ${a.referralId}`).toBe(1);
}

describe('the referral service under load', () => {
  it('loses no acknowledged referral when it is killed with SIGKILL and restarted', async () => {
    const crash = (async () => {
      await new Promise((r) => setTimeout(r, 1_500));
      await sys.system.restart('referral', 'kill');
      await new Promise((r) => setTimeout(r, 1_500));
    })();
    const { acknowledged, failed } = await referralLoad(4, crash);
    console.log(`SIGKILL: ${acknowledged.length} referrals acknowledged, ${failed} refused or cut off while down`);
    expect(acknowledged.length).toBeGreaterThan(20);
    await expectAllOnTopicOnce(acknowledged);
    // Downstream saw them too: the intervention service knows the last case acknowledged.
    const last = acknowledged.at(-1);
    const res = await api(sys.url('intervention'), 'POST', `/v1/cases/${last?.caseId}/incidents`, {
      token: worker,
      body: { kind: 'threat', severity: 'medium', occurredAt: new Date().toISOString() },
    });
    expect(res.status).toBe(201);
  });

  it('drains in-flight requests and flushes its outbox when stopped with SIGTERM', async () => {
    const deploy = (async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      await sys.system.restart('referral', 'stop');
      await new Promise((r) => setTimeout(r, 1_000));
    })();
    const { acknowledged } = await referralLoad(4, deploy);
    expect(acknowledged.length).toBeGreaterThan(20);
    await expectAllOnTopicOnce(acknowledged);
  });
});
