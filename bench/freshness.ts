// Freshness: how long after a write is accepted does a reader see it?
//  - alert path: from the 202 of POST /v1/cases/{id}/closure-requests (case-closure) to the
//    matching alert.raised on GET /v1/alerts/stream (projection, SSE), held open by a supervisor;
//  - summary path: from the 201 of POST /v1/cases/{id}/interventions (intervention) to the first
//    GET /v1/cases/{id} (projection) whose `interventions` count includes it.
// Each at a fixed rate, sent on schedule whatever the replies. Afterwards the Kafka timestamps of the
// events on both topics split each latency into its hops. Run on demand; not part of the test suite.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { IncomingMessage } from '@syv/messaging';
import { readTopic, startOwnInfra, type OwnInfra } from '@syv/test-harness';
import { connectSse, type SseClient } from '../e2e/support/sse.js';
import { elapsedLog, parseOptions, positiveInt } from './lib/args.js';
import { startOwnSystem } from './lib/own-system.js';
import { repoRoot } from './lib/paths.js';
import { startBenchSystem, type BenchSystem } from './lib/system.js';
import { atFixedRate, type ScheduleReport } from './freshness/schedule.js';
import { distribution, header, row } from './freshness/stats.js';

const usage = `usage: cd bench && ../.tools/node_modules/.bin/pnpm exec tsx freshness.ts [options]

Starts its own Kafka broker, a throwaway PostgreSQL database and the referral, intervention,
case-closure and projection services (bench/lib/system.ts), opens the cases it needs and waits
until the projection and both command services' case views hold them all. Then, one path after
the other, --duration seconds of load at a fixed rate:

  alert path    one closure request per high-risk case at --alert-rate/s; a supervisor holds
                the SSE alert stream open; latency = CLOSURE_HIGH_RISK alert of that case on
                the stream − the 202 of its request (also reported from the send)
  summary path  interventions at --summary-rate/s round-robin over --summary-cases cases; after
                each 201 the case summary is polled every --poll-ms until its \`interventions\`
                count includes it; latency = reply of the first such poll − the 201

An item not seen within --timeout seconds of its 2xx is lost; the exit status is 1 if any was
lost or any request was not answered 2xx. Progress goes to stderr, the summary to stdout.

options:
  --alert-rate R      closure requests per second (default 5)
  --summary-rate R    interventions per second (default 20)
  --duration S        seconds of load per path (default 45)
  --summary-cases N   cases the interventions go to (default 100)
  --poll-ms M         pause between summary polls of one intervention (default 10)
  --timeout S         seconds after its 2xx before an item counts as lost (default 30)
  --warm-up N         unmeasured items per path first, at the same rate (default 10)
  --paths P           alert,summary (default both), or one of them
  --base-port P       services on P+1..P+4 (default 18200)
  --kafka-port K      own broker (default 19696)
  --own-postgres      an embedded PostgreSQL of this run's own (on --pg-port) instead of the
                      machine's: other people's transactions on a shared server hold the outbox
                      relays back (see docs/benchmarks.md), and this takes them out
  --pg-port Q         the embedded PostgreSQL's port with --own-postgres (default 18232)
  --raw FILE          also write every measured item's times (ms) as JSON to FILE
  --help              this text`;

const values = parseOptions(usage, {
  'alert-rate': '5',
  'summary-rate': '20',
  duration: '45',
  'summary-cases': '100',
  'poll-ms': '10',
  timeout: '30',
  'warm-up': '10',
  paths: 'alert,summary',
  'base-port': '18200',
  'kafka-port': '19696',
  raw: '',
  'own-postgres': false,
  'pg-port': '18232',
});
const int = (name: keyof typeof values): number => positiveInt(name, String(values[name]), usage);
const alertRate = int('alert-rate');
const summaryRate = int('summary-rate');
const durationS = int('duration');
const summaryCases = int('summary-cases');
const pollMs = int('poll-ms');
const timeoutMs = int('timeout') * 1_000;
const warmUp = int('warm-up');
const paths = new Set(String(values.paths).split(',').map((p) => p.trim()));
for (const p of paths) {
  if (p !== 'alert' && p !== 'summary') {
    console.error(`--paths takes alert, summary or both, got '${p}'\n\n${usage}`);
    process.exit(2);
  }
}

