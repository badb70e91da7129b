import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';

/**
 * A step of graceful shutdown; a bare function is named after itself in the log. `pending` says
 * what the step is still waiting for (e.g. the pool's checked-out clients); it is logged when the
 * grace period ends during the step.
 */
export type ShutdownHook = (() => Promise<void>) | { name: string; run: () => Promise<void>; pending?: () => unknown };

/** The parts of `process` used here; tests pass a fake so they can signal without dying. */
export interface Runtime {
  on(event: string, listener: (arg: unknown) => void): unknown;
  off(event: string, listener: (arg: unknown) => void): unknown;
  exit(code: number): void;
}

/**
 * Ends the process `ms` from now whatever its event loop is doing. Once a service has decided to
 * end, nothing may keep it alive: not a hook that never settles, not a main thread blocked writing
 * to a stdout pipe nobody reads, not the logger's flush at exit.
 */
export type Backstop = (ms: number) => void;

/** What runService needs of the app: a ServiceApp fits. */
export interface ListeningApp {
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<unknown>;
  log: FastifyBaseLogger;
}

export interface RunServiceOptions {
  app: ListeningApp;
  port: number;
  host: string;
  /**
   * Run in order after the HTTP server has drained, e.g. stop the outbox relay after a final
   * flush, disconnect the Kafka consumer and producer, end the pg pool. A failing step is logged
   * and the rest still run (the pool must close even if Kafka would not).
   */
  onShutdown?: readonly ShutdownHook[];
  /**
   * Past this, shutdown gives up, logs what it abandoned and exits 1 (SHUTDOWN_GRACE_MS); the
   * backstop ends the process BACKSTOP_MARGIN_MS later if even that exit does not complete.
   */
  graceMs: number;
  runtime?: Runtime;
  /**
   * Default: with the real process, a worker thread that sends it SIGKILL (workerBackstop), which
   * fires while the main thread is stuck; with a runtime given (a test's fake), none.
   */
  backstop?: Backstop;
}

export interface RunningService {
  /** e.g. `http://127.0.0.1:3001`. */
  address: string;
  /** The same graceful shutdown a SIGTERM starts; resolves after exit has been called. */
  shutdown(reason: string): Promise<void>;
}

const signals = ['SIGTERM', 'SIGINT'] as const;

/** How long past its decision to exit (or past the grace period) a process may take to be gone. */
export const BACKSTOP_MARGIN_MS = 3_000;

/**
 * The backstop as a worker thread with its own event loop: a timer on the main thread would never
 * fire while that thread is blocked. The worker is unref'd, so it keeps nothing alive by itself.
 */
export const workerBackstop: Backstop = (ms) => {
  const worker = new Worker(
    "const { workerData } = require('node:worker_threads'); setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);",
    // No loader flags of the main thread (e.g. tsx): the worker is plain JavaScript.
    { eval: true, workerData: { pid: process.pid, ms }, execArgv: [] },
  );
  worker.unref();
};

/**
 * Listens, then owns the process's ending: SIGTERM/SIGINT stop accepting connections, let
 * in-flight requests finish (`app.close()`), run the shutdown hooks in order and exit 0. A second
 * signal exits 1 at once; so does the grace period running out, after logging the step it
 * abandoned, what that step was waiting for and the steps it never ran. Crashes (uncaught
 * exception, unhandled rejection) are logged and exit 1: the process state is unknown, so nothing
 * is drained. Whichever way it ends, the backstop makes sure the process is gone shortly after.
 */
