import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, repoRoot, type TestDatabase } from '@syv/test-harness';
import { SERVICES } from '@syv/launcher';
import { resetE2eLog } from './support/logs.js';

// `npm start` stopped the ways a terminal, a process manager or a container runtime stops it: the
// whole system runs as it does there (node scripts/bootstrap.mjs start, in a process group of its
// own, with its own local broker, ports, data dir and database), and after each signal every broker
// and service process must be gone within the documented bound (STOP_TIMEOUT_MS, 60 s by default)
// and the broker's pid files removed. Each signal has a start of its own, one after another (two at
// once on two cores are hardly faster, and make a fresh broker's group coordinator slower to load
// than the services wait); the one-node starts share a data dir and a database, so only the first
// formats the broker's storage and creates its internal topics.

const STOP_BOUND_MS = 60_000;
/** A start (broker, five services, migrations) on a loaded 2-core machine takes 30-60 s. */
const READY_TIMEOUT_MS = 150_000;
const CASE_TIMEOUT_MS = READY_TIMEOUT_MS + STOP_BOUND_MS + 15_000;

const dataRoot = join(repoRoot, '.data', 'e2e-stopping');
let logPath: string;
const started: Started[] = [];
const dbs: TestDatabase[] = [];

beforeAll(() => {
  logPath = resetE2eLog(join(import.meta.dirname, 'stopping.test.ts'));
  rmSync(dataRoot, { recursive: true, force: true });
  mkdirSync(dataRoot, { recursive: true });
});

afterAll(async () => {
  // Whatever a failed case left behind: never a broker or service outliving the test run.
  for (const s of started) {
    const brokers = pidFiles(s.kafkaDir).map(pidIn).filter((pid) => cmdline(pid).includes('kafka.Kafka'));
    for (const pid of [s.top.pid!, ...s.tree, ...brokers]) if (alive(pid)) killQuietly(pid);
  }
  for (const d of dbs) await d.drop();
  // One log for the file, as every e2e file has: each start's output in turn.
  writeFileSync(logPath, started.map((s) => `===== ${s.label} =====\n${readLog(s)}`).join('\n'));
});

interface BrokerRecord {
  pid: number;
  file: string;
}

interface Started {
  label: string;
  log: string;
  top: ChildProcess;
  topExit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The launcher (scripts/start.ts) and everything below it when the system was ready. */
  tree: number[];
  services: Map<string, number>;
  brokers: BrokerRecord[];
  kafkaDir: string;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Running, as far as anyone can tell: it exists and is not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Every live descendant of pid, from /proc (services and the broker run in process groups of their own). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The fields after the command, which is in parentheses and may itself contain spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found.filter(alive);
}

/** The pid files of the local broker's nodes: <kafkaDir>/broker.pid.json, or node-<i>/broker.pid.json of a cluster. */
function pidFiles(kafkaDir: string): string[] {
  if (!existsSync(kafkaDir)) return [];
  const dirs = [kafkaDir, ...readdirSync(kafkaDir).filter((n) => /^node-\d+$/.test(n)).map((n) => join(kafkaDir, n))];
  return dirs.map((d) => join(d, 'broker.pid.json')).filter((f) => existsSync(f));
}