const AREA = 'E09000012';
const RULE = 'CLOSURE_HIGH_RISK';
const alertCount = alertRate * durationS;
const summaryCount = summaryRate * durationS;
const log = elapsedLog((line) => console.error(line));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
/** performance.now() as epoch ms, to set against Kafka's record timestamps (same machine, same clock). */
const epoch = (t: number) => performance.timeOrigin + t;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function post(url: string, token: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the status says enough
  }
  return { status: res.status, json };
}

/** What the run needs of a system, whichever PostgreSQL it is on. */
type System = Pick<BenchSystem, 'databaseUrl' | 'kafkaBrokers' | 'caseEventsTopic' | 'caseAlertsTopic' | 'url' | 'token' | 'lines' | 'stop'>;

const SERVICES = ['referral', 'intervention', 'case-closure', 'projection'] as const;

async function startFreshnessSystem(): Promise<System> {
  if (!values['own-postgres']) return startBenchSystem({ only: [...SERVICES], basePort: int('base-port'), kafkaPort: int('kafka-port'), log });
  const infra: OwnInfra = await startOwnInfra({ dataDir: join(repoRoot, '.data', 'bench-freshness'), pgPort: int('pg-port'), kafkaPort: int('kafka-port'), log });
  try {
    const own = await startOwnSystem(infra, { only: [...SERVICES], basePort: int('base-port') });
    return {
      databaseUrl: own.databaseUrl,
      kafkaBrokers: infra.kafkaBrokers,
      caseEventsTopic: own.topics.caseEvents,
      caseAlertsTopic: own.topics.caseAlerts,
      url: (name) => own.url(name),
      token: (role, areas, sub) => own.token(role, areas, sub),
      get lines() {
        return own.lines;
      },
      async stop() {
        await own.stop().catch(() => undefined);
        await infra.stop();
      },
    };
  } catch (err) {
    await infra.stop().catch(() => undefined);
    throw err;
  }
}

/**
 * Samples the server's sessions every 100 ms for transactions that have held a transaction id for
 * more than 300 ms, in any database: each one holds back every outbox relay on the server (their
 * reads stop at pg_snapshot_xmin). Answers a report of what it saw.
 */
function watchLongTransactions(databaseUrl: string): { stop(): Promise<string> } {
  const db = new pg.Client({ connectionString: databaseUrl });
  const seen = new Map<number, { pid: number; datname: string; ms: number; query: string }>();
  let running = true;
  let samples = 0;
  const loop = (async () => {
    await db.connect();
    while (running) {
      const { rows } = await db.query<{ pid: number; datname: string | null; ms: number; query: string }>(
        `SELECT pid, datname, (extract(epoch FROM now() - xact_start) * 1000)::int AS ms, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 90) AS query
           FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() AND now() - xact_start > interval '300 ms'`,
      );
      samples++;
      for (const r of rows) {
        const had = seen.get(r.pid);
        if (!had || r.ms > had.ms) seen.set(r.pid, { pid: r.pid, datname: r.datname ?? '?', ms: r.ms, query: r.query });
      }
      await sleep(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop.catch(() => undefined);
      await db.end().catch(() => undefined);
      const list = [...seen.values()].sort((a, b) => b.ms - a.ms);
      if (list.length === 0) return `long transactions on the server (xid held > 300 ms, ${samples} samples every 100 ms): none`;
      return [
        `long transactions on the server (xid held > 300 ms, ${samples} samples every 100 ms): ${list.length} sessions; longest:`,
        ...list.slice(0, 5).map((t) => `  ${t.ms} ms in database ${t.datname}: ${t.query}`),
      ].join('\n');
    },
  };
}

/** Opens `count` cases, 8 at a time. Received two days ago: no time rule (slow start, contact gap) fires during the run. */
async function openCases(sys: System, token: string, count: number, riskLevel: 'high' | 'medium'): Promise<string[]> {
  const ids: string[] = [];
  let left = count;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (left > 0) {
        left--;
        const res = await post(`${sys.url('referral')}/v1/referrals`, token, {
          childId: `fresh-${randomUUID().slice(0, 12)}`,
          area: AREA,
          sourceAgency: 'police',
          concerns: ['criminal_exploitation'],
          riskLevel,
          receivedAt: iso(2),
        });
        if (res.status !== 201) throw new Error(`opening a case answered ${res.status}: ${JSON.stringify(res.json).slice(0, 300)}`);
        ids.push(String(res.json.caseId));
      }
    }),
  );
  return ids;
}

