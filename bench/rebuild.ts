// Rebuild the read model from a large case-events topic, against kcat
// reading the same topic raw as the ceiling, and the projection's memory (RSS) as the cases grow.
//
// 1. Generates a history chunk by chunk (never all in memory) straight onto a fresh case-events
//    topic of its own broker, and writes down what it generated (events per type, per case).
// 2. kcat reads the whole topic raw (every payload to a pipe): the ceiling for reading it. Then the
//    Kafka client the projection uses reads it, doing nothing, and again decoding every event.
// 3. Starts the projection on the full topic: from offset 0 on an empty database that is a
//    rebuild. Samples its RSS (/proc/<pid>/status) and the applied offsets every few seconds
//    until it has applied the whole topic (including the closure.assessed it publishes itself).
// 4. Then keeps watching RSS while the sweep runs over every case and a few reads are made.
//
//   cd bench && pnpm exec tsx rebuild.ts --help
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { decodeCaseMessage, encodeMessage, findLabellingLanguage, type CaseEvent } from '@syv/contracts';
import { sealEvent } from '../packages/personal-data/src/index.js';
import { createPublisher, createSubscriber, topicEndOffsets } from '@syv/messaging';
import type { ReplayView } from '../services/projection/src/audit/replay-view.js';
import { caseStory } from '../services/projection/src/testing/case-story.js';
import { mixedLog } from '../services/projection/src/testing/mixed-log.js';
import { parseOptions, positiveInt, rssMiB } from './lib/args.js';
import { startBenchSystem } from './lib/system.js';

const USAGE = `usage: cd bench && pnpm exec tsx rebuild.ts [options]

Rebuilds the projection's read model from a generated case-events topic and reports events/s
against kcat reading the same topic raw (the ceiling), and the projection's RSS as cases grow.
Own ports: Kafka 19796, projection 18304. Needs kcat (Debian: apt-get install -y kcat).

  --cases N          cases to generate (default 100000)
  --shape S          mixed: the projection's mixed history, 400-case chunks interleaved (default)
                     thin:  a referral and one intervention per case (many cases, few events)
  --max-sessions N   mixed: interventions per case are uniform in 3..N (default 24: ~20 events/case)
  --watch-after S    seconds to keep sampling RSS after the rebuild, while the sweep runs (default 120)
  --sweep-ms N       the projection's SWEEP_INTERVAL_MS (default 30000)
  --slice N          the projection's APPLY_SLICE_SIZE, most events per transaction (default: its own)
  --partitions P     partitions of the case-events topic (default 3)
  --instances N      projection instances in one consumer group (default 1); RSS is the first's
  --concurrency N    the projection's APPLY_PARTITIONS_CONCURRENTLY (default: its own)
  --cpu-prof DIR     write a CPU profile of the projection into DIR (read it with Chrome DevTools)
  --burst N          after the watch, publish about N more events (new cases) into the running
                     system and time the live consumer catching up with them (default 0: no burst)
  --replay           at the end, an auditor's replay through the API over the whole log: time to
                     answer the request, events/s, and whether the checksums match
  --sealed           seal every free text as the services write them (AES-256-GCM under a key per
                     case, with the labelling findings beside it), to measure what sealing costs a
                     rebuild; without it the texts are plain, as events recorded before sealing
  --json FILE        also write the results as JSON to FILE
  -h, --help         this text

Progress goes to stderr; the results table to stdout. Exits non-zero if the projection does not
apply the whole topic, or dies.`;

const opts = parseOptions(USAGE, { cases: '100000', shape: 'mixed', 'max-sessions': '24', 'watch-after': '120', 'sweep-ms': '30000', slice: '', concurrency: '', 'cpu-prof': '', burst: '0', replay: false, sealed: false, partitions: '3', instances: '1', json: '' });
const CASES = positiveInt('cases', opts.cases, USAGE);
const SHAPE = opts.shape;
if (SHAPE !== 'mixed' && SHAPE !== 'thin') {
  console.error(`--shape must be mixed or thin, got '${SHAPE}'\n\n${USAGE}`);
  process.exit(2);
}
const MAX_SESSIONS = positiveInt('max-sessions', opts['max-sessions'], USAGE);
const WATCH_AFTER_S = positiveInt('watch-after', opts['watch-after'], USAGE);
const SWEEP_MS = positiveInt('sweep-ms', opts['sweep-ms'], USAGE);
const JSON_OUT = opts.json;
const SEALED = opts.sealed === true;
const PARTITIONS = positiveInt('partitions', opts.partitions, USAGE);
const INSTANCES = positiveInt('instances', opts.instances, USAGE);

