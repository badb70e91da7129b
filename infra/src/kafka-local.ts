import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaClient, pingKafka, replicationFor, type Replication } from '@syv/messaging';
import { fetchKafkaJars, LocalKafkaError, requireJava, type Log } from './kafka-jars.js';
import { portIsFree } from './net.js';
import { kafkaConfigDir } from './paths.js';

export { fetchKafkaJars, kafkaVersion, LocalKafkaError, requireJava, type KafkaJars, type Log } from './kafka-jars.js';

export interface LocalKafkaOptions {
  /** Client (PLAINTEXT) port on 127.0.0.1. */
  port?: number;
  /** KRaft controller port on 127.0.0.1; for the quorum only, never give it to clients. */
  controllerPort?: number;
  /** Holds config, KRaft metadata, topic data, logs and the pid file. Kept between runs. */
  dataDir: string;
  log: Log;
  heapMb?: number;
  /** How long to wait for the broker to answer a metadata request. */
  startTimeoutMs?: number;
}

export interface LocalKafka {
  brokers: string[];
  pid: number;
  version: string;
  /** Where the broker's own output goes: read it when something is wrong. */
  logFiles: { out: string; server: string };
  /** Resolves with the exit code (null after a signal) when the broker process ends, for whatever reason. */
  exited: Promise<number | null>;
  /** SIGTERM, wait for a clean exit, SIGKILL after 20 s. Safe to call more than once. */
  stop(): Promise<void>;
}

interface PidRecord {
  pid: number;
  /** The process that started the broker and is responsible for stopping it. */
  ownerPid: number;
  /** Which node of a local cluster (1 for one node alone). */
  nodeId?: number;
  port: number;
  controllerPort: number;
  version: string;
  startedAt: string;
}

const STOP_GRACE_MS = 20_000;

const layout = (dataDir: string) => ({
  properties: join(dataDir, 'server.properties'),
  clusterIdFile: join(dataDir, 'cluster-id'),
  logDir: join(dataDir, 'data'),
  metaProperties: join(dataDir, 'data', 'meta.properties'),
  logsDir: join(dataDir, 'logs'),
  outLog: join(dataDir, 'logs', 'broker.out'),
  serverLog: join(dataDir, 'logs', 'server.log'),
  pidFile: join(dataDir, 'broker.pid.json'),
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers kill(0); it has exited as far as anyone here is concerned.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
}

/** Alive and, where /proc tells, really a Kafka broker: a pid file can outlive its process and the pid be reused. */
function brokerProcessAlive(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('kafka.Kafka');
  } catch {
    return true;
  }
}

function readPidFile(dataDir: string): PidRecord | undefined {
  try {
    return JSON.parse(readFileSync(layout(dataDir).pidFile, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(none)';
  }
}

/** The end of the broker's output and server log, for error messages that explain themselves. */
export function brokerLogTail(dataDir: string, lines = 15): string {
  const { outLog, serverLog } = layout(dataDir);
  return `--- ${outLog} ---\n${tail(outLog, lines)}\n--- ${serverLog} ---\n${tail(serverLog, lines)}`;
}

async function brokerAnswers(port: number): Promise<boolean> {
  try {
    await pingKafka({ brokers: [`127.0.0.1:${port}`], clientId: 'syv-infra-probe', connectionTimeoutMs: 1_000 });
    return true;
  } catch {
    return false;
  }
}

async function waitForPidExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processAlive(pid)) return true;
    await sleep(200);
  }
  return !processAlive(pid);
}

/** Stops a broker this process did not spawn (known only by pid): SIGTERM, then SIGKILL. */
async function terminatePid(pid: number, log: Log): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitForPidExit(pid, STOP_GRACE_MS)) return;
  log(`broker pid ${pid} did not exit within ${STOP_GRACE_MS / 1000} s of SIGTERM; sending SIGKILL`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitForPidExit(pid, 5_000);
}

