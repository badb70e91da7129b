// The projection's resident memory (RSS) over a read model of many cases, by
// default 1,000,000, while it does the things whose memory grows with the number of cases.
//
// The read model is written straight from the generated events with the projection's own slice
// apply (no Kafka in between, so the load is quick): each case is a referral, the case opening, and one intervention two
// days later, dated across 2023, spread over ten areas. The same events go onto the topic, and the
// consumer's offsets are set to its end, so the projection starts caught up, as after a rebuild.
// Then, with RSS sampled from /proc/<pid>/status every 500 ms:
//   1. idle after start;
//   2. reads: case lists, stats and alerts of one area (100,000 cases);
//   3. the sweep: every case is due, so its first round selects all of them;
//   4. an auditor's replay request: the live snapshot digests every case (then it is cancelled).
//
//   cd bench && pnpm exec tsx memory.ts --help
import pg from 'pg';
import { encodeMessage, type CaseEvent } from '@syv/contracts';
import { migrate, withTransaction } from '@syv/event-store';
import { createPublisher, topicEndOffsets } from '@syv/messaging';
import { applySlice } from '../services/projection/src/read-model/apply-slice.js';
import type { ReadModel } from '../services/projection/src/read-model/context.js';
import { projectionMigrations } from '../services/projection/src/read-model/schema.js';
import { caseStory } from '../services/projection/src/testing/case-story.js';
import { ruleSettingsOf } from '../services/projection/src/fold/step.js';
import { parseOptions, positiveInt, rssMiB } from './lib/args.js';
import { startBenchSystem } from './lib/system.js';

const USAGE = `usage: cd bench && pnpm exec tsx memory.ts [--cases N] [--phase-seconds S]

Writes a read model of N cases (default 1,000,000) through the projection's slice apply, starts it (caught
up) and samples its RSS while idle, while serving reads, during the sweep's first round over every
case (and how long that round takes), and during an auditor's replay request (how long the request
takes to answer; RSS while the live side is digested). Own ports: Kafka 19896, projection 18404.
The idle and reads phases last --phase-seconds (default 60); the sweep and replay phases at least
that, and until the round or the live digest is done.`;
const opts = parseOptions(USAGE, { cases: '1000000', 'phase-seconds': '60' });
const CASES = positiveInt('cases', opts.cases, USAGE);
const PHASE_S = positiveInt('phase-seconds', opts['phase-seconds'], USAGE);
const AREAS = Array.from({ length: 10 }, (_, i) => `E0900000${i}`);
const CHUNK = 5_000;
const log = (msg: string) => console.error(`[memory ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

const rm: ReadModel = { schema: 'projection', ...ruleSettingsOf() };

function stories(from: number, n: number): CaseEvent[][] {
  const out: CaseEvent[][] = [];
  for (let c = from; c < from + n; c++) {
    const s = caseStory(new Date(Date.UTC(2023, 0, 1) + (c % 300) * 86_400_000), { area: AREAS[c % AREAS.length]!, childId: `child-${c}` });
    s.referral(0);
    s.intervention(2);
    out.push(s.events);
  }
  return out;
}

/** The cases written as the consumer writes them: the projection's own slice apply, 5,000 events a transaction. */
async function writeRows(pool: pg.Pool, topic: string, cases: CaseEvent[][], offset: { next: number }): Promise<void> {
  const events = cases.flat().map((event) => ({ event, at: { topic, partition: 0, offset: String(offset.next++) } }));
  for (let i = 0; i < events.length; i += 5_000) await withTransaction(pool, (client) => applySlice(client, rm, events.slice(i, i + 5_000)));
}

async function load(databaseUrl: string, brokers: string[], topic: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await migrate(pool, 'projection', projectionMigrations('projection'));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const publisher = await createPublisher({ brokers, clientId: 'memory-bench' });
  const t0 = performance.now();
  const offset = { next: 0 };
  try {
    for (let done = 0; done < CASES; done += CHUNK) {
      const cases = stories(done, Math.min(CHUNK, CASES - done));
      const events = cases.flat();
      for (let i = 0; i < events.length; i += 2_000) await publisher.publish(topic, events.slice(i, i + 2_000).map(encodeMessage));
      await writeRows(pool, topic, cases, offset);
      if ((done / CHUNK) % 10 === 9 || done + CHUNK >= CASES) log(`loaded ${fmt(Math.min(done + CHUNK, CASES))} cases, ${fmt(offset.next)} events (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    // Caught up: the consumer resumes from the stored offsets, which are the topic's end.
    for (const p of await topicEndOffsets({ brokers, clientId: 'memory-bench' }, topic)) {
      await db.query(`INSERT INTO projection.consumer_offsets (consumer, topic, partition, next_offset) VALUES ('projection-read-model', $1, $2, $3)`, [topic, p.partition, p.high]);
    }
    await db.query('VACUUM ANALYZE projection.cases');
  } finally {
    await publisher.close();
    await db.end();
    await pool.end();
  }
}

