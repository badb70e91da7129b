// The auditor CLI's replay shows progress on a history of at least 100,000
// events. Generates a realistic mixed history (the projection's own mixed-log generator: referrals,
// weekly work, waits, incidents, risk, labelling, closures, reopenings, re-referrals) straight onto
// a fresh case-events topic, starts the projection on it, waits until the live read model has
// applied all of it, then runs `audit replay` as an auditor would and keeps its output.
//
//   pnpm --filter @syv/bench exec tsx replay-history.ts            (REPLAY_BENCH_EVENTS=100000)
//
// Own ports: Kafka 19596, projection 18104. Prints the numbers for docs/benchmarks.md ("Replay").
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { encodeMessage, type CaseEvent } from '@syv/contracts';
import { createPublisher, topicEndOffsets } from '@syv/messaging';
import { mixedLog } from '../services/projection/src/testing/mixed-log.js';
import { repoRoot } from './lib/paths.js';
import { startBenchSystem } from './lib/system.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`usage: pnpm --filter @syv/bench exec tsx replay-history.ts

Generates a mixed history (default 100,000 events; REPLAY_BENCH_EVENTS=N for another size) onto a
fresh case-events topic on its own local broker (port 19596), starts the projection (port 18104),
waits until the live read model has applied it, then runs the auditor CLI's replay and prints its
progress, events/s and whether the replayed read model matches the live one. Takes ~10 minutes at
100,000 events on 2 cores.`);
  process.exit(0);
}

const WANTED = Number(process.env.REPLAY_BENCH_EVENTS ?? 100_000);
const AREA = 'E09000001';
const log = (msg: string) => console.error(`[replay-bench] ${msg}`);

/** Chunks of 400 cases, each interleaved on its own (the generator's interleaving is quadratic). */
function history(wanted: number): CaseEvent[] {
  const events: CaseEvent[] = [];
  for (let seed = 1; events.length < wanted; seed++) events.push(...mixedLog(400, seed, new Date(Date.UTC(2023, 0, 1) + (seed % 12) * 30 * 86_400_000)));
  return events;
}

async function sumOffsets(brokers: string[], topic: string): Promise<number> {
  return (await topicEndOffsets({ brokers, clientId: 'replay-bench' }, topic)).reduce((n, p) => n + Number(p.high), 0);
}

const sys = await startBenchSystem({ only: ['projection'], basePort: 18100, kafkaPort: 19596, log });
try {
  const t0 = Date.now();
  const events = history(WANTED);
  log(`generated ${events.length} events of ${new Set(events.map((e) => e.subject)).size} cases in ${Date.now() - t0} ms`);
  const publisher = await createPublisher({ brokers: sys.kafkaBrokers, clientId: 'replay-bench' });
  const t1 = Date.now();
  for (let i = 0; i < events.length; i += 2_000) await publisher.publish(sys.caseEventsTopic, events.slice(i, i + 2_000).map(encodeMessage));
  await publisher.close();
  const publishMs = Date.now() - t1;
  log(`published in ${publishMs} ms`);

  // The live projection applies everything (and publishes its own closure.assessed onto the same
  // topic, which it then applies too): wait until its stored offsets reach the end and stay there.
  const db = new pg.Client({ connectionString: sys.databaseUrl });
  await db.connect();
  const t2 = Date.now();
  let stable = 0;
  let applied = 0;
  while (stable < 3) {
    await new Promise((r) => setTimeout(r, 2_000));
    const end = await sumOffsets(sys.kafkaBrokers, sys.caseEventsTopic);
    const { rows } = await db.query<{ n: string | null }>(`SELECT sum(next_offset)::text AS n FROM projection.consumer_offsets WHERE consumer = 'projection-read-model'`);
    applied = Number(rows[0]?.n ?? 0);
    stable = applied === end ? stable + 1 : 0;
    log(`live read model: ${applied}/${end} offsets applied`);
  }
  const liveMs = Date.now() - t2;
  await db.end();

  const token = await sys.token('auditor', [AREA], 'aud-bench');
  const t3 = Date.now();
  const output: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'services/projection/src/cli/main.ts'), 'replay', '--url', sys.url('projection')], {
      cwd: repoRoot,
      env: { ...process.env, SYV_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const take = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        output.push(line);
        console.log(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const replayMs = Date.now() - t3;
  const summary = {
    events: events.length,
    topicOffsets: applied,
    cases: new Set(events.map((e) => e.subject)).size,
    publishMs,
    livePerSecond: Math.round((applied * 1000) / liveMs),
    liveCatchUpMs: liveMs,
    replayWallMs: replayMs,
    cliExit: code,
  };
  console.log(JSON.stringify(summary, null, 2));
  writeFileSync(join(repoRoot, '.data', 'replay-bench-output.txt'), `${output.join('\n')}\n${JSON.stringify(summary, null, 2)}\n`);
} finally {
  await sys.stop();
}