/**
 * A pid file names either a dead process (stale: removed), a broker whose starter still runs
 * (refused: it is someone's running broker), or a broker whose starter died without stopping it
 * (an orphan of an earlier run from this same data dir: stopped, so this run can take its place).
 */
async function settlePidFile(dataDir: string, log: Log): Promise<void> {
  const { pidFile } = layout(dataDir);
  const recorded = readPidFile(dataDir);
  if (!recorded) {
    rmSync(pidFile, { force: true });
    return;
  }
  if (!brokerProcessAlive(recorded.pid)) {
    log(`removing stale pid file ${pidFile} (pid ${recorded.pid} no longer runs)`);
    rmSync(pidFile, { force: true });
    return;
  }
  if (recorded.ownerPid !== process.pid && processAlive(recorded.ownerPid)) {
    throw new LocalKafkaError(
      'ALREADY_RUNNING',
      `a Kafka broker from ${dataDir} is already running at 127.0.0.1:${recorded.port} (pid ${recorded.pid}, ` +
        `started by pid ${recorded.ownerPid}). Use it with KAFKA_BROKERS=127.0.0.1:${recorded.port}, ` +
        'or stop it first (`npm run kafka stop`).',
    );
  }
  log(`stopping a broker left running by an earlier run from ${dataDir} (pid ${recorded.pid}; its starter is gone)`);
  await terminatePid(recorded.pid, log);
  rmSync(pidFile, { force: true });
}

async function requirePortsFree(port: number, controllerPort: number): Promise<void> {
  if (!(await portIsFree(port))) {
    if (await brokerAnswers(port)) {
      throw new LocalKafkaError(
        'ALREADY_RUNNING',
        `a Kafka broker already answers at 127.0.0.1:${port}. Use it with KAFKA_BROKERS=127.0.0.1:${port}, ` +
          'stop it, or choose another port.',
      );
    }
    throw new LocalKafkaError('PORT_IN_USE', `port ${port} on 127.0.0.1 is in use by something that is not a Kafka broker; choose another port.`);
  }
  if (!(await portIsFree(controllerPort))) {
    throw new LocalKafkaError(
      'PORT_IN_USE',
      `the KRaft controller port ${controllerPort} on 127.0.0.1 is in use; choose another (controllerPort, default port + 1).`,
    );
  }
}

/** What makes one node of a local cluster (or the one node) different from the others. */
interface NodeSpec {
  nodeId: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  /** The static quorum (`1@127.0.0.1:9093,...`) of a cluster; absent for one node alone. */
  voters?: string;
  replication: Replication;
}

function writeServerProperties(spec: NodeSpec): void {
  const template = readFileSync(join(kafkaConfigDir, 'server.properties.template'), 'utf8');
  const values: Record<string, string> = {
    NODE_ID: String(spec.nodeId),
    PORT: String(spec.port),
    CONTROLLER_PORT: String(spec.controllerPort),
    QUORUM:
      spec.voters === undefined
        ? `controller.quorum.bootstrap.servers=127.0.0.1:${spec.controllerPort}`
        : `controller.quorum.voters=${spec.voters}`,
    REPLICATION_FACTOR: String(spec.replication.replicationFactor),
    MIN_ISR: String(spec.replication.minInsyncReplicas),
    // Properties files treat backslashes as escapes; forward slashes work on every platform.
    DATA_DIR: spec.dataDir.replaceAll('\\', '/'),
  };
  const rendered = template.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
  writeFileSync(layout(spec.dataDir).properties, rendered);
}

/** The storage tool runs for a second: the quick JIT and the serial GC start it faster, which counts on two cores. */
const TOOL_JVM_ARGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

