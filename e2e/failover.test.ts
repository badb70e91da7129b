import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService, ServiceName } from '@syv/launcher';
import { describeGroup, topicPartitions, topicSettings, type GroupState } from '@syv/messaging';
import { repoRoot, startOwnKafkaCluster, testInfra, type LocalKafkaCluster } from '@syv/test-harness';
import { checkStreamDelivery, type StreamDelivery } from './support/faults/alert-streams.js';
import { loadUnderFaults } from './support/faults/load.js';
import { checkReady, readRaisedAlerts, verifyAcknowledged } from './support/faults/verify.js';
import { holdSse, type HeldStream } from './support/sse.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// Failover under load, on a replicated cluster of three brokers of this file's own and two
// projection instances in one consumer group. While referrals, interventions and closure requests
// arrive, the broker leading the most case-events partitions is killed with SIGKILL (the others take
// its partitions over), then started again; then one projection instance is killed with SIGKILL (the
// other takes its partitions over), then started again. Supervisors hold the live alert stream of
// each instance throughout. Afterwards every write answered 2xx must be on case-events under exactly
// one event id and once in the read model, and each alert raised exactly once. A supervisor who
// stayed on the instance never killed must have heard every alert of their area exactly once. One
// on the killed instance cannot: the stream has no Last-Event-ID resumption, so the alerts raised
// while they were away are missed on the stream (GET /v1/alerts has them). For them the test holds
// the strongest true property, checked per partition of case-alerts in alert-streams.ts: never an
// alert twice from one instance, no gap but the reconnection, and every alert sent after the new
// connection opened heard on it. PostgreSQL is the run's: nothing here restarts it. Two write loops
// keep the file to 2.5-3.5 minutes on two cores (the broker restart is most of it).

const AREA = 'E09000019';
const OTHER_AREA = 'E09000012';
const PORTS = { services: 19900, secondProjection: 19914, kafka: 19952 };
const SERVICES: ServiceName[] = ['referral', 'intervention', 'case-closure', 'projection'];
/** The projection's read-model consumer group, which its instances share. */
const READ_MODEL_GROUP = 'projection-read-model';
const CONCURRENCY = 2;
/** Load before the first fault, between them and after the last. */
const GAP_MS = 3_000;
const MAX_REQUESTS = 15_000;
const SETTLE_MS = 60_000;
/** Longest a failover step may take: a dead broker fenced, a dead group member's session expired. */
const FAILOVER_MS = 45_000;
const STREAM = '/v1/alerts/stream';

const started = Date.now();
const log = (msg: string) => console.log(`[failover ${((Date.now() - started) / 1_000).toFixed(1).padStart(5)} s] ${msg}`);

async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = FAILOVER_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A cluster electing leaders may refuse a metadata request for a moment: ask again.
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const caseEventsPartitionsOf = (group: GroupState, topic: string) => group.members.map((m) => m.partitions.filter((p) => p.topic === topic).length);

let cluster: LocalKafkaCluster;
let sys: E2eSystem;
let secondProjection: RunningService;
const streams: HeldStream[] = [];

const kafka = (brokers = cluster.brokers) => ({ brokers, clientId: 'e2e-failover' });

/** Both instances in the group, each holding case-events partitions. */
async function bothInstancesHoldPartitions(): Promise<GroupState> {
  return eventually('both projection instances to hold case-events partitions', async () => {
    const group = await describeGroup(kafka(), READ_MODEL_GROUP);
    const held = caseEventsPartitionsOf(group, sys.topics.caseEvents);
    return group.state === 'Stable' && held.length === 2 && held.every((n) => n > 0) && group;
  });
}

beforeAll(async () => {
  // Any failure to start throws here and fails the test: this file never skips.
  cluster = await startOwnKafkaCluster({ dataDir: join(repoRoot, '.data', 'e2e-failover'), port: PORTS.kafka, nodes: 3, log });
  sys = await startE2eSystem({
    only: SERVICES,
    basePort: PORTS.services,
    infra: { databaseUrl: testInfra().databaseUrl, kafkaBrokers: cluster.brokers },
    // Short polls so a relay that takes over from a killed instance starts at once.
    env: { OUTBOX_POLL_MS: '200' },
  });
  secondProjection = await sys.startProjection(PORTS.secondProjection, 'projection-2');
  log('three brokers, the services and a second projection instance up');
});

afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await sys?.stop();
  await cluster?.stop();
});