if (spawnSync('kcat', ['-V']).status !== 0) {
  console.error('kcat is not installed: it reads the topic raw as the ceiling. On Debian: apt-get install -y kcat');
  process.exit(2);
}

const log = (msg: string) => console.error(`[rebuild ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const CHUNK = 400;

/** What was generated, for the write-up: counts per type and the spread of events per case. */
const generated = { events: 0, cases: 0, byType: new Map<string, number>(), perCase: [] as number[] };
function tally(events: readonly CaseEvent[]): void {
  const perCase = new Map<string, number>();
  for (const e of events) {
    generated.byType.set(e.type, (generated.byType.get(e.type) ?? 0) + 1);
    perCase.set(e.subject, (perCase.get(e.subject) ?? 0) + 1);
  }
  generated.events += events.length;
  generated.cases += perCase.size;
  generated.perCase.push(...perCase.values());
}

/**
 * The events as the command services publish them with `--sealed`: each free text sealed under a
 * key of its case, what the lexicon found kept beside it. The keys live only here: a rebuild never
 * opens a text, it reads the findings.
 */
const keyOfCase = new Map<string, { keyId: string; key: Buffer }>();
function sealed(events: CaseEvent[]): CaseEvent[] {
  if (!SEALED) return events;
  return events.map((e) => {
    let key = keyOfCase.get(e.subject);
    if (!key) keyOfCase.set(e.subject, (key = { keyId: randomUUID(), key: randomBytes(32) }));
    return sealEvent(e, key, findLabellingLanguage);
  });
}

/** One chunk of cases, dated across 2023 (so every time rule has long since had its chance). */
function chunk(seed: number, cases: number): CaseEvent[] {
  return sealed(plainChunk(seed, cases));
}

function plainChunk(seed: number, cases: number): CaseEvent[] {
  const start = new Date(Date.UTC(2023, 0, 1) + (seed % 12) * 30 * 86_400_000);
  if (SHAPE === 'mixed') return mixedLog(cases, seed, start, { maxSessions: MAX_SESSIONS });
  const out: CaseEvent[] = [];
  for (let c = 0; c < cases; c++) {
    const s = caseStory(new Date(start.getTime() + (c % 60) * 86_400_000), { childId: `child-${seed}-${c}` });
    s.referral(0);
    s.intervention(2);
    out.push(...s.events);
  }
  return out;
}

async function fill(brokers: string[], topic: string): Promise<number> {
  const publisher = await createPublisher({ brokers, clientId: 'rebuild-bench' });
  const t0 = performance.now();
  try {
    for (let seed = 1, done = 0; done < CASES; seed++) {
      const n = Math.min(CHUNK, CASES - done);
      const events = chunk(seed, n);
      tally(events);
      for (let i = 0; i < events.length; i += 2_000) await publisher.publish(topic, events.slice(i, i + 2_000).map(encodeMessage));
      done += n;
      if (seed % 25 === 0 || done === CASES) {
        const s = (performance.now() - t0) / 1000;
        log(`published ${done.toLocaleString('en-GB')} cases, ${generated.events.toLocaleString('en-GB')} events (${Math.round(generated.events / s)} events/s)`);
      }
    }
  } finally {
    await publisher.close();
  }
  return performance.now() - t0;
}

async function endOffsets(brokers: string[], topic: string): Promise<number> {
  return (await topicEndOffsets({ brokers, clientId: 'rebuild-bench' }, topic)).reduce((n, p) => n + Number(p.high), 0);
}

/** kcat reading every message of the topic from the beginning to its end, payloads to a pipe. */
async function kcatRead(brokers: string[], topic: string): Promise<{ ms: number; messages: number; bytes: number }> {
  const t0 = performance.now();
  const child = spawn('kcat', ['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let messages = 0;
  let bytes = 0;
  child.stdout.on('data', (b: Buffer) => {
    bytes += b.length;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) messages++;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`kcat exited with ${code}`);
  return { ms: performance.now() - t0, messages, bytes };
}

/**
 * The Kafka client alone, as the projection uses it (packages/messaging's subscriber, kafkajs
 * eachBatch, the fetch size the projection asks for), reading the whole topic and doing nothing with
 * it; with `decode`, also decoding and validating every message as the consumer does.
 */
async function clientRead(brokers: string[], topic: string, total: number, decode: boolean): Promise<{ ms: number; messages: number }> {
  const t = performance.now();
  let messages = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const subscriber = await createSubscriber({
    brokers,
    clientId: 'rebuild-bench-reader',
    groupId: `rebuild-bench-reader-${decode ? 'decode' : 'raw'}-${process.pid}`,
    topics: [topic],
    fromBeginning: true,
    partitionsConcurrently: 3,
    maxBytesPerPartition: 1_000 * 1_536,
    handleBatch: async ({ messages: batch }) => {
      if (decode) for (const m of batch) if (!decodeCaseMessage(m.value).ok) throw new Error(`offset ${m.offset} does not decode`);
      messages += batch.length;
      if (messages >= total) finish();
    },
  });
  await done;
  const ms = performance.now() - t;
  await subscriber.stop();
  return { ms, messages };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

/** What was generated, as two lines: printed once publishing ends (a run stopped later still has it) and in the results. */
function describeGenerated(): string {
  const perCase = [...generated.perCase].sort((a, b) => a - b);
  return `generated       ${fmt(generated.cases)} cases, ${fmt(generated.events)} events (${SHAPE}${SEALED ? ", texts sealed" : ", texts plain"}); events per case min ${perCase[0]} p50 ${pct(perCase, 50)} p90 ${pct(perCase, 90)} max ${perCase.at(-1)}, mean ${(generated.events / generated.cases).toFixed(1)}
by type         ${[...generated.byType].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`;
}

let publishMs = 0;
let published = 0;
let kcat = { ms: 0, messages: 0, bytes: 0 };
let client = { ms: 0, messages: 0 };
let clientDecode = { ms: 0, messages: 0 };
let t0 = 0;
const sys = await startBenchSystem({
  only: ['projection'],
  partitions: PARTITIONS,
  projections: INSTANCES,
  basePort: 18300,
  kafkaPort: 19796,
  log,
  waitFor: 'live',
  env: {
    SWEEP_INTERVAL_MS: String(SWEEP_MS),
    SWEEP_QUIET_MS: '0',
    ...(opts.slice ? { APPLY_SLICE_SIZE: String(positiveInt('slice', opts.slice, USAGE)) } : {}),
    ...(opts.concurrency ? { APPLY_PARTITIONS_CONCURRENTLY: String(positiveInt('concurrency', opts.concurrency, USAGE)) } : {}),
  },
  ...(opts['cpu-prof'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${opts['cpu-prof']}`] } : {}),
  async beforeServices({ kafkaBrokers, caseEventsTopic }) {
    log(`generating ${fmt(CASES)} cases (${SHAPE}${SHAPE === 'mixed' ? `, 3..${MAX_SESSIONS} sessions` : ''}) onto ${caseEventsTopic}`);
    publishMs = await fill(kafkaBrokers, caseEventsTopic);
    published = await endOffsets(kafkaBrokers, caseEventsTopic);
    log(`\n${describeGenerated()}`);
    log(`kcat reading ${fmt(published)} messages raw`);
    kcat = await kcatRead(kafkaBrokers, caseEventsTopic);
    log(`kcat: ${fmt(kcat.messages)} messages, ${(kcat.bytes / 1048576).toFixed(0)} MiB in ${(kcat.ms / 1000).toFixed(1)} s`);
    if (kcat.messages !== published) throw new Error(`kcat read ${kcat.messages} messages of ${published}`);
    client = await clientRead(kafkaBrokers, caseEventsTopic, published, false);
    log(`kafkajs (eachBatch, nothing done): ${fmt(client.messages)} messages in ${(client.ms / 1000).toFixed(1)} s`);
    clientDecode = await clientRead(kafkaBrokers, caseEventsTopic, published, true);
    log(`kafkajs + decoding and validating each event: ${fmt(clientDecode.messages)} messages in ${(clientDecode.ms / 1000).toFixed(1)} s`);
    log(`starting ${INSTANCES === 1 ? 'the projection' : `${INSTANCES} projection instances`} on the full topic of ${PARTITIONS} partitions (a rebuild from offset 0)`);
    t0 = performance.now(); // the rebuild's time includes the process starting, migrating and joining
  },
});
const projection = sys.system.services.find((s) => s.name === 'projection');
const pid = projection?.pid;
let exitCode = 0;
const samples: { s: number; applied: number; cases: number; rssMiB: number }[] = [];
const db = new pg.Client({ connectionString: sys.databaseUrl });
try {
  if (!pid) throw new Error('the projection has no pid');
  let died = false;
  for (const p of sys.projections) void p.exited.then(() => (died = true));
  await db.connect();
  const sample = async () => {
    const { rows } = await db.query<{ applied: string | null; cases: string | null }>(
      `SELECT (SELECT sum(next_offset) FROM projection.consumer_offsets WHERE consumer = 'projection-read-model')::text AS applied,
              (SELECT count(*) FROM projection.cases)::text AS cases`,
    );
    const s = { s: (performance.now() - t0) / 1000, applied: Number(rows[0]?.applied ?? 0), cases: Number(rows[0]?.cases ?? 0), rssMiB: rssMiB(pid) };
    samples.push(s);
    return s;
  };
  // Applied = the consumer's stored offsets; the end moves while the projection publishes
  // closure.assessed onto the same topic, so done is: applied at the end, three polls running.
  let stable = 0;
  let last = await sample();
  while (stable < 3) {
    await new Promise((r) => setTimeout(r, 5_000));
    if (died) throw new Error('the projection exited during the rebuild');
    const end = await endOffsets(sys.kafkaBrokers, sys.caseEventsTopic);
    last = await sample();
    stable = last.applied === end ? stable + 1 : 0;
    const rate = samples.length > 1 ? (last.applied - samples[samples.length - 2]!.applied) / 5 : 0;
    log(`applied ${fmt(last.applied)}/${fmt(end)} offsets, ${fmt(last.cases)} cases, ~${fmt(rate)} events/s, RSS ${last.rssMiB.toFixed(0)} MiB`);
  }
  const rebuildS = samples.find((x) => x.applied === last.applied)!.s;
  const rebuildRss = samples.map((x) => x.rssMiB);
  // Summed over the instances: each applies the partitions it was given.
  const metricsTexts = await Promise.all(sys.projections.map(async (p) => (await fetch(`${p.url}/metrics`)).text()));
  const metric = (name: string) => metricsTexts.reduce((sum, text) => sum + Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN), 0);
  const slices = { transactions: metric('projection_apply_transactions'), events: metric('projection_events_applied') };

  // After the rebuild: the sweep runs over every open case; a supervisor lists cases and stats.
  log(`rebuild done in ${rebuildS.toFixed(0)} s; watching RSS for ${WATCH_AFTER_S} s while the sweep runs`);
  const token = await sys.token('supervisor', ['E09000001'], 'sup-rebuild');
  const after: number[] = [];
  const until = performance.now() + WATCH_AFTER_S * 1000;
  while (performance.now() < until) {
    for (const path of ['/v1/cases?limit=200', '/v1/stats', '/v1/alerts?limit=200']) {
      const res = await fetch(`${sys.url('projection')}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
    }
    after.push(rssMiB(pid));
    await new Promise((r) => setTimeout(r, 2_000));
  }

  // A burst into the running, caught-up system: new cases, published as fast as the producer goes.
  const BURST = Number(opts.burst);
  let burst: { events: number; publishS: number; caughtUpS: number } | undefined;
  if (BURST > 0) {
    const publisher = await createPublisher({ brokers: sys.kafkaBrokers, clientId: 'rebuild-bench-burst' });
    const events: CaseEvent[] = [];
    for (let seed = 1_000_000; events.length < BURST; seed++) events.push(...chunk(seed, CHUNK));
    events.length = BURST;
    const before = await endOffsets(sys.kafkaBrokers, sys.caseEventsTopic);
    log(`burst: publishing ${fmt(events.length)} events into the running system`);
    const tb = performance.now();
    for (let i = 0; i < events.length; i += 2_000) await publisher.publish(sys.caseEventsTopic, events.slice(i, i + 2_000).map(encodeMessage));
    const publishS = (performance.now() - tb) / 1000;
    await publisher.close();
    for (let stableBurst = 0; stableBurst < 2; ) {
      await new Promise((r) => setTimeout(r, 1_000));
      const end = await endOffsets(sys.kafkaBrokers, sys.caseEventsTopic);
      const now = await sample();
      stableBurst = now.applied >= end && end >= before + events.length ? stableBurst + 1 : 0;
    }
    // The second stable poll is a second after the consumer caught up.
    burst = { events: events.length, publishS, caughtUpS: (performance.now() - tb) / 1000 - 1 };
    log(`burst: ${fmt(burst.events)} events applied ${burst.caughtUpS.toFixed(1)} s after the first was published (publishing took ${publishS.toFixed(1)} s)`);
  }

  // The auditor's replay through the API, over the whole log as the live read model has it now.
  let replay: { answerMs: number; seconds: number; events: number; matches: boolean | null; differing: number | null } | undefined;
  if (opts.replay) {
    const auditor = await sys.token('auditor', ['E09000001'], 'aud-rebuild');
    const tr = performance.now();
    const res = await fetch(`${sys.url('projection')}/v1/audit/replays`, { method: 'POST', headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' }, body: '{}' });
    const answerMs = performance.now() - tr;
    const started = (await res.json()) as { replayId?: string };
    if (!started.replayId) throw new Error(`POST /v1/audit/replays answered ${res.status}: ${JSON.stringify(started)}`);
    log(`replay ${started.replayId} requested (answered in ${answerMs.toFixed(0)} ms)`);
    for (;;) {
      await new Promise((r) => setTimeout(r, 5_000));
      const status = (await (await fetch(`${sys.url('projection')}/v1/audit/replays/${started.replayId}`, { headers: { authorization: `Bearer ${auditor}` } })).json()) as ReplayView;
      log(`replay ${status.status}: ${fmt(status.eventsDone)}/${fmt(status.eventsTotal)} events`);
      if (!['running', 'cancelling'].includes(status.status)) {
        if (status.status !== 'finished') throw new Error(`the replay ended ${status.status}`);
        replay = { answerMs, seconds: (performance.now() - tr) / 1000, events: status.eventsDone, matches: status.matches, differing: status.differingCount };
        break;
      }
    }
  }

  const { rows: tables } = await db.query<{ cases: string; events: string; flags: string; alerts: string; swept: string }>(
    `SELECT (SELECT count(*) FROM projection.cases)::text AS cases, (SELECT count(*) FROM projection.case_events)::text AS events,
            (SELECT count(*) FROM projection.case_flags)::text AS flags, (SELECT count(*) FROM projection.alerts)::text AS alerts,
            (SELECT count(*) FROM projection.cases WHERE next_sweep_at > now())::text AS swept`,
  );
  const t = tables[0]!;

  const perCase = [...generated.perCase].sort((a, b) => a - b);
  const readRate = (kcat.messages / kcat.ms) * 1000;
  const rebuildRate = last.applied / rebuildS;
  const results = {
    shape: SHAPE,
    generated: {
      cases: generated.cases,
      events: generated.events,
      eventsPerCase: { min: perCase[0], p50: pct(perCase, 50), p90: pct(perCase, 90), p99: pct(perCase, 99), max: perCase.at(-1), mean: generated.events / generated.cases },
      byType: Object.fromEntries([...generated.byType].sort((a, b) => b[1] - a[1])),
    },
    publish: { ms: Math.round(publishMs), eventsPerSecond: Math.round((generated.events / publishMs) * 1000) },
    kcat: { messages: kcat.messages, MiB: Math.round(kcat.bytes / 1048576), seconds: kcat.ms / 1000, messagesPerSecond: Math.round(readRate) },
    ...(burst ? { burst: { ...burst, eventsPerSecond: Math.round(burst.events / burst.caughtUpS) } } : {}),
    ...(replay ? { replay: { ...replay, eventsPerSecond: Math.round(replay.events / replay.seconds) } } : {}),
    kafkajs: { messages: client.messages, seconds: client.ms / 1000, messagesPerSecond: Math.round((client.messages / client.ms) * 1000) },
    kafkajsDecoding: { messages: clientDecode.messages, seconds: clientDecode.ms / 1000, messagesPerSecond: Math.round((clientDecode.messages / clientDecode.ms) * 1000) },
    rebuild: { offsets: last.applied, seconds: rebuildS, eventsPerSecond: Math.round(rebuildRate), ratioToKcat: rebuildRate / readRate, transactions: slices.transactions },
    rssMiB: {
      atStart: rebuildRss[0],
      peakDuringRebuild: Math.max(...rebuildRss),
      atEndOfRebuild: rebuildRss.at(-1),
      peakAfter: Math.max(...after),
      atEnd: after.at(-1),
    },
    readModel: { cases: Number(t.cases), caseEvents: Number(t.events), flags: Number(t.flags), alerts: Number(t.alerts), sweptWithinWatch: Number(t.swept) },
    samples,
  };
  console.log(`
${describeGenerated()}
publish         ${(publishMs / 1000).toFixed(1)} s (${fmt(results.publish.eventsPerSecond)} events/s, idempotent producer, acks=all, batches of 2,000)
kcat (ceiling)  ${fmt(kcat.messages)} messages, ${results.kcat.MiB} MiB in ${(kcat.ms / 1000).toFixed(1)} s = ${fmt(readRate)} messages/s
kafkajs alone   ${fmt(client.messages)} messages in ${(client.ms / 1000).toFixed(1)} s = ${fmt((client.messages / client.ms) * 1000)} messages/s (ratio to kcat ${((client.messages / client.ms) * 1000 / readRate).toFixed(3)}); with decoding and validation ${fmt((clientDecode.messages / clientDecode.ms) * 1000)} messages/s
rebuild         ${fmt(last.applied)} offsets in ${rebuildS.toFixed(0)} s = ${fmt(rebuildRate)} events/s  (ratio to kcat ${(rebuildRate / readRate).toFixed(4)}, kcat ${(readRate / rebuildRate).toFixed(0)}× faster)
${burst ? `burst           ${fmt(burst.events)} new events into the running system: caught up ${burst.caughtUpS.toFixed(1)} s after the first was published = ${fmt(burst.events / burst.caughtUpS)} events/s (publishing took ${burst.publishS.toFixed(1)} s)\n` : ''}${replay ? `replay (API)    answered in ${replay.answerMs.toFixed(0)} ms; ${fmt(replay.events)} events in ${replay.seconds.toFixed(0)} s = ${fmt(replay.events / replay.seconds)} events/s (ratio to the rebuild ${((replay.events / replay.seconds) / rebuildRate).toFixed(2)}), matches ${replay.matches} (${replay.differing} differing)\n` : ''}slices          ${fmt(slices.events)} events applied in ${fmt(slices.transactions)} transactions (mean ${fmt(slices.events / slices.transactions)} a transaction)
RSS (MiB)       start ${results.rssMiB.atStart?.toFixed(0)}, peak during rebuild ${results.rssMiB.peakDuringRebuild.toFixed(0)}, at end of rebuild ${results.rssMiB.atEndOfRebuild?.toFixed(0)}, peak in the ${WATCH_AFTER_S} s after (sweep + reads) ${results.rssMiB.peakAfter.toFixed(0)}
read model      ${fmt(results.readModel.cases)} cases, ${fmt(results.readModel.caseEvents)} events, ${fmt(results.readModel.flags)} flags, ${fmt(results.readModel.alerts)} alerts; ${fmt(results.readModel.sweptWithinWatch)} cases swept in the watch`);
  console.log('\nRSS by cases applied (every ~10th sample):');
  for (const [i, x] of samples.entries()) if (i % 10 === 0 || i === samples.length - 1) console.log(`  ${x.s.toFixed(0).padStart(6)} s  ${fmt(x.applied).padStart(11)} offsets  ${fmt(x.cases).padStart(9)} cases  ${x.rssMiB.toFixed(0).padStart(5)} MiB`);
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(results, null, 2));
} catch (err) {
  exitCode = 1;
  console.error(`rebuild bench failed: ${err instanceof Error ? err.message : String(err)}`);
  console.error(sys.lines.slice(-40).join('\n'));
} finally {
  await db.end().catch(() => undefined);
  await sys.stop();
}
process.exit(exitCode);