function runJava(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('java', [...TOOL_JVM_ARGS, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', (err) => resolve({ code: null, output: `${output}\n${err.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

function log4jArgs(dataDir: string): string[] {
  return [`-Dlog4j2.configurationFile=${join(kafkaConfigDir, 'log4j2.properties')}`, `-Dkafka.logs.dir=${layout(dataDir).logsDir}`];
}

/**
 * The cluster id kept in dir/cluster-id, minted there the first time. Kept, so that formatting again
 * (a node whose data was deleted, a start that failed half way) never mints a second identity.
 * Minted as `kafka-storage random-uuid` prints one (16 random bytes, unpadded base64url, never a
 * leading '-'), without a JVM start of its own for it.
 */
function clusterIdIn(dir: string): string {
  const file = layout(dir).clusterIdFile;
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (kept) return kept;
  let clusterId: string;
  do clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  writeFileSync(file, `${clusterId}\n`);
  return clusterId;
}

/**
 * Formats a node's KRaft storage once per data dir (skipped once data/meta.properties exists; -g
 * makes a re-run after a half-done format harmless). One node alone is its own dynamic quorum
 * (--standalone); a node of a cluster is formatted with no quorum flag, which is how Kafka 4.x takes
 * the static controller.quorum.voters, with the cluster's one id.
 */
async function formatStorage(spec: NodeSpec, libsDir: string, log: Log, clusterId?: string): Promise<void> {
  const files = layout(spec.dataDir);
  if (existsSync(files.metaProperties)) return;
  const id = clusterId ?? clusterIdIn(spec.dataDir);
  log(`formatting KRaft storage in ${files.logDir} (cluster id ${id})`);
  const res = await runJava(
    [
      '-cp',
      join(libsDir, '*'),
      ...log4jArgs(spec.dataDir),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      id,
      '-c',
      files.properties,
      ...(spec.voters === undefined ? ['--standalone'] : []),
      '-g',
    ],
    spec.dataDir,
  );
  if (res.code !== 0) {
    throw new LocalKafkaError('FORMAT_FAILED', `kafka.tools.StorageTool format failed (exit ${String(res.code)}):\n${res.output}`);
  }
}

/** Everything before the JVM starts: the pid file settled, the ports free, config written, storage formatted. */
async function prepareNode(spec: NodeSpec, libsDir: string, log: Log, clusterId?: string): Promise<void> {
  mkdirSync(layout(spec.dataDir).logsDir, { recursive: true });
  await settlePidFile(spec.dataDir, log);
  await requirePortsFree(spec.port, spec.controllerPort);
  writeServerProperties(spec);
  await formatStorage(spec, libsDir, log, clusterId);
}

interface NodeProcess {
  pid: number;
  exited: Promise<number | null>;
  /** undefined while the process runs. */
  exitCode(): number | null | undefined;
  stop(): Promise<void>;
}

function spawnNode(spec: NodeSpec, opts: { libsDir: string; version: string; heapMb: number; log: Log }): NodeProcess {
  const { libsDir, version, heapMb, log } = opts;
  const { dataDir, port, controllerPort } = spec;
  const files = layout(dataDir);
  const outFd = openSync(files.outLog, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'java',
      [
        `-Xmx${heapMb}m`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExplicitGCInvokesConcurrent',
        '-Djava.awt.headless=true',
        ...log4jArgs(dataDir),
        '-cp',
        join(libsDir, '*'),
        'kafka.Kafka',
        files.properties,
      ],
      // Its own process group: a Ctrl-C in the terminal reaches only this process, which stops the broker
      // after the services that still want to flush to it.
      { cwd: dataDir, stdio: ['ignore', outFd, outFd], detached: true },
    );
  } finally {
    // The child has its own copy of the descriptor; ours is not needed past spawn.
    closeSync(outFd);
  }
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    });
    child.once('error', (err) => {
      log(`could not run java: ${err.message}`);
      exitCode = null;
      resolve(null);
    });
  });
  const pid = child.pid ?? -1;
  const record: PidRecord = { pid, ownerPid: process.pid, nodeId: spec.nodeId, port, controllerPort, version, startedAt: new Date().toISOString() };
  writeFileSync(files.pidFile, `${JSON.stringify(record, null, 2)}\n`);
  let stopping: Promise<void> | undefined;
  // Whatever way this process ends normally, the broker must not outlive it unowned. Ending while a
  // stop is under way means SIGTERM was tried and this process ran out of time (npm start's bound):
  // SIGKILL, which the broker cannot outlive, so its pid file goes too, as it does for a broker
  // already gone.
  const killOnExit = (): void => {
    if (exitCode === undefined && !stopping) {
      child.kill('SIGTERM');
      return;
    }
    if (exitCode === undefined) child.kill('SIGKILL');
    if (readPidFile(dataDir)?.pid === pid) rmSync(files.pidFile, { force: true });
  };
  process.on('exit', killOnExit);

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitCode === undefined) {
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const inTime = await Promise.race([
          exited.then(() => true),
          new Promise<boolean>((r) => (timer = setTimeout(() => r(false), STOP_GRACE_MS))),
        ]);
        clearTimeout(timer);
        if (!inTime) {
          log(`broker pid ${pid} did not exit within ${STOP_GRACE_MS / 1000} s of SIGTERM; sending SIGKILL`);
          child.kill('SIGKILL');
          await exited;
        }
      }
      process.removeListener('exit', killOnExit);
      if (readPidFile(dataDir)?.pid === pid) rmSync(files.pidFile, { force: true });
    })();
    return stopping;
  };
  return { pid, exited, exitCode: () => exitCode, stop };
}

