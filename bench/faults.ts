// Faults under load: while referrals, interventions and closure requests arrive,
// kill -9 each service once, restart the Kafka broker once and PostgreSQL once, then prove that
// every write acknowledged with a 2xx is on case-events exactly once by event id, in the
// projection's read model, and that each alert was raised exactly once. Exits 1 on any loss.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '@syv/launcher';
import { startOwnInfra, type OwnInfra } from '@syv/test-harness';
import { loadUnderFaults, type Fault } from '../e2e/support/faults/load.js';
import { checkReady, verifyAcknowledged, type Problem } from '../e2e/support/faults/verify.js';
import { startOwnSystem, type OwnSystem } from './lib/own-system.js';
import { repoRoot } from './lib/paths.js';
import { elapsedLog, parseOptions, positiveInt } from './lib/args.js';

const usage = `usage: pnpm --filter @syv/bench faults -- [options]

Starts its own Kafka broker (local, --kafka-port, data in .data/bench-faults/kafka) and its own
embedded PostgreSQL (--pg-port, data in .data/bench-faults/pg) — never the machine's — and the
referral, intervention, case-closure and projection services. Under a write load it kills each
service with SIGKILL once, restarts the broker once and PostgreSQL once, then checks every
acknowledged write. Exit 0: nothing lost or doubled; 1: a loss, a doubling, a crash; 2: bad usage.

options:
  --concurrency C   write loops in flight (default 8)
  --gap S           seconds of load between faults (default 6)
  --max-requests N  stop the load after N requests whatever happens (default 40000)
  --settle S        how long to wait for everything to arrive downstream (default 90)
  --no-projection   leave the projection out (no read-model or alert checks)
  --base-port P     services on P+1..P+4 (default 21000)
  --kafka-port K    the run's own broker, controller on K+1 (default 21592)
  --pg-port Q       the run's own PostgreSQL (default 21432)
  --help            this text`;

const values = parseOptions(usage, { concurrency: '8', gap: '6', 'max-requests': '40000', settle: '90', 'no-projection': false, 'base-port': '21000', 'kafka-port': '21592', 'pg-port': '21432' });
const int = (name: string, raw: string): number => positiveInt(name, raw, usage);
const concurrency = int('concurrency', values.concurrency);
const gapMs = int('gap', values.gap) * 1_000;
const maxRequests = int('max-requests', values['max-requests']);
const settleMs = int('settle', values.settle) * 1_000;
const withProjection = !values['no-projection'] && existsSync(join(repoRoot, 'services', 'projection', 'src', 'main.ts'));

const AREA = 'E09000007';
const started = Date.now();
const log = elapsedLog();

let infra: OwnInfra | undefined;
let sys: OwnSystem | undefined;
const problems: Problem[] = [];

async function main(): Promise<void> {
  infra = await startOwnInfra({ dataDir: join(repoRoot, '.data', 'bench-faults'), pgPort: int('pg-port', values['pg-port']), kafkaPort: int('kafka-port', values['kafka-port']), log });
  const only: ServiceName[] = ['referral', 'intervention', 'case-closure', ...(withProjection ? (['projection'] as const) : [])];
  log(`starting ${only.join(', ')}`);
  // Short polls so a restarted relay or consumer catches up within the settle time.
  sys = await startOwnSystem(infra, { only, basePort: int('base-port', values['base-port']), env: { OUTBOX_POLL_MS: '200' } });
  const worker = await sys.token('social_worker', [AREA], 'sw-faults');
  const supervisor = await sys.token('supervisor', [AREA], 'sup-faults');
  const s = sys;
  const i = infra;

  const schedule: Fault[] = [
    ...only.map((name): Fault => ({ name: `kill -9 ${name}`, run: () => s.system.restart(name, 'kill') })),
    { name: 'restart Kafka broker', run: () => i.restartKafka() },
    { name: 'restart PostgreSQL', run: () => i.restartPostgres() },
  ];
  // A fault that threw (a service that did not come back) fails the run here.
  const { stats, faults } = await loadUnderFaults({
    load: { urls: { referral: s.url('referral'), intervention: s.url('intervention'), caseClosure: s.url('case-closure') }, token: worker, area: AREA, concurrency, maxRequests },
    faults: schedule,
    gapMs,
    log,
  });
  const ack = stats.acknowledged;
  const count = (k: string) => ack.filter((a) => a.kind === k).length;
  log(`load over: ${stats.sent} requests, ${ack.length} acknowledged (${count('referral')} referrals, ${count('intervention')} interventions, ${count('closure')} closure requests); not acknowledged: ${JSON.stringify(stats.refused)}`);

  const verified = await verifyAcknowledged({
    brokers: i.kafkaBrokers,
    topics: s.topics,
    acknowledged: ack,
    ...(withProjection ? { projection: { url: s.url('projection'), token: supervisor } } : {}),
    settleMs,
    log,
  });
  problems.push(...verified.problems);
  if (verified.alerts) {
    const byRule = new Map<string, number>();
    for (const a of verified.alerts.api) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
    log(`alerts: ${verified.alerts.api.length} in GET /v1/alerts (${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}), ${verified.alerts.raised.length} alert.raised messages; ${verified.labelled.size} labelled interventions acknowledged`);
  }
  problems.push(...(await checkReady(s.system.services)));

  console.log('\n=== faults under load: summary ===');
  console.log(`services: ${only.join(', ')}${withProjection ? '' : ' (projection left out)'}`);
  console.log(`faults: ${faults.map((f) => `${f.fault} (${(f.ms / 1_000).toFixed(1)} s)`).join('; ')}`);
  console.log(`requests ${stats.sent}; acknowledged ${ack.length}: referrals ${count('referral')}, interventions ${count('intervention')} (labelled ${ack.filter((a) => a.labelled).length}), closure requests ${count('closure')}`);
  console.log(`not acknowledged: ${JSON.stringify(stats.refused)}`);
  console.log(`case-events: ${verified.index.messages} messages, ${verified.index.repeats} redelivered copies of an event id (allowed: at-least-once)`);
  console.log(`problems: ${problems.length}`);
  for (const p of problems.slice(0, 40)) console.log(`  ${p.what}: ${p.detail}`);
  console.log(`elapsed ${((Date.now() - started) / 1_000).toFixed(0)} s`);
}

const hardLimit = setTimeout(() => {
  console.error('faults: still running after 15 minutes; giving up');
  process.exit(1);
}, 15 * 60_000);
hardLimit.unref();

let failed = false;
try {
  await main();
} catch (err) {
  failed = true;
  console.error(`faults: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (sys) console.error(`--- last service output ---\n${sys.lines.slice(-40).join('\n')}`);
} finally {
  if (problems.length > 0 && sys) console.error(`--- last service output ---\n${sys.lines.slice(-40).join('\n')}`);
  await sys?.stop().catch((err: unknown) => console.error(`stopping services: ${String(err)}`));
  await infra?.stop().catch((err: unknown) => console.error(`stopping infra: ${String(err)}`));
}
process.exit(failed || problems.length > 0 ? 1 : 0);
