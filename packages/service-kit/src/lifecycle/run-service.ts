import type { FastifyBaseLogger } from 'fastify';

/** A step of graceful shutdown; a bare function is named after itself in the log. */
export type ShutdownHook = (() => Promise<void>) | { name: string; run: () => Promise<void> };

/** The parts of `process` used here; tests pass a fake so they can signal without dying. */
export interface Runtime {
  on(event: string, listener: (arg: unknown) => void): unknown;
  off(event: string, listener: (arg: unknown) => void): unknown;
  exit(code: number): void;
}

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
  /** Past this, shutdown gives up and exits 1 (SHUTDOWN_GRACE_MS). */
  graceMs: number;
  runtime?: Runtime;
}

export interface RunningService {
  /** e.g. `http://127.0.0.1:3001`. */
  address: string;
  /** The same graceful shutdown a SIGTERM starts; resolves after exit has been called. */
  shutdown(reason: string): Promise<void>;
}

const signals = ['SIGTERM', 'SIGINT'] as const;

/**
 * Listens, then owns the process's ending: SIGTERM/SIGINT stop accepting connections, let
 * in-flight requests finish (`app.close()`), run the shutdown hooks in order and exit 0. A second
 * signal, or the grace period running out, exits 1 at once. Crashes (uncaught exception,
 * unhandled rejection) are logged and exit 1: the process state is unknown, so nothing is drained.
 */
export async function runService(options: RunServiceOptions): Promise<RunningService> {
  const { app, graceMs } = options;
  const runtime = options.runtime ?? process;
  const log = app.log;
  const hooks = (options.onShutdown ?? []).map(named);
  let shuttingDown: Promise<void> | undefined;

  const exit = (code: number): void => {
    for (const s of signals) runtime.off(s, onSignal);
    runtime.off('uncaughtException', onCrash);
    runtime.off('unhandledRejection', onCrash);
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
      // Not unref'd: if a hook hangs on something that keeps nothing else alive, this timer is what ends the process.
      const timer = setTimeout(() => {
        log.error({ graceMs }, 'graceful shutdown took too long: exiting');
        exit(1);
      }, graceMs);
      let failed = failedBefore;
      const step = async (name: string, run: () => Promise<unknown>) => {
        log.info({ step: name }, 'shutdown step started');
        try {
          await run();
          log.info({ step: name }, 'shutdown step done');
        } catch (err) {
          failed = true;
          log.error({ err, step: name }, 'shutdown step failed');
        }
      };

      log.info({ trigger: reason }, 'shutting down: refusing new connections, draining in-flight requests');
      await step('http server', () => app.close());
      for (const hook of hooks) await step(hook.name, hook.run);

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

function named(hook: ShutdownHook, index: number): { name: string; run: () => Promise<void> } {
  if (typeof hook === 'function') return { name: hook.name || `shutdown hook ${index + 1}`, run: hook };
  return hook;
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