function pidIn(pidFile: string): number {
  try {
    return (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid;
  } catch {
    return -1;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Ports handed out in this run: a broker and the services it starts with never get the same ones. */
const handedOut = new Set<number>();

/** A base port whose `count` ports from it are all free, away from the fixed ports of the other e2e files and test brokers. */
async function freeRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const range = Array.from({ length: count }, (_, i) => base + i);
    let free = range.every((p) => !handedOut.has(p));
    for (const p of range) free = free && (await portIsFree(p));
    if (!free) continue;
    for (const p of range) handedOut.add(p);
    return base;
  }
  throw new Error(`no ${count} consecutive free ports found between 20000 and 32000`);
}

function readLog(s: Started): string {
  try {
    return readFileSync(s.log, 'utf8');
  } catch {
    return '';
  }
}

function lastLines(text: string, n = 40): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** `npm start` as a process manager runs it, in a process group of its own; resolves once it says it is ready. */
async function startSystem(label: string, nodes: number, dataDir: string, db: TestDatabase): Promise<Started> {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const kafkaPort = await freeRange(2 * nodes);
  const servicesPort = await freeRange(SERVICES.length);
  const log = join(dataRoot, `${slug}.log`);
  const fd = openSync(log, 'w');
  writeSync(fd, `KAFKA_PORT=${kafkaPort} SERVICES_PORT=${servicesPort} KAFKA_LOCAL_NODES=${nodes} DATA_DIR=${dataDir}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The system must start its own broker: that is what is being stopped.
  delete env.KAFKA_BROKERS;
  const top = spawn(process.execPath, ['scripts/bootstrap.mjs', 'start'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: {
      ...env,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      KAFKA_PORT: String(kafkaPort),
      KAFKA_LOCAL_NODES: String(nodes),
      SERVICES_PORT: String(servicesPort),
      LOG_LEVEL: 'info',
    },
  });
  closeSync(fd);
  const topExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => top.once('exit', (code, signal) => resolve({ code, signal })));
  let exited = false;
  void topExit.then(() => (exited = true));
  const kafkaDir = join(dataDir, nodes === 1 ? 'kafka' : `kafka-${nodes}-nodes`);
  const s: Started = { label, log, top, topExit, tree: [], services: new Map(), brokers: [], kafkaDir };
  started.push(s);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!readLog(s).includes('[start] ready:')) {
    const failed = exited ? 'exited before it was ready' : Date.now() > deadline ? `was not ready within ${READY_TIMEOUT_MS / 1000} s` : undefined;
    if (failed) {
      s.tree = descendants(top.pid!);
      throw new Error(`${label}: npm start ${failed}:\n${lastLines(readLog(s))}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  s.tree = descendants(top.pid!);
  const plan = /\[start\] plan: Kafka from (\w+)/.exec(readLog(s))?.[1];
  // What is tested is the stop of a broker this system started; from Docker or KAFKA_BROKERS there is none.
  expect(plan, 'npm start must run its own local broker here').toBe('local');

  for (const pid of s.tree) {
    const name = /services\/([a-z-]+)\/src\/main\.ts/.exec(cmdline(pid))?.[1];
    if (name) s.services.set(name, pid);
  }
  s.brokers = pidFiles(kafkaDir).map((file) => ({ file, pid: pidIn(file) }));
  expectRunning(s, nodes);
  return s;
}

/** Asserts on real processes that the system is gone within the bound: every process of its tree, every broker, every pid file. */
async function expectStopped(s: Started, signalledAt: number): Promise<void> {
  const watched = [...new Set([s.top.pid!, ...s.tree, ...s.brokers.map((b) => b.pid)])];
  const deadline = signalledAt + STOP_BOUND_MS;
  let left = watched.filter(alive);
  let files = pidFiles(s.kafkaDir);
  while ((left.length > 0 || files.length > 0) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = watched.filter(alive);
    files = pidFiles(s.kafkaDir);
  }
  const took = Date.now() - signalledAt;
  const report = `${s.label}: after ${took} ms still running: ${left.map((p) => `${p} ${cmdline(p)}`).join('; ') || 'nothing'}; pid files: ${files.join(', ') || 'none'}\n${lastLines(readLog(s))}`;
  expect(left, report).toEqual([]);
  expect(files, report).toEqual([]);
  appendFileSync(s.log, `----- everything gone ${took} ms after the signal -----\n`);
}

/** What was found running once ready: every service, and a broker per node alive under the launcher. */
function expectRunning(s: Started, nodes: number): void {
  expect([...s.services.keys()].sort()).toEqual(SERVICES.map((x) => x.name).sort());
  expect(s.brokers).toHaveLength(nodes);
  for (const b of s.brokers) {
    expect(alive(b.pid)).toBe(true);
    expect(cmdline(b.pid)).toContain('kafka.Kafka');
    expect(s.tree).toContain(b.pid);
  }
}

/** Databases made once and kept for the file, by the data dir whose broker's offsets they hold. */
const dbFor = new Map<string, Promise<TestDatabase>>();
function databaseFor(dataDir: string): Promise<TestDatabase> {
  let db = dbFor.get(dataDir);
  if (!db) {
    db = createTestDatabase('e2e_stopping').then((d) => (dbs.push(d), d));
    dbFor.set(dataDir, db);
  }
  return db;
}

/** Starts the system, sends the signal once it is ready, then expects it gone within the bound. */
async function stopWith(label: string, nodes: number, send: (s: Started) => Promise<void> | void): Promise<Started> {
  // A cluster's data dir and database are its own: the services keep their Kafka offsets in PostgreSQL.
  const dataDir = join(dataRoot, nodes === 1 ? 'one-node' : `${nodes}-nodes`);
  const s = await startSystem(label, nodes, dataDir, await databaseFor(dataDir));
  await send(s);
  await expectStopped(s, Date.now());
  return s;
}

const group = (s: Started): number => -s.top.pid!;

describe('stopping npm start', () => {
  it('SIGINT to the process group (Ctrl-C in a terminal) stops every service, then the broker', async () => {
    const s = await stopWith('SIGINT to the group', 1, (s) => void process.kill(group(s), 'SIGINT'));
    expect(await s.topExit).toEqual({ code: 0, signal: null });
    expect(readLog(s)).toContain('[start] stopped');
  }, CASE_TIMEOUT_MS);

  it('SIGTERM to the process group (systemd, a container runtime): its copies are one graceful stop, then the broker', async () => {
    const s = await stopWith('SIGTERM to the group', 1, (s) => void process.kill(group(s), 'SIGTERM'));
    expect(await s.topExit).toEqual({ code: 0, signal: null });
    const out = readLog(s);
    expect(out).toContain('[start] stopping infrastructure…');
    expect(out).toContain('[start] stopped');
    // Every service ended itself within its grace period: nothing needed the launcher's SIGKILL.
    expect(out.match(/"msg":"shutdown complete"/g)).toHaveLength(SERVICES.length);
    expect(out).not.toContain('sending SIGKILL');
  }, CASE_TIMEOUT_MS);

  it('SIGTERM to the top process only (kill <pid>) is passed on and stops everything', async () => {
    const s = await stopWith('SIGTERM to the top process', 1, (s) => void process.kill(s.top.pid!, 'SIGTERM'));
    expect(await s.topExit).toEqual({ code: 0, signal: null });
  }, CASE_TIMEOUT_MS);

  it('SIGTERM to the process group after the broker was killed: the services give up on it within their bound, the pid file goes', async () => {
    const s = await stopWith('SIGTERM to the group, broker killed', 1, async (s) => {
      const broker = s.brokers[0]!;
      process.kill(broker.pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (alive(broker.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(alive(broker.pid)).toBe(false);
      process.kill(group(s), 'SIGTERM');
    });
    expect(readLog(s)).toContain('[start] stopped');
  }, CASE_TIMEOUT_MS);

  it('SIGTERM to the process group with a three-node local cluster stops every node and removes every pid file', async () => {
    const s = await stopWith('SIGTERM to the group, three nodes', 3, (s) => void process.kill(group(s), 'SIGTERM'));
    expect(await s.topExit).toEqual({ code: 0, signal: null });
  }, CASE_TIMEOUT_MS);
});
