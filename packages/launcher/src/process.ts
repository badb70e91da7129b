import { spawn, type ChildProcess } from 'node:child_process';
import { serviceEntry, type ServiceName } from './services.js';

export interface RunningService {
  name: ServiceName;
  url: string;
  port: number;
  pid: number | undefined;
  /** Resolves when the process has exited (with its code, or null after a signal). */
  exited: Promise<number | null>;
  /**
   * SIGTERM: the graceful path (drain, flush the outbox, close consumers). SIGKILL when the
   * process is still there after timeoutMs (default serviceStopBoundMs of its environment).
   */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: a crash, for fault tests. */
  kill(): Promise<number | null>;
}

export interface StartServiceOptions {
  repoRoot: string;
  name: ServiceName;
  port: number;
  env: Record<string, string>;
  /** Receives each output line of the service; default prefixes it with the name on stdout. */
  onLine?: (line: string) => void;
  readyTimeoutMs?: number;
  /**
   * What "started" waits for: `ready` (default) is /health/ready, e.g. the projection caught up
   * with its topic; `live` is /health/live, the process serving, for a caller that watches a long
   * catch-up itself.
   */
  waitFor?: 'ready' | 'live';
  /** Options for the service's node itself (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
}

/** A service's own default SHUTDOWN_GRACE_MS (service-kit's base config). */
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
/** Past its grace period a service logs what it abandoned and exits, or its backstop (3 s) kills it. */
const STOP_MARGIN_MS = 5_000;

/**
 * How long after SIGTERM a service with this environment may still be running before the launcher
 * sends SIGKILL: its own grace period (SHUTDOWN_GRACE_MS) and a margin, so that normally the
 * service ends itself, logging what it abandoned, and SIGKILL is only for one that cannot.
 */
export function serviceStopBoundMs(env: Record<string, string | undefined>): number {
  const grace = Number(env.SHUTDOWN_GRACE_MS);
  return (Number.isInteger(grace) && grace >= 0 ? grace : DEFAULT_SHUTDOWN_GRACE_MS) + STOP_MARGIN_MS;
}

// tsx as a loader inside the service's own process (not the tsx CLI, which runs the service in a
// child): a SIGKILL must kill the service itself, or a crash test would crash nothing.
const tsxLoader = import.meta.resolve('tsx');

function pipeLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
    stream?.on('end', () => {
      if (buffered) onLine(buffered);
    });
  }
}

export async function waitUntilReady(url: string, timeoutMs: number, exited?: Promise<unknown>, probe: 'ready' | 'live' = 'ready'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  void exited?.then(() => {
    died = true;
  });
  let last = '';
  while (Date.now() < deadline) {
    if (died) throw new Error(`${url} exited before it was ready`);
    try {
      const res = await fetch(`${url}/health/${probe}`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url}/health/${probe} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

export async function startService(opts: StartServiceOptions): Promise<RunningService> {
  const env = { ...process.env, ...opts.env, PORT: String(opts.port) };
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', tsxLoader, serviceEntry(opts.repoRoot, opts.name)], {
    cwd: opts.repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches only the launcher, which then stops
    // each service once with SIGTERM. Otherwise the service would get SIGINT from the terminal and
    // SIGTERM from the launcher, take the second as "hurry up" and skip its graceful shutdown.
    detached: true,
  });
  // Never leave a service behind when the launcher itself exits without stopping it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const onLine = opts.onLine ?? ((line: string) => console.log(`[${opts.name}] ${line}`));
  pipeLines(child, onLine);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${opts.port}`;

  async function signal(sig: NodeJS.Signals, timeoutMs: number): Promise<number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(sig);
    const timer = setTimeout(() => {
      onLine(`(launcher) still running ${timeoutMs / 1000} s after ${sig}: sending SIGKILL`);
      child.kill('SIGKILL');
    }, timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  const service: RunningService = {
    name: opts.name,
    url,
    port: opts.port,
    pid: child.pid,
    exited,
    stop: (timeoutMs = serviceStopBoundMs(env)) => signal('SIGTERM', timeoutMs),
    kill: () => signal('SIGKILL', 5_000),
  };
  try {
    await waitUntilReady(url, opts.readyTimeoutMs ?? 60_000, exited, opts.waitFor);
  } catch (err) {
    await service.kill();
    throw err;
  }
  return service;
}