/** Waits until the projection's read model and both command services' case views hold every case. */
async function waitUntilKnown(sys: System, caseIds: string[]): Promise<void> {
  const db = new pg.Client({ connectionString: sys.databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await db.query<{ projection: number; intervention: number; closure: number }>(
        `SELECT (SELECT count(*) FROM projection.cases WHERE case_id = ANY($1::uuid[]))::int AS projection,
                (SELECT count(*) FROM intervention.case_view WHERE case_id = ANY($1::uuid[]))::int AS intervention,
                (SELECT count(*) FROM case_closure.case_view WHERE case_id = ANY($1::uuid[]))::int AS closure`,
        [caseIds],
      );
      const r = rows[0];
      if (r && r.projection === caseIds.length && r.intervention === caseIds.length && r.closure === caseIds.length) return;
      if (Date.now() > deadline) throw new Error(`after 120 s the case views hold ${JSON.stringify(r)} of ${caseIds.length} cases`);
      await sleep(250);
    }
  } finally {
    await db.end();
  }
}

// ---------------------------------------------------------------- alert path

interface ClosureItem {
  caseId: string;
  closureRequestId?: string;
  sentAt: number;
  answeredAt?: number;
  status?: number;
}

/** First arrival on the stream of each `caseId rule`, performance.now() time. */
const alertArrivals = new Map<string, number>();
let streamEvents = 0;

async function runAlertPath(sys: System, worker: string, caseIds: string[], label: string): Promise<{ items: ClosureItem[]; schedule: ScheduleReport }> {
  const items: ClosureItem[] = [];
  const replies: Promise<void>[] = [];
  const progress = setInterval(() => {
    const answered = items.filter((i) => i.answeredAt !== undefined).length;
    const seen = items.filter((i) => alertArrivals.has(`${i.caseId} ${RULE}`)).length;
    log(`${label}: sent ${items.length}/${caseIds.length}, 202 ${answered}, alert on the stream ${seen}`);
  }, 5_000);
  const schedule = await atFixedRate(alertRate, caseIds.length, (i) => {
    const caseId = caseIds[i] as string;
    const item: ClosureItem = { caseId, sentAt: performance.now() };
    items.push(item);
    replies.push(
      post(`${sys.url('case-closure')}/v1/cases/${caseId}/closure-requests`, worker, { reason: 'support_completed', summary: 'Plan completed; college place started.' })
        .then((res) => {
          item.answeredAt = performance.now();
          item.status = res.status;
          if (typeof res.json.closureRequestId === 'string') item.closureRequestId = res.json.closureRequestId;
        })
        .catch(() => {
          item.answeredAt = performance.now();
          item.status = 0;
        }),
    );
  });
  await Promise.all(replies);
  // Wait for the stragglers, each up to --timeout after its 202.
  for (;;) {
    const waiting = items.filter((i) => i.status === 202 && !alertArrivals.has(`${i.caseId} ${RULE}`) && performance.now() - (i.answeredAt ?? 0) < timeoutMs);
    if (waiting.length === 0) break;
    await sleep(50);
  }
  clearInterval(progress);
  return { items, schedule };
}

// ---------------------------------------------------------------- summary path

interface InterventionItem {
  caseId: string;
  interventionId?: string;
  sentAt: number;
  answeredAt?: number;
  status?: number;
  /** The case's `interventions` count that includes this one. */
  expected?: number;
  reflectedAt?: number;
  polls: number;
  pollMs: number[];
  /** Sent to a case that still had an intervention in flight (its count then tells less). */
  overlapped: boolean;
}

const interventionBody = () => ({
  agency: 'youth_justice',
  kind: 'direct_work',
  deliveredAt: iso(1 / 24),
  withChild: true,
  withFamily: false,
  durationMinutes: 45,
  notes: 'Met at the youth centre; talked about getting home safely and about college.',
});

/** Interventions answered 201 per case, over warm-up and measured run alike: the count the summary must reach. */
const accepted = new Map<string, number>();