/** Until the node answers a metadata request; stops it and explains with its logs when it exits or the time is up. */
async function waitUntilAnswers(spec: NodeSpec, node: NodeProcess, started: number, startTimeoutMs: number, log: Log, what: string): Promise<void> {
  const deadline = started + startTimeoutMs;
  let nextNote = started + 10_000;
  for (;;) {
    const exitCode = node.exitCode();
    if (exitCode !== undefined) {
      await node.stop();
      throw new LocalKafkaError('START_FAILED', `${what} exited during start-up (exit ${String(exitCode)}).\n${brokerLogTail(spec.dataDir)}`);
    }
    if (await brokerAnswers(spec.port)) return;
    if (Date.now() > deadline) {
      await node.stop();
      throw new LocalKafkaError(
        'START_FAILED',
        `${what} did not answer at 127.0.0.1:${spec.port} within ${startTimeoutMs / 1000} s.\n${brokerLogTail(spec.dataDir)}`,
      );
    }
    if (Date.now() > nextNote) {
      log(`  still waiting for ${what === 'the Kafka broker' ? 'the broker' : what}... ${Math.round((Date.now() - started) / 1000)} s`);
      nextNote += 10_000;
    }
    await sleep(250);
  }
}

/**
 * Starts one combined KRaft broker+controller from the cached Maven Central jars, as a child
 * process, and resolves once it answers a metadata request.
 */
export async function startLocalKafka(opts: LocalKafkaOptions): Promise<LocalKafka> {
  const { port = 9092, dataDir, log, heapMb = 512, startTimeoutMs = 90_000 } = opts;
  const controllerPort = opts.controllerPort ?? port + 1;
  const spec: NodeSpec = { nodeId: 1, port, controllerPort, dataDir, replication: replicationFor(1) };
  const files = layout(dataDir);

  const { version, libsDir } = await fetchKafkaJars({ log });
  requireJava();
  await prepareNode(spec, libsDir, log);

  log(`starting Apache Kafka ${version} on 127.0.0.1:${port} (controller ${controllerPort}, heap ${heapMb} MB, logs in ${files.logsDir})`);
  const started = Date.now();
  const node = spawnNode(spec, { libsDir, version, heapMb, log });
  await waitUntilAnswers(spec, node, started, startTimeoutMs, log, 'the Kafka broker');
  log(`Kafka ${version} answers at 127.0.0.1:${port} (pid ${node.pid}) after ${Date.now() - started} ms`);
  return {
    brokers: [`127.0.0.1:${port}`],
    pid: node.pid,
    version,
    logFiles: { out: files.outLog, server: files.serverLog },
    exited: node.exited,
    stop: node.stop,
  };
}

