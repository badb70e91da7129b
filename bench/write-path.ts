// Write path: autocannon against POST /v1/cases/{caseId}/interventions with valid
// tokens over many cases, at saturation and at a fixed rate, and in the same run the same load
// against a plain Fastify route doing one INSERT into the same PostgreSQL, as the yardstick.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startOwnInfra, type OwnInfra } from '@syv/test-harness';
import { startOwnSystem, type OwnSystem } from './lib/own-system.js';
import { repoRoot } from './lib/paths.js';
import { measure, type Measurement } from './write-path/measure.js';
import { elapsedLog, parseOptions, positiveInt } from './lib/args.js';
import { formatWaits, sampleWaits } from './lib/pg-waits.js';

const usage = `usage: pnpm --filter @syv/bench write -- [options]

Starts its own Kafka broker and embedded PostgreSQL (never the machine's), the referral and
intervention services, opens --cases cases and waits until the intervention service knows each.
Then, for each mode (saturation, then --rate req/s), runs autocannon for --duration seconds first
against a plain Fastify route doing one INSERT into the same PostgreSQL (own process, same pool
size), then against the intervention service; --rounds repeats that, interleaved.

options:
  --duration S      seconds per measured run (default 20)
  --connections C   autocannon connections (default 32)
  --rate R          the fixed-rate mode, requests/s over all connections (default 500)
  --cases N         cases to spread the writes over (default 200)
  --rounds K        repeat both modes K times (default 1)
  --base-port P     services on P+1, P+2; the plain server on P+9 (default 22000)
  --kafka-port K    own broker (default 22592)
  --pg-port Q       own PostgreSQL (default 22432)
  --cpu-prof DIR    write CPU profiles of the services into DIR (node --cpu-prof; summarise one with
                    bench/cpu-profile-summary.ts FILE)
  --idempotency     send a fresh Idempotency-Key with every request (both targets; the plain route
                    ignores it)
  --waits           sample pg_stat_activity every 50 ms during each measured run and print what the
                    active backends waited on
  --help            this text`;

const values = parseOptions(usage, { duration: '20', connections: '32', rate: '500', cases: '200', rounds: '1', 'base-port': '22000', 'kafka-port': '22592', 'pg-port': '22432', 'cpu-prof': '', waits: false, idempotency: false });
const int = (name: keyof typeof values): number => positiveInt(name, String(values[name]), usage);
const durationS = int('duration');
const connections = int('connections');
const rate = int('rate');
const caseCount = int('cases');
const rounds = int('rounds');
const basePort = int('base-port');
const POOL_SIZE = 10; // the services' DATABASE_POOL_SIZE default, passed to both sides explicitly
const AREA = 'E09000012';
const log = elapsedLog();

const body = JSON.stringify({
  agency: 'youth_justice',
  kind: 'direct_work',
  deliveredAt: new Date(Date.now() - 3_600_000).toISOString(),
  withChild: true,
  withFamily: false,
  durationMinutes: 45,
  notes: 'Met at the youth centre; talked about getting home safely and about college.',
});