async function runSummaryPath(sys: System, worker: string, reader: string, caseIds: string[], count: number, label: string): Promise<{ items: InterventionItem[]; schedule: ScheduleReport }> {
  const items: InterventionItem[] = [];
  const work: Promise<void>[] = [];
  const busy = new Set<string>();
  let next = 0;
  const pickCase = (): { caseId: string; overlapped: boolean } => {
    for (let k = 0; k < caseIds.length; k++) {
      const caseId = caseIds[(next + k) % caseIds.length] as string;
      if (!busy.has(caseId)) {
        next = (next + k + 1) % caseIds.length;
        return { caseId, overlapped: false };
      }
    }
    const caseId = caseIds[next] as string;
    next = (next + 1) % caseIds.length;
    return { caseId, overlapped: true };
  };
  const follow = async (item: InterventionItem): Promise<void> => {
    const res = await post(`${sys.url('intervention')}/v1/cases/${item.caseId}/interventions`, worker, interventionBody()).catch(() => ({ status: 0, json: {} as Record<string, unknown> }));
    item.answeredAt = performance.now();
    item.status = res.status;
    if (res.status !== 201) return;
    if (typeof res.json.interventionId === 'string') item.interventionId = res.json.interventionId;
    const expected = (accepted.get(item.caseId) ?? 0) + 1;
    accepted.set(item.caseId, expected);
    item.expected = expected;
    while (performance.now() - item.answeredAt < timeoutMs) {
      const start = performance.now();
      const got = await fetch(`${sys.url('projection')}/v1/cases/${item.caseId}`, { headers: { authorization: `Bearer ${reader}` } });
      const body = (await got.json()) as { interventions?: number };
      const end = performance.now();
      item.polls++;
      item.pollMs.push(end - start);
      if (got.status === 200 && (body.interventions ?? 0) >= expected) {
        item.reflectedAt = end;
        return;
      }
      await sleep(pollMs);
    }
  };
  const progress = setInterval(() => {
    const answered = items.filter((i) => i.answeredAt !== undefined).length;
    const seen = items.filter((i) => i.reflectedAt !== undefined).length;
    const polling = items.filter((i) => i.status === 201 && i.reflectedAt === undefined).length;
    log(`${label}: sent ${items.length}/${count}, answered ${answered}, in the summary ${seen}, still polling ${polling}`);
  }, 5_000);
  const schedule = await atFixedRate(summaryRate, count, () => {
    const { caseId, overlapped } = pickCase();
    busy.add(caseId);
    const item: InterventionItem = { caseId, sentAt: performance.now(), polls: 0, pollMs: [], overlapped };
    items.push(item);
    work.push(follow(item).finally(() => busy.delete(caseId)));
  });
  await Promise.all(work);
  clearInterval(progress);
  return { items, schedule };
}

// ---------------------------------------------------------------- report

function scheduleLine(s: ScheduleReport, rate: number): string {
  const d = distribution(s.lateness);
  return `schedule: ${s.sent} sends at ${rate}/s, ${s.late} left more than ${s.lateAfterMs} ms after their slot (lateness p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms)`;
}

interface TopicTimes {
  /** Kafka record timestamp (producer's clock at send, epoch ms) by a key of the event's data. */
  closureRequested: Map<string, number>;
  interventionLogged: Map<string, number>;
  alertRaised: Map<string, number>;
}

function indexTopics(caseEvents: IncomingMessage[], alerts: IncomingMessage[]): TopicTimes {
  const times: TopicTimes = { closureRequested: new Map(), interventionLogged: new Map(), alertRaised: new Map() };
  const first = (map: Map<string, number>, key: string, ts: number) => {
    const had = map.get(key);
    if (had === undefined || ts < had) map.set(key, ts);
  };
  for (const m of [...caseEvents, ...alerts]) {
    if (!m.value) continue;
    const e = JSON.parse(m.value.toString('utf8')) as { type?: string; data?: Record<string, unknown> };
    const ts = Number(m.timestamp);
    if (e.type === 'closure.requested.v1') first(times.closureRequested, String(e.data?.closureRequestId), ts);
    else if (e.type === 'intervention.logged.v1') first(times.interventionLogged, String(e.data?.interventionId), ts);
    else if (e.type === 'alert.raised.v1') first(times.alertRaised, `${String(e.data?.caseId)} ${String(e.data?.rule)}`, ts);
  }
  return times;
}