export async function runService(options: RunServiceOptions): Promise<RunningService> {
  const { app, graceMs } = options;
  const runtime = options.runtime ?? process;
  const backstop = options.backstop ?? (options.runtime ? () => undefined : workerBackstop);
  const log = app.log;
  const hooks = (options.onShutdown ?? []).map(named);
  let shuttingDown: Promise<void> | undefined;
  let backstopArmed = false;
  const armBackstop = (ms: number): void => {
    if (backstopArmed) return;
    backstopArmed = true;
    try {
      backstop(ms);
    } catch (err) {
      log.error({ err }, 'could not start the shutdown backstop');
    }
  };

  const exit = (code: number): void => {
    for (const s of signals) runtime.off(s, onSignal);
    runtime.off('uncaughtException', onCrash);
    runtime.off('unhandledRejection', onCrash);
    armBackstop(BACKSTOP_MARGIN_MS);
    runtime.exit(code);
  };

  function onCrash(err: unknown): void {
    log.fatal({ err }, 'crashed: uncaught exception or unhandled rejection');
    exit(1);
  }

  function onSignal(signal: unknown): void {
    if (shuttingDown) {
      log.error({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    void shutdown(`signal ${String(signal)}`);
  }

  function shutdown(reason: string, failedBefore = false): Promise<void> {
    shuttingDown ??= (async () => {
      armBackstop(graceMs + BACKSTOP_MARGIN_MS);
      const steps: NamedHook[] = [{ name: 'http server', run: async () => void (await app.close()) }, ...hooks];
      let current = -1;
      let over = false;
      // Not unref'd: if a hook hangs on something that keeps nothing else alive, this timer is what ends the process.
      const timer = setTimeout(() => {
        over = true;
        const step = steps[current];
        log.error(
          { graceMs, abandoned: step?.name, waitingFor: step ? pendingOf(step) : undefined, notRun: steps.slice(current + 1).map((s) => s.name) },
          'graceful shutdown took too long: abandoning it and exiting',
        );
        exit(1);
      }, graceMs);
      let failed = failedBefore;
      log.info({ trigger: reason, graceMs }, 'shutting down: refusing new connections, draining in-flight requests');
      for (current = 0; current < steps.length; current++) {
        const step = steps[current]!;
        log.info({ step: step.name }, 'shutdown step started');
        try {
          await step.run();
          if (over) return;
          log.info({ step: step.name }, 'shutdown step done');
        } catch (err) {
          if (over) return;
          failed = true;
          log.error({ err, step: step.name }, 'shutdown step failed');
        }
      }

      clearTimeout(timer);
      log.info({ exitCode: failed ? 1 : 0 }, 'shutdown complete');
      exit(failed ? 1 : 0);
    })();
    return shuttingDown;
  }

  runtime.on('uncaughtException', onCrash);
  runtime.on('unhandledRejection', onCrash);

  let address: string;
  try {
    address = await options.app.listen({ port: options.port, host: options.host });
  } catch (err) {
    log.fatal({ err, port: options.port, host: options.host }, 'could not listen');
    // Hooks still run: a service may have opened its pool or started its relay before listening.
    await shutdown('listen failed', true);
    throw err;
  }
  for (const s of signals) runtime.on(s, onSignal);
  log.info({ url: address }, 'listening');
  return { address, shutdown: (reason) => shutdown(reason) };
}

type NamedHook = Exclude<ShutdownHook, () => Promise<void>>;

function named(hook: ShutdownHook, index: number): NamedHook {
  if (typeof hook === 'function') return { name: hook.name || `shutdown hook ${index + 1}`, run: hook };
  return hook;
}

/** What a step abandoned at the grace period was waiting for, when it can say. */
function pendingOf(step: { pending?: () => unknown }): unknown {
  if (!step.pending) return undefined;
  try {
    return step.pending();
  } catch (err) {
    return `unknown (${String(err)})`;
  }
}

/** What `startBuiltService` needs of a service wired by its build function. */
interface BuiltService {
  app: ListeningApp;
  config: { PORT: number; HOST: string; SHUTDOWN_GRACE_MS: number };
  /** Graceful stop, in order, after the HTTP server has drained. */
  shutdownHooks: readonly ShutdownHook[];
}

/**
 * A service's main: build it (config, migrations, Kafka), then run it as `runService` does. A
 * build that fails (bad config, no database) exits 1 with one line naming the service and the
 * reason, not a stack trace.
 */
export async function startBuiltService(name: string, build: () => Promise<BuiltService>): Promise<void> {
  let built: BuiltService;
  try {
    built = await build();
  } catch (err) {
    console.error(`${name} failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  await runService({
    app: built.app,
    port: built.config.PORT,
    host: built.config.HOST,
    graceMs: built.config.SHUTDOWN_GRACE_MS,
    onShutdown: built.shutdownHooks,
  });
}