/** Above five combined nodes a laptop's cores are the limit, not Kafka; three is the replicated layout. */
export const MAX_LOCAL_NODES = 5;

export interface LocalKafkaClusterOptions {
  /** How many combined broker+controller nodes, 1 to MAX_LOCAL_NODES. One node is exactly startLocalKafka's broker. */
  nodes: number;
  /** Client port of node 1 (default 9092). Node i listens on port + 2(i - 1) and its controller on the port after that. */
  port?: number;
  /** Each node's ports, in node order, instead of the layout from port (tests take whatever ports are free). */
  ports?: { port: number; controllerPort: number }[];
  /** One node: that node's directory, as startLocalKafka's. Several: the cluster's id, and node-<i>/ for node i. */
  dataDir: string;
  log: Log;
  /** Per node. */
  heapMb?: number;
  /** How long to wait for every node to answer and the cluster to count them all. */
  startTimeoutMs?: number;
}

export interface LocalKafkaNode {
  nodeId: number;
  port: number;
  controllerPort: number;
  /** Its config, data, logs and pid file. */
  dataDir: string;
  pid: number;
  logFiles: { out: string; server: string };
  /** Resolves with the exit code (null after a signal) when this node's process ends. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface LocalKafkaCluster {
  brokers: string[];
  version: string;
  /** How the system's topics and the internal ones are replicated on it (replicationFor the node count). */
  replication: Replication;
  /** The nodes as they run now; restartNode replaces a node's entry. */
  readonly nodes: LocalKafkaNode[];
  /** Starts a node again after its process ended (killed, crashed); resolves once the cluster counts it again. */
  restartNode(nodeId: number): Promise<LocalKafkaNode>;
  /** Stops every node at once, SIGKILL after 20 s, and removes every pid file. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Where `nodes` local nodes keep their data, given where one node keeps it: a cluster never reuses one node's log. */
export function localKafkaDataDir(oneNodeDir: string, nodes: number): string {
  return nodes === 1 ? oneNodeDir : `${oneNodeDir}-${nodes}-nodes`;
}

/** The node directories under dataDir: dataDir itself (one node's) and each node-<i>/ (a cluster's). */
export function localKafkaNodeDirs(dataDir: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(dataDir).filter((name) => /^node-\d+$/.test(name));
  } catch {
    // No directory: nothing runs from it.
  }
  return [dataDir, ...names.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))).map((name) => join(dataDir, name))];
}