let sys: System | undefined;
let watcher: ReturnType<typeof watchLongTransactions> | undefined;
let stream: SseClient | undefined;
let failed = false;
const loadBefore = load();
try {
  log(`load average before: ${loadBefore}`);
  sys = await startFreshnessSystem();
  const worker = await sys.token('social_worker', [AREA], 'sw-freshness');
  const supervisor = await sys.token('supervisor', [AREA], 'sup-freshness');
  const wantAlert = paths.has('alert');
  const wantSummary = paths.has('summary');
  const closureCases = wantAlert ? await openCases(sys, worker, warmUp + alertCount, 'high') : [];
  const interventionCases = wantSummary ? await openCases(sys, worker, summaryCases, 'medium') : [];
  log(`opened ${closureCases.length} high-risk cases for closure requests and ${interventionCases.length} for interventions; waiting for the case views`);
  await waitUntilKnown(sys, [...closureCases, ...interventionCases]);
  log('the projection, intervention and case-closure know every case');

  stream = await connectSse(`${sys.url('projection')}/v1/alerts/stream`, supervisor, (e) => {
    if (e.event !== 'alert.raised') return;
    const at = performance.now();
    streamEvents++;
    const data = JSON.parse(e.data) as { caseId: string; rule: string };
    const key = `${data.caseId} ${data.rule}`;
    if (!alertArrivals.has(key)) alertArrivals.set(key, at);
  });
  if (stream.status !== 200) throw new Error(`the alert stream answered ${stream.status}`);

  watcher = watchLongTransactions(sys.databaseUrl);
  const out: string[] = [];
  const raw: Record<string, unknown[]> = {};
  let alertRun: Awaited<ReturnType<typeof runAlertPath>> | undefined;
  let summaryRun: Awaited<ReturnType<typeof runSummaryPath>> | undefined;
  if (wantAlert) {
    log(`alert path: warm-up, ${warmUp} closure requests at ${alertRate}/s (not counted)`);
    await runAlertPath(sys, worker, closureCases.slice(0, warmUp), 'warm-up');
    log(`alert path: ${alertCount} closure requests at ${alertRate}/s for ${durationS} s`);
    alertRun = await runAlertPath(sys, worker, closureCases.slice(warmUp), 'alert path');
  }
  if (wantSummary) {
    log(`summary path: warm-up, ${warmUp} interventions at ${summaryRate}/s (not counted)`);
    await runSummaryPath(sys, worker, supervisor, interventionCases, warmUp, 'warm-up');
    log(`summary path: ${summaryCount} interventions at ${summaryRate}/s over ${interventionCases.length} cases for ${durationS} s, polling every ${pollMs} ms`);
    summaryRun = await runSummaryPath(sys, worker, supervisor, interventionCases, summaryCount, 'summary path');
  }
  const longTransactions = await watcher.stop();
  watcher = undefined;
  const loadAfter = load();
  log(`load average after: ${loadAfter}; reading both topics for the per-hop split`);
  const times = indexTopics(await readTopic(sys.caseEventsTopic, { brokers: sys.kafkaBrokers, timeoutMs: 120_000 }), await readTopic(sys.caseAlertsTopic, { brokers: sys.kafkaBrokers, timeoutMs: 120_000 }));

  out.push('', '=== freshness: summary ===', `PostgreSQL: ${values['own-postgres'] ? `embedded, this run's own (port ${int('pg-port')})` : "the machine's (shared)"}`);
  out.push(`load average (1/5/15 min) before ${loadBefore}, after ${loadAfter}`, longTransactions, '');
  if (alertRun) {
    const { items, schedule } = alertRun;
    const ok = items.filter((i) => i.status === 202);
    const seen = ok.filter((i) => alertArrivals.has(`${i.caseId} ${RULE}`));
    const lost = ok.length - seen.length;
    const arrival = (i: ClosureItem) => alertArrivals.get(`${i.caseId} ${RULE}`) as number;
    out.push(`alert path: closure request (202) -> ${RULE} alert on the SSE stream, ${alertRate}/s for ${durationS} s`);
    out.push(scheduleLine(schedule, alertRate));
    out.push(`sent ${items.length}, 202 ${ok.length}, other answers ${items.length - ok.length}, alert seen ${seen.length}, lost (none within ${timeoutMs / 1_000} s) ${lost}; alert.raised events on the stream in all: ${streamEvents}`);
    out.push(header);
    out.push(row('202 -> alert on stream', distribution(seen.map((i) => arrival(i) - (i.answeredAt as number)))));
    out.push(row('send -> alert on stream', distribution(seen.map((i) => arrival(i) - i.sentAt))));
    out.push(row('send -> 202', distribution(ok.map((i) => (i.answeredAt as number) - i.sentAt))));
    const split = seen.filter((i) => i.closureRequestId !== undefined && times.closureRequested.has(i.closureRequestId) && times.alertRaised.has(`${i.caseId} ${RULE}`));
    const req = (i: ClosureItem) => times.closureRequested.get(i.closureRequestId as string) as number;
    const alert = (i: ClosureItem) => times.alertRaised.get(`${i.caseId} ${RULE}`) as number;
    out.push(row('  202 -> closure.requested sent to Kafka (case-closure relay)', distribution(split.map((i) => req(i) - epoch(i.answeredAt as number)))));
    out.push(row('  closure.requested sent -> alert.raised sent (projection)', distribution(split.map((i) => alert(i) - req(i)))));
    out.push(row('  alert.raised sent -> on the stream (broadcast, SSE)', distribution(split.map((i) => epoch(arrival(i)) - alert(i)))));
    raw.alert = split.map((i) => ({
      caseId: i.caseId,
      sendTo202: (i.answeredAt as number) - i.sentAt,
      toStream: arrival(i) - (i.answeredAt as number),
      relay: req(i) - epoch(i.answeredAt as number),
      projection: alert(i) - req(i),
      broadcast: epoch(arrival(i)) - alert(i),
    }));
    out.push('');
    if (lost > 0 || ok.length !== items.length) failed = true;
  }
  if (summaryRun) {
    const { items, schedule } = summaryRun;
    const ok = items.filter((i) => i.status === 201);
    const seen = ok.filter((i) => i.reflectedAt !== undefined);
    const lost = ok.length - seen.length;
    out.push(`summary path: intervention (201) -> GET /v1/cases/{id} counting it, ${summaryRate}/s for ${durationS} s over ${summaryCases} cases, a poll every ${pollMs} ms after the previous reply`);
    out.push(scheduleLine(schedule, summaryRate));
    out.push(`sent ${items.length}, 201 ${ok.length}, other answers ${items.length - ok.length}, reflected ${seen.length}, lost (not within ${timeoutMs / 1_000} s) ${lost}; sent to a case with one still in flight: ${items.filter((i) => i.overlapped).length}`);
    const polls = ok.reduce((s, i) => s + i.polls, 0);
    out.push(`summary polls: ${polls} in all, ${(polls / Math.max(1, ok.length)).toFixed(1)} per intervention`);
    out.push(header);
    out.push(row('201 -> summary reflects it', distribution(seen.map((i) => (i.reflectedAt as number) - (i.answeredAt as number)))));
    out.push(row('send -> summary reflects it', distribution(seen.map((i) => (i.reflectedAt as number) - i.sentAt))));
    out.push(row('send -> 201', distribution(ok.map((i) => (i.answeredAt as number) - i.sentAt))));
    out.push(row('one summary GET (the resolution, with --poll-ms)', distribution(ok.flatMap((i) => i.pollMs))));
    const split = seen.filter((i) => i.interventionId !== undefined && times.interventionLogged.has(i.interventionId));
    const logged = (i: InterventionItem) => times.interventionLogged.get(i.interventionId as string) as number;
    out.push(row('  201 -> intervention.logged sent to Kafka (intervention relay)', distribution(split.map((i) => logged(i) - epoch(i.answeredAt as number)))));
    out.push(row('  intervention.logged sent -> summary reflects it (projection)', distribution(split.map((i) => epoch(i.reflectedAt as number) - logged(i)))));
    raw.summary = split.map((i) => ({
      caseId: i.caseId,
      sendTo201: (i.answeredAt as number) - i.sentAt,
      toSummary: (i.reflectedAt as number) - (i.answeredAt as number),
      relay: logged(i) - epoch(i.answeredAt as number),
      projection: epoch(i.reflectedAt as number) - logged(i),
      polls: i.polls,
    }));
    out.push('');
    if (lost > 0 || ok.length !== items.length) failed = true;
  }
  console.log(out.join('\n'));
  if (values.raw) writeFileSync(values.raw, JSON.stringify(raw));
  if (failed) console.log('FAILED: some requests were not answered 2xx or some items never arrived (see above)');
} catch (err) {
  failed = true;
  console.error(`freshness: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (sys) console.error(sys.lines.slice(-30).join('\n'));
} finally {
  stream?.close();
  await watcher?.stop();
  await sys?.stop().catch((err: unknown) => console.error(`stopping: ${String(err)}`));
}
process.exit(failed ? 1 : 0);