async function post(url: string, token: string, payload: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: payload });
  const text = await res.text();
  return { status: res.status, json: res.ok ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function openCases(sys: OwnSystem, token: string): Promise<string[]> {
  const caseIds: string[] = [];
  const queue = Array.from({ length: caseCount }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (queue.pop() !== undefined) {
        const res = await post(`${sys.url('referral')}/v1/referrals`, token, JSON.stringify({
          childId: `wp-${randomUUID().slice(0, 12)}`,
          area: AREA,
          sourceAgency: 'school',
          concerns: ['criminal_exploitation'],
          riskLevel: 'medium',
          receivedAt: new Date(Date.now() - 7 * 86_400_000).toISOString(),
        }));
        if (res.status !== 201) throw new Error(`opening a case answered ${res.status}`);
        caseIds.push(String(res.json.caseId));
      }
    }),
  );
  // The intervention service learns of cases from case-events: one accepted intervention per case
  // proves it knows them all before anything is measured.
  const deadline = Date.now() + 60_000;
  for (const caseId of caseIds) {
    for (;;) {
      const res = await post(`${sys.url('intervention')}/v1/cases/${caseId}/interventions`, token, body);
      if (res.status === 201) break;
      if (res.status !== 404 || Date.now() > deadline) throw new Error(`case ${caseId}: intervention answered ${res.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return caseIds;
}

async function startPlain(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench', 'write-path', 'plain-server.ts')], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), DATABASE_POOL_SIZE: String(POOL_SIZE) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`plain server exited (${String(code)}) before it was ready`)));
  });
  return child;
}

const fmt = (m: Measurement) =>
  `${m.target.padEnd(12)} ${m.mode.padEnd(12)} ${m.requestsPerSec.toFixed(0).padStart(6)} req/s  p50 ${String(m.p50).padStart(4)} ms  p99 ${String(m.p99).padStart(4)} ms  2xx ${m.ok}  non-2xx ${m.non2xx}  errors ${m.errors}  timeouts ${m.timeouts}`;

let infra: OwnInfra | undefined;
let sys: OwnSystem | undefined;
let plain: ChildProcess | undefined;
let failed = false;
try {
  infra = await startOwnInfra({ dataDir: join(repoRoot, '.data', 'bench-write-path'), pgPort: int('pg-port'), kafkaPort: int('kafka-port'), log });
  sys = await startOwnSystem(infra, {
    only: ['referral', 'intervention'],
    basePort,
    env: { DATABASE_POOL_SIZE: String(POOL_SIZE) },
    ...(values['cpu-prof'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] } : {}),
  });
  const token = await sys.token('social_worker', [AREA], 'sw-write-path');
  log(`opening ${caseCount} cases`);
  const caseIds = await openCases(sys, token);
  log(`the intervention service knows all ${caseIds.length} cases`);
  const plainPort = basePort + 9;
  plain = await startPlain(sys.databaseUrl, plainPort);
  const targets = { plain: `http://127.0.0.1:${plainPort}`, intervention: sys.url('intervention') };
  // Warm both (JIT, pools) before anything counts.
  for (const [target, url] of Object.entries(targets)) await measure({ target, mode: 'warm-up', url, caseIds, token, body, connections, durationS: 3 });
  const results: Measurement[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const mode of ['saturation', `${rate} req/s`]) {
      for (const [target, url] of Object.entries(targets)) {
        log(`round ${round}/${rounds}: ${target}, ${mode}, ${durationS} s, ${connections} connections`);
        const sampler = values.waits ? await sampleWaits(sys.databaseUrl) : undefined;
        const m = await measure({ target, mode, url, caseIds, token, body, connections, durationS, idempotencyKeys: values.idempotency, ...(mode === 'saturation' ? {} : { rate }) });
        log(fmt(m));
        if (sampler) log(`pg_stat_activity during ${target}, ${mode}:\n${formatWaits(await sampler.stop())}`);
        results.push(m);
      }
    }
  }
  console.log('\n=== write path: summary ===');
  for (const m of results) console.log(fmt(m));
  for (const mode of new Set(results.map((m) => m.mode))) {
    const of = (t: string) => results.filter((m) => m.mode === mode && m.target === t);
    const avg = (xs: Measurement[], f: (m: Measurement) => number) => xs.reduce((s, m) => s + f(m), 0) / xs.length;
    const [ours, peer] = [of('intervention'), of('plain')];
    console.log(`${mode}: intervention/plain throughput ${(avg(ours, (m) => m.requestsPerSec) / avg(peer, (m) => m.requestsPerSec)).toFixed(2)}, p50 ${(avg(ours, (m) => m.p50) / avg(peer, (m) => m.p50)).toFixed(2)}×, p99 ${(avg(ours, (m) => m.p99) / avg(peer, (m) => m.p99)).toFixed(2)}×`);
  }
  if (results.some((m) => m.non2xx > 0 || m.errors > 0)) {
    failed = true;
    console.log('some requests were not answered 2xx (see above)');
  }
} catch (err) {
  failed = true;
  console.error(`write-path: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (sys) console.error(sys.lines.slice(-30).join('\n'));
} finally {
  plain?.kill('SIGTERM');
  await sys?.stop().catch(() => undefined);
  await infra?.stop().catch(() => undefined);
}
process.exit(failed ? 1 : 0);