/** How many brokers the cluster reports as registered and unfenced; -1 when nobody answers. */
async function registeredBrokers(brokers: string[]): Promise<number> {
  const admin = kafkaClient({ brokers, clientId: 'syv-infra-probe', connectionTimeoutMs: 1_000 }).admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    return (await admin.describeCluster()).brokers.length;
  } catch {
    return -1;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Starts `nodes` combined KRaft broker+controllers on 127.0.0.1 in one static quorum, each with its
 * own ports, data dir and pid file, and resolves once every node answers and the cluster counts
 * them all, so that topics created next get every replica. The nodes start together: with a quorum
 * of three, none answers until two controllers run.
 */
export async function startLocalKafkaCluster(opts: LocalKafkaClusterOptions): Promise<LocalKafkaCluster> {
  const { nodes: count, dataDir, log, heapMb = 512, startTimeoutMs = 120_000 } = opts;
  if (!Number.isInteger(count) || count < 1 || count > MAX_LOCAL_NODES) {
    throw new LocalKafkaError('BAD_OPTIONS', `a local Kafka cluster has 1 to ${MAX_LOCAL_NODES} nodes, not ${String(count)}`);
  }
  const base = opts.port ?? 9092;
  const ports = opts.ports ?? Array.from({ length: count }, (_, i) => ({ port: base + 2 * i, controllerPort: base + 2 * i + 1 }));
  if (ports.length !== count) throw new LocalKafkaError('BAD_OPTIONS', `${count} nodes need ${count} pairs of ports, not ${ports.length}`);
  for (const p of ports.flatMap((x) => [x.port, x.controllerPort])) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new LocalKafkaError('BAD_OPTIONS', `${String(p)} is not a port number`);
  }
  const replication = replicationFor(count);
  const voters = count === 1 ? undefined : ports.map((p, i) => `${i + 1}@127.0.0.1:${p.controllerPort}`).join(',');
  const specs: NodeSpec[] = ports.map((p, i) => ({
    nodeId: i + 1,
    ...p,
    dataDir: count === 1 ? dataDir : join(dataDir, `node-${i + 1}`),
    ...(voters === undefined ? {} : { voters }),
    replication,
  }));
  const brokers = specs.map((s) => `127.0.0.1:${s.port}`);
  const what = (s: NodeSpec) => (count === 1 ? 'the Kafka broker' : `Kafka node ${s.nodeId}`);

  const { version, libsDir } = await fetchKafkaJars({ log });
  requireJava();
  mkdirSync(dataDir, { recursive: true });
  for (const s of specs) mkdirSync(layout(s.dataDir).logsDir, { recursive: true });
  // One id for every node, minted before any of them formats.
  const clusterId =
    count > 1 && specs.some((s) => !existsSync(layout(s.dataDir).metaProperties)) ? clusterIdIn(dataDir) : undefined;
  const prepared = await Promise.allSettled(specs.map((s) => prepareNode(s, libsDir, log, clusterId)));
  const unprepared = prepared.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (unprepared) throw unprepared.reason;

  const procs = new Map<number, NodeProcess>();
  const handle = (s: NodeSpec, p: NodeProcess): LocalKafkaNode => {
    const files = layout(s.dataDir);
    return { nodeId: s.nodeId, port: s.port, controllerPort: s.controllerPort, dataDir: s.dataDir, pid: p.pid, logFiles: { out: files.outLog, server: files.serverLog }, exited: p.exited, stop: p.stop };
  };
  let stopping: Promise<void> | undefined;
  // At once: each broker's controlled shutdown needs an active controller, which a quorum of three
  // keeps only while two of its controllers run.
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const results = await Promise.allSettled([...procs.values()].map((p) => p.stop()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return stopping;
  };
  const waitForAll = async (started: number): Promise<void> => {
    const deadline = started + startTimeoutMs;
    while ((await registeredBrokers(brokers)) < count) {
      if (Date.now() > deadline) {
        throw new LocalKafkaError(
          'START_FAILED',
          `the cluster did not count all ${count} Kafka nodes within ${startTimeoutMs / 1000} s.\n` + specs.map((s) => brokerLogTail(s.dataDir, 5)).join('\n'),
        );
      }
      await sleep(250);
    }
  };

  const portList = specs.map((s) => `${s.port}/${s.controllerPort}`).join(', ');
  log(
    count === 1
      ? `starting Apache Kafka ${version} on 127.0.0.1:${specs[0]!.port} (controller ${specs[0]!.controllerPort}, heap ${heapMb} MB, logs in ${layout(specs[0]!.dataDir).logsDir})`
      : `starting Apache Kafka ${version}, ${count} nodes on 127.0.0.1 (client/controller ports ${portList}; heap ${heapMb} MB each; data in ${dataDir})`,
  );
  const started = Date.now();
  for (const s of specs) procs.set(s.nodeId, spawnNode(s, { libsDir, version, heapMb, log }));
  const answered = await Promise.allSettled(specs.map((s) => waitUntilAnswers(s, procs.get(s.nodeId)!, started, startTimeoutMs, log, what(s))));
  const failed = answered.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  try {
    if (failed) throw failed.reason;
    if (count > 1) await waitForAll(started);
  } catch (err) {
    await stop();
    throw err;
  }
  const pids = specs.map((s) => procs.get(s.nodeId)!.pid).join(', ');
  log(`Kafka ${version} answers at ${brokers.join(',')} (pid ${pids}) after ${Date.now() - started} ms`);

  return {
    brokers,
    version,
    replication,
    get nodes() {
      return specs.map((s) => handle(s, procs.get(s.nodeId)!));
    },
    async restartNode(nodeId) {
      const spec = specs.find((s) => s.nodeId === nodeId);
      const current = procs.get(nodeId);
      if (!spec || !current) throw new LocalKafkaError('BAD_OPTIONS', `there is no node ${nodeId} in this cluster of ${count}`);
      if (stopping) throw new LocalKafkaError('BAD_OPTIONS', 'the cluster is stopping');
      if (current.exitCode() === undefined) throw new LocalKafkaError('ALREADY_RUNNING', `${what(spec)} still runs (pid ${current.pid})`);
      // Forgets the ended process: its exit hook and, if still there, its pid file.
      await current.stop();
      // A node whose storage is gone is formatted again with the cluster's one id, never one of its own.
      await prepareNode(spec, libsDir, log, count > 1 ? clusterIdIn(dataDir) : undefined);
      log(`starting ${what(spec)} again on 127.0.0.1:${spec.port}`);
      const restarted = Date.now();
      const proc = spawnNode(spec, { libsDir, version, heapMb, log });
      procs.set(nodeId, proc);
      await waitUntilAnswers(spec, proc, restarted, startTimeoutMs, log, what(spec));
      if (count > 1) await waitForAll(restarted);
      log(`${what(spec)} answers again (pid ${proc.pid}) after ${Date.now() - restarted} ms`);
      return handle(spec, proc);
    },
    stop,
  };
}

export interface LocalKafkaStatus {
  state: 'running' | 'stopped' | 'stale-pid-file';
  pid?: number;
  port?: number;
  version?: string;
  startedAt?: string;
  /** Whether the broker answered a metadata request just now (only checked when running). */
  answers?: boolean;
}

/** What the pid file in dataDir says, checked against the process table and the port. */
export async function localKafkaStatus({ dataDir }: { dataDir: string }): Promise<LocalKafkaStatus> {
  const recorded = readPidFile(dataDir);
  if (!recorded) return { state: 'stopped' };
  const { pid, port, version, startedAt } = recorded;
  if (!brokerProcessAlive(pid)) return { state: 'stale-pid-file', pid, port, version, startedAt };
  return { state: 'running', pid, port, version, startedAt, answers: await brokerAnswers(port) };
}

/**
 * Stops the broker named by dataDir's pid file, and every node-<i>/ of a cluster in dataDir, whoever
 * started them. The nodes are stopped at once, as the cluster's own stop does.
 */
export async function stopLocalKafka({ dataDir, log }: { dataDir: string; log: Log }): Promise<'stopped' | 'not-running'> {
  const results = await Promise.all(localKafkaNodeDirs(dataDir).map((dir) => stopNodeIn(dir, log)));
  return results.includes('stopped') ? 'stopped' : 'not-running';
}

async function stopNodeIn(dataDir: string, log: Log): Promise<'stopped' | 'not-running'> {
  const { pidFile } = layout(dataDir);
  const recorded = readPidFile(dataDir);
  if (!recorded) return 'not-running';
  if (!brokerProcessAlive(recorded.pid)) {
    log(`removing stale pid file ${pidFile} (pid ${recorded.pid} no longer runs)`);
    rmSync(pidFile, { force: true });
    return 'not-running';
  }
  log(`stopping the Kafka broker at 127.0.0.1:${recorded.port} (pid ${recorded.pid})`);
  await terminatePid(recorded.pid, log);
  rmSync(pidFile, { force: true });
  return 'stopped';
}