const sys = await startBenchSystem({
  only: ['projection'],
  basePort: 18400,
  kafkaPort: 19896,
  log,
  // The sweep's first round comes one interval after the start: timed to fall after the idle and
  // read phases. Every case is quiet and due, so that round selects all of them.
  env: { SWEEP_INTERVAL_MS: String((2 * PHASE_S + 5) * 1000), SWEEP_QUIET_MS: '0' },
  beforeServices: ({ databaseUrl, kafkaBrokers, caseEventsTopic }) => load(databaseUrl, kafkaBrokers, caseEventsTopic),
});
let exitCode = 0;
try {
  const projection = sys.system.services.find((s) => s.name === 'projection');
  const pid = projection?.pid;
  if (!pid) throw new Error('the projection has no pid');
  const url = sys.url('projection');
  const supervisor = await sys.token('supervisor', [AREAS[0]!], 'sup-memory');
  const auditor = await sys.token('auditor', AREAS, 'aud-memory');
  const phases: { phase: string; startMiB: number; peakMiB: number; endMiB: number; note: string }[] = [];
  let sweepRound: { cases: number; seconds: number } | undefined;
  let replayAnswerMs = NaN;

  async function phase(name: string, work: (until: number) => Promise<string>): Promise<void> {
    const samples: number[] = [rssMiB(pid!)];
    const timer = setInterval(() => samples.push(rssMiB(pid!)), 500);
    const until = performance.now() + PHASE_S * 1000;
    let note = '';
    try {
      note = await work(until);
      while (performance.now() < until) await new Promise((r) => setTimeout(r, 250));
    } finally {
      clearInterval(timer);
    }
    samples.push(rssMiB(pid!));
    const p = { phase: name, startMiB: samples[0]!, peakMiB: Math.max(...samples), endMiB: samples.at(-1)!, note };
    phases.push(p);
    log(`${name}: RSS ${p.startMiB.toFixed(0)} → peak ${p.peakMiB.toFixed(0)} → ${p.endMiB.toFixed(0)} MiB ${note}`);
  }
  const get = async (path: string, token: string) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${body.slice(0, 300)}`);
    return body;
  };

  await phase('idle', async () => '');
  await phase('reads', async (until) => {
    let n = 0;
    while (performance.now() < until) {
      await get('/v1/cases?limit=200', supervisor);
      await get(`/v1/stats?area=${AREAS[0]}`, supervisor);
      await get('/v1/alerts?limit=200', supervisor);
      n += 3;
    }
    return `(${n} requests: case list, stats, alerts of one area)`;
  });
  await phase('sweep', async () => {
    // Every case is due: the first round checks all of them. Its length is the projection's own
    // figure (metrics), so the bench puts no load of its own on the database meanwhile.
    const metric = async (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? NaN);
    const deadline = performance.now() + 15 * 60_000;
    while (performance.now() < deadline && !((await metric('projection_sweep_runs')) >= 1)) await new Promise((r) => setTimeout(r, 2_000));
    sweepRound = { cases: await metric('projection_sweep_last_round_cases'), seconds: await metric('projection_sweep_last_round_seconds') };
    return `(${fmt(sweepRound.cases)} cases checked in the first round, ${sweepRound.seconds.toFixed(0)} s)`;
  });
  await phase('replay request (live snapshot)', async () => {
    const t = performance.now();
    const res = await fetch(`${url}/v1/audit/replays`, { method: 'POST', headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' }, body: '{}' });
    replayAnswerMs = performance.now() - t;
    const body = (await res.json()) as { replayId?: string };
    if (res.status !== 202 && res.status !== 201) throw new Error(`POST /v1/audit/replays answered ${res.status}: ${JSON.stringify(body)}`);
    // The live side is digested first; the rebuild reading the topic means it is done.
    const deadline = performance.now() + 15 * 60_000;
    let status = '';
    while (performance.now() < deadline) {
      status = await get(`/v1/audit/replays/${body.replayId}`, auditor);
      if ((JSON.parse(status) as { eventsDone?: number }).eventsDone) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    const digestS = (performance.now() - t) / 1000;
    await fetch(`${url}/v1/audit/replays/${body.replayId}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${auditor}` } });
    return `(POST answered in ${replayAnswerMs.toFixed(0)} ms; live side digested and the rebuild reading after ${digestS.toFixed(0)} s; then cancelled)`;
  });

  console.log(`\nprojection RSS over a read model of ${fmt(CASES)} cases (MiB; sampled every 500 ms, ${PHASE_S} s per phase)`);
  console.log('phase                              start    peak     end');
  for (const p of phases) console.log(`${p.phase.padEnd(34)} ${p.startMiB.toFixed(0).padStart(5)}  ${p.peakMiB.toFixed(0).padStart(6)}  ${p.endMiB.toFixed(0).padStart(6)}  ${p.note}`);
  if (sweepRound) console.log(`sweep round: ${fmt(sweepRound.cases)} cases in about ${sweepRound.seconds.toFixed(0)} s = ${fmt(sweepRound.cases / sweepRound.seconds)} cases/s`);
  console.log(`replay request answered in ${replayAnswerMs.toFixed(0)} ms`);
} catch (err) {
  exitCode = 1;
  console.error(`memory bench failed: ${err instanceof Error ? err.message : String(err)}`);
  console.error(sys.lines.slice(-40).join('\n'));
} finally {
  await sys.stop();
}
process.exit(exitCode);