describe('failover under load', () => {
  it('replicates case-events and case-alerts three times with two in sync, and shares case-events between both projection instances', async () => {
    for (const topic of [sys.topics.caseEvents, sys.topics.caseAlerts]) {
      const partitions = await topicPartitions(kafka(), topic);
      expect(partitions).toHaveLength(3);
      for (const p of partitions) {
        expect([...p.replicas].sort()).toEqual([1, 2, 3]);
        expect(p.isr).toHaveLength(3);
      }
      expect(await topicSettings(kafka(), topic, ['min.insync.replicas'])).toEqual({ 'min.insync.replicas': '2' });
    }
    await bothInstancesHoldPartitions();
  });

  it('loses and doubles no acknowledged write or alert when a leading broker and then a projection instance are killed', async () => {
    const first = sys.url('projection');
    const second = secondProjection.url;
    const worker = await sys.token('social_worker', [AREA], 'sw-failover');
    const supervisor = (sub: string, area = AREA) => sys.token('supervisor', [area], sub);
    // Held open from before the first write to after the last alert.
    const supervisors = {
      /** On the instance that is never killed. */
      onFirst: holdSse([`${first}${STREAM}`], await supervisor('sup-first')),
      /** On the instance that is killed; back to it once it is up again. */
      backToSecond: holdSse([`${second}${STREAM}`], await supervisor('sup-second')),
      /** On the instance that is killed; then whichever instance answers, as behind a load balancer. */
      failingOver: holdSse([`${second}${STREAM}`, `${first}${STREAM}`], await supervisor('sup-either')),
      /** Another area's supervisor: hears nothing of this load. */
      otherArea: holdSse([`${first}${STREAM}`], await supervisor('sup-other', OTHER_AREA)),
    };
    streams.push(...Object.values(supervisors));
    for (const s of Object.values(supervisors)) await s.waitOpen(0, 15_000);

    const brokerKill = { victim: 0, led: [] as number[], electedMs: 0, backInSyncMs: 0 };
    const projectionKill = { takeoverMs: 0, rejoinedMs: 0 };
    const { stats, faults } = await loadUnderFaults({
      load: {
        urls: { referral: sys.url('referral'), intervention: sys.url('intervention'), caseClosure: sys.url('case-closure') },
        token: worker,
        area: AREA,
        concurrency: CONCURRENCY,
        maxRequests: MAX_REQUESTS,
      },
      faults: [
        {
          name: 'kill -9 the broker leading the most case-events partitions, then restart it',
          run: async () => {
            const partitions = await topicPartitions(kafka(), sys.topics.caseEvents);
            const led = (nodeId: number) => partitions.filter((p) => p.leader === nodeId).length;
            const victim = [...cluster.nodes].sort((a, b) => led(b.nodeId) - led(a.nodeId))[0]!;
            brokerKill.victim = victim.nodeId;
            brokerKill.led = partitions.map((p) => p.leader);
            log(`case-events leaders by partition: ${brokerKill.led.join(', ')}; killing node ${victim.nodeId} (pid ${victim.pid})`);
            const killed = Date.now();
            process.kill(victim.pid, 'SIGKILL');
            await victim.exited;
            const survivors = cluster.brokers.filter((b) => b !== `127.0.0.1:${victim.port}`);
            await eventually(`every case-events partition led by a broker other than node ${victim.nodeId}`, async () => {
              const now = await topicPartitions(kafka(survivors), sys.topics.caseEvents);
              return now.length === 3 && now.every((p) => p.leader >= 0 && p.leader !== victim.nodeId);
            });
            brokerKill.electedMs = Date.now() - killed;
            log(`new leaders elected ${brokerKill.electedMs} ms after the kill`);
            await cluster.restartNode(victim.nodeId);
            await eventually(`node ${victim.nodeId} back in every in-sync replica set`, async () => {
              const all = [...(await topicPartitions(kafka(), sys.topics.caseEvents)), ...(await topicPartitions(kafka(), sys.topics.caseAlerts))];
              return all.length === 6 && all.every((p) => p.isr.length === 3);
            });
            brokerKill.backInSyncMs = Date.now() - killed;
          },
        },
        {
          name: 'kill -9 the second projection instance, then start it again',
          run: async () => {
            const before = await bothInstancesHoldPartitions();
            log(`case-events partitions per projection instance before the kill: ${caseEventsPartitionsOf(before, sys.topics.caseEvents).join(' + ')}`);
            const killed = Date.now();
            await secondProjection.kill();
            // The first instance takes the partitions over once the dead member's session expires.
            await eventually('the first projection instance to hold every case-events partition', async () => {
              const group = await describeGroup(kafka(), READ_MODEL_GROUP);
              return group.state === 'Stable' && group.members.length === 1 && caseEventsPartitionsOf(group, sys.topics.caseEvents)[0] === 3;
            });
            projectionKill.takeoverMs = Date.now() - killed;
            log(`the first instance holds every case-events partition ${projectionKill.takeoverMs} ms after the kill`);
            secondProjection = await sys.startProjection(PORTS.secondProjection, 'projection-2');
            await bothInstancesHoldPartitions();
            projectionKill.rejoinedMs = Date.now() - killed;
            await supervisors.backToSecond.waitOpen(killed, 15_000);
            await supervisors.failingOver.waitOpen(killed, 15_000);
          },
        },
      ],
      gapMs: GAP_MS,
      log,
    });
    const ack = stats.acknowledged;
    log(
      `load over: ${stats.sent} requests, ${ack.length} acknowledged; not acknowledged: ${JSON.stringify(stats.refused)}; ` +
        `faults: ${faults.map((f) => `${f.fault} ${f.ms} ms`).join(', ')}`,
    );
    expect(stats.sent, 'the cap on requests ended the load before the faults were over').toBeLessThan(MAX_REQUESTS);
    expect(faults.map((f) => f.fault)).toHaveLength(2);
    // Under load: writes were acknowledged while each fault was under way, and again after it.
    const during = faults.map((f) => f.acknowledgedAfter - f.acknowledgedBefore);
    const afterEach = faults.map((f, i) => (faults[i + 1]?.acknowledgedBefore ?? ack.length) - f.acknowledgedAfter);
    expect(during.every((n) => n > 0), `writes acknowledged during each fault: ${during.join(', ')}`).toBe(true);
    expect(afterEach.every((n) => n > 0), `writes acknowledged after each fault: ${afterEach.join(', ')}`).toBe(true);
    expect(brokerKill.led.filter((leader) => leader === brokerKill.victim).length).toBeGreaterThan(0);

    const verified = await verifyAcknowledged({
      brokers: cluster.brokers,
      topics: sys.topics,
      acknowledged: ack,
      projection: { url: first, token: await supervisor('sup-verify') },
      settleMs: SETTLE_MS,
      log,
    });
    expect(verified.problems.slice(0, 20)).toEqual([]);
    expect(verified.labelled.size).toBeGreaterThan(0);
    expect(verified.alerts?.api.filter((a) => a.rule === 'LABELLING_LANGUAGE').length).toBeGreaterThanOrEqual(verified.labelled.size);

    // The streams lag the topic a little, and a late alert (the time rules') may still be on its
    // way: read the topic again until every stream says what it will say.
    const areasOf = { onFirst: [AREA], backToSecond: [AREA], failingOver: [AREA], otherArea: [OTHER_AREA] };
    const deliveries = async () => {
      const raised = await readRaisedAlerts(cluster.brokers, sys.topics.caseAlerts);
      const entries = Object.entries(supervisors).map(([who, s]) => [who, checkStreamDelivery(who, areasOf[who as keyof typeof supervisors], s.connections, raised)]);
      return Object.fromEntries(entries) as Record<keyof typeof supervisors, StreamDelivery>;
    };
    let delivered = await deliveries();
    const streamsDeadline = Date.now() + 30_000;
    while (Object.values(delivered).some((d) => d.problems.length > 0) && Date.now() < streamsDeadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      delivered = await deliveries();
    }
    for (const [who, d] of Object.entries(delivered)) {
      const conns = supervisors[who as keyof typeof supervisors].connections;
      log(`${who}: ${conns.length} connection(s) (${conns.map((c) => c.url.replace(STREAM, '')).join(' then ')}); heard ${d.received}, missed ${d.missed}, heard again ${d.heardAgain}`);
    }
    expect(Object.values(delivered).flatMap((d) => d.problems).slice(0, 20)).toEqual([]);

    // On the instance never killed: one connection throughout, every alert heard, each once.
    expect(supervisors.onFirst.connections).toHaveLength(1);
    expect(delivered.onFirst).toMatchObject({ missed: 0, heardAgain: 0 });
    expect(delivered.onFirst.received).toBeGreaterThanOrEqual(verified.alerts?.api.length ?? Infinity);
    // On the killed instance: cut off by the kill, connected again (to it, or to the other), and
    // hearing live alerts there.
    for (const [who, backOn] of [['backToSecond', second], ['failingOver', first]] as const) {
      const conns = supervisors[who].connections;
      expect(conns.length, `${who}'s connections`).toBeGreaterThanOrEqual(2);
      expect(conns[0]!.url).toBe(`${second}${STREAM}`);
      expect(conns.at(-1)!.url).toBe(`${backOn}${STREAM}`);
      expect(conns.at(-1)!.events.filter((e) => e.event === 'alert.raised').length, `alerts ${who} heard after reconnecting`).toBeGreaterThan(0);
    }
    expect(delivered.otherArea.received).toBe(0);

    log(
      `broker node ${brokerKill.victim} killed: new leaders in ${brokerKill.electedMs} ms, back in sync in ${brokerKill.backInSyncMs} ms; ` +
        `projection killed: taken over in ${projectionKill.takeoverMs} ms, both instances working again in ${projectionKill.rejoinedMs} ms`,
    );
    expect(await checkReady([...sys.system.services, { name: 'projection-2', url: secondProjection.url }])).toEqual([]);
  }, 210_000);
});
