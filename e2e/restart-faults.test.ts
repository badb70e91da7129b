import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceName } from '@syv/launcher';
import { repoRoot, startOwnInfra, type OwnInfra } from '@syv/test-harness';
import { loadUnderFaults } from './support/faults/load.js';
import { checkReady, verifyAcknowledged } from './support/faults/verify.js';
import { startE2eSystem, type E2eSystem } from './support/system.js';

// Nothing acknowledged is lost or doubled when the infrastructure goes away under load: while
// referrals, interventions and closure requests arrive, the Kafka broker is restarted, then
// PostgreSQL. Every write answered 2xx must then be on case-events under exactly one event id, once
// in the projection's read model, and each alert raised exactly once. The broker and the server are
// this file's own (restarting the run's would pull them from under the other files); the load is
// short and capped, so the file costs about a minute and a half.

const AREA = 'E09000007';
const PORTS = { services: 19800, postgres: 19832, kafka: 19852 };
const SERVICES: ServiceName[] = ['referral', 'intervention', 'case-closure', 'projection'];
const CONCURRENCY = 4;
/** Seconds of load before the first fault, between them and after the last. */
const GAP_MS = 4_000;
const MAX_REQUESTS = 8_000;
const SETTLE_MS = 60_000;

const started = Date.now();
const log = (msg: string) => console.log(`[restart-faults ${((Date.now() - started) / 1_000).toFixed(1).padStart(5)} s] ${msg}`);

let infra: OwnInfra;
let sys: E2eSystem;

beforeAll(async () => {
  infra = await startOwnInfra({ dataDir: join(repoRoot, '.data', 'e2e-restart-faults'), pgPort: PORTS.postgres, kafkaPort: PORTS.kafka, freshKafka: true, log });
  sys = await startE2eSystem({
    only: SERVICES,
    basePort: PORTS.services,
    infra: { databaseUrl: infra.adminUrl, kafkaBrokers: infra.kafkaBrokers },
    // Short polls so a relay or consumer back from a restart catches up within the settle time.
    env: { OUTBOX_POLL_MS: '200' },
  });
  log('broker, PostgreSQL and services up');
});

afterAll(async () => {
  await sys?.stop();
  await infra?.stop();
});

describe('restarts of the infrastructure under load', () => {
  it('lose and double no acknowledged write when the broker and then PostgreSQL restart', async () => {
    const worker = await sys.token('social_worker', [AREA], 'sw-restarts');
    const supervisor = await sys.token('supervisor', [AREA], 'sup-restarts');
    const { stats, faults } = await loadUnderFaults({
      load: {
        urls: { referral: sys.url('referral'), intervention: sys.url('intervention'), caseClosure: sys.url('case-closure') },
        token: worker,
        area: AREA,
        concurrency: CONCURRENCY,
        maxRequests: MAX_REQUESTS,
      },
      faults: [
        { name: 'restart the Kafka broker', run: () => infra.restartKafka() },
        { name: 'restart PostgreSQL', run: () => infra.restartPostgres() },
      ],
      gapMs: GAP_MS,
      log,
    });
    const ack = stats.acknowledged;
    const count = (kind: string) => ack.filter((a) => a.kind === kind).length;
    log(
      `load over: ${stats.sent} requests, ${ack.length} acknowledged (${count('referral')} referrals, ${count('intervention')} interventions, ` +
        `${count('closure')} closure requests); not acknowledged: ${JSON.stringify(stats.refused)}; ` +
        `faults: ${faults.map((f) => `${f.fault} ${f.ms} ms`).join(', ')}`,
    );
    expect(stats.sent, 'the cap on requests ended the load before the faults were over').toBeLessThan(MAX_REQUESTS);
    expect(ack.length).toBeGreaterThan(0);
    // Writes were taken again after each restart, not only before the first.
    expect(faults.map((f) => f.fault)).toEqual(['restart the Kafka broker', 'restart PostgreSQL']);
    const afterEach = faults.map((f, i) => (faults[i + 1]?.acknowledgedBefore ?? ack.length) - f.acknowledgedAfter);
    expect(afterEach.every((n) => n > 0), `writes acknowledged after each restart: ${afterEach.join(', ')}`).toBe(true);

    const verified = await verifyAcknowledged({
      brokers: infra.kafkaBrokers,
      topics: sys.topics,
      acknowledged: ack,
      projection: { url: sys.url('projection'), token: supervisor },
      settleMs: SETTLE_MS,
      log,
    });
    log(
      `case-events: ${verified.index.messages} messages, ${verified.index.repeats} redelivered copies; ` +
        `${verified.alerts?.api.length} alerts, ${verified.labelled.size} labelled interventions acknowledged`,
    );
    expect(verified.problems.slice(0, 20)).toEqual([]);
    // The alert check had something to check: labelled interventions were acknowledged and alerted.
    expect(verified.labelled.size).toBeGreaterThan(0);
    expect(verified.alerts?.api.filter((a) => a.rule === 'LABELLING_LANGUAGE').length).toBeGreaterThanOrEqual(verified.labelled.size);
    expect(await checkReady(sys.system.services)).toEqual([]);
  }, 180_000);
});
