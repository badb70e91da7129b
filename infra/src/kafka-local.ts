import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pingKafka } from '@syv/messaging';
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

function writeServerProperties(dataDir: string, port: number, controllerPort: number): void {
  const template = readFileSync(join(kafkaConfigDir, 'server.properties.template'), 'utf8');
  const values: Record<string, string> = {
    PORT: String(port),
    CONTROLLER_PORT: String(controllerPort),
    // Properties files treat backslashes as escapes; forward slashes work on every platform.
    DATA_DIR: dataDir.replaceAll('\\', '/'),
  };
  const rendered = template.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
  writeFileSync(layout(dataDir).properties, rendered);
}

function runJava(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('java', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
 * Formats KRaft storage once per data dir. The cluster id is kept in the data dir, so a re-run
 * (with -g, which skips formatted directories) never mints a second identity for the same log.
 */
async function formatStorage(dataDir: string, libsDir: string, log: Log): Promise<void> {
  const files = layout(dataDir);
  if (existsSync(files.metaProperties)) return;
  const classpath = join(libsDir, '*');
  let clusterId = existsSync(files.clusterIdFile) ? readFileSync(files.clusterIdFile, 'utf8').trim() : '';
  if (!clusterId) {
    const res = await runJava(['-cp', classpath, ...log4jArgs(dataDir), 'kafka.tools.StorageTool', 'random-uuid'], dataDir);
    clusterId = res.output.trim().split('\n').at(-1)?.trim() ?? '';
    if (res.code !== 0 || !/^[A-Za-z0-9_-]{22}$/.test(clusterId)) {
      throw new LocalKafkaError('FORMAT_FAILED', `kafka.tools.StorageTool random-uuid failed (exit ${String(res.code)}):\n${res.output}`);
    }
    writeFileSync(files.clusterIdFile, `${clusterId}\n`);
  }
  log(`formatting KRaft storage in ${files.logDir} (cluster id ${clusterId})`);
  const res = await runJava(
    [
      '-cp',
      classpath,
      ...log4jArgs(dataDir),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      files.properties,
      '--standalone',
      '-g',
    ],
    dataDir,
  );
  if (res.code !== 0) {
    throw new LocalKafkaError('FORMAT_FAILED', `kafka.tools.StorageTool format failed (exit ${String(res.code)}):\n${res.output}`);
  }
}

/**
 * Starts one combined KRaft broker+controller from the cached Maven Central jars, as a child
 * process, and resolves once it answers a metadata request.
 */
export async function startLocalKafka(opts: LocalKafkaOptions): Promise<LocalKafka> {
  const { port = 9092, dataDir, log, heapMb = 512, startTimeoutMs = 90_000 } = opts;
  const controllerPort = opts.controllerPort ?? port + 1;
  const files = layout(dataDir);

  const { version, libsDir } = await fetchKafkaJars({ log });
  requireJava();
  mkdirSync(files.logsDir, { recursive: true });
  await settlePidFile(dataDir, log);
  await requirePortsFree(port, controllerPort);
  writeServerProperties(dataDir, port, controllerPort);
  await formatStorage(dataDir, libsDir, log);

  log(`starting Apache Kafka ${version} on 127.0.0.1:${port} (controller ${controllerPort}, heap ${heapMb} MB, logs in ${files.logsDir})`);
  const started = Date.now();
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
  const record: PidRecord = { pid, ownerPid: process.pid, port, controllerPort, version, startedAt: new Date().toISOString() };
  writeFileSync(files.pidFile, `${JSON.stringify(record, null, 2)}\n`);
  // Whatever way this process ends normally, the broker must not outlive it unowned.
  const killOnExit = (): void => {
    if (exitCode === undefined) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
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

  const brokers = [`127.0.0.1:${port}`];
  const deadline = started + startTimeoutMs;
  let nextNote = started + 10_000;
  for (;;) {
    if (exitCode !== undefined) {
      await stop();
      throw new LocalKafkaError(
        'START_FAILED',
        `the Kafka broker exited during start-up (exit ${String(exitCode)}).\n${brokerLogTail(dataDir)}`,
      );
    }
    if (await brokerAnswers(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new LocalKafkaError(
        'START_FAILED',
        `the Kafka broker did not answer at 127.0.0.1:${port} within ${startTimeoutMs / 1000} s.\n${brokerLogTail(dataDir)}`,
      );
    }
    if (Date.now() > nextNote) {
      log(`  still waiting for the broker... ${Math.round((Date.now() - started) / 1000)} s`);
      nextNote += 10_000;
    }
    await sleep(250);
  }
  log(`Kafka ${version} answers at 127.0.0.1:${port} (pid ${pid}) after ${Date.now() - started} ms`);
  return { brokers, pid, version, logFiles: { out: files.outLog, server: files.serverLog }, exited, stop };
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

/** Stops the broker named by dataDir's pid file, whoever started it. */
export async function stopLocalKafka({ dataDir, log }: { dataDir: string; log: Log }): Promise<'stopped' | 'not-running'> {
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
