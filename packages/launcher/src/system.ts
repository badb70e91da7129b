import { availableServices, type ServiceName } from './services.js';
import { startService, type RunningService } from './process.js';

export interface SystemOptions {
  repoRoot: string;
  env: Record<string, string>;
  /** Port per service; defaults to each service's own. */
  ports?: Partial<Record<ServiceName, number>>;
  only?: ServiceName[];
  /** Also receives each output line (they are kept in `output()` either way). */
  onLine?: (service: ServiceName, line: string) => void;
  /** See StartServiceOptions.waitFor. */
  waitFor?: 'ready' | 'live';
  /** See StartServiceOptions.nodeArgs. */
  nodeArgs?: string[];
}

/** Lines of service output kept for failure reports, newest last. */
const KEPT_LINES = 2_000;

export interface RunningSystem {
  services: RunningService[];
  url(name: ServiceName): string;
  /** Ends one service (SIGKILL: a crash; SIGTERM: a deploy) and starts it again on its port. */
  restart(name: ServiceName, how: 'kill' | 'stop'): Promise<RunningService>;
  stop(): Promise<void>;
  /** The services' latest output lines, `[name] line`, newest last. */
  output(): string[];
}

/**
 * Starts every available service (in parallel) and resolves once each answers /health/ready. When
 * one does not, the error carries the end of the services' output, which is what says why.
 */
export async function startSystem(opts: SystemOptions): Promise<RunningSystem> {
  const lines: string[] = [];
  const keep = (name: ServiceName, line: string) => {
    lines.push(`[${name}] ${line}`);
    if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES / 2);
    opts.onLine?.(name, line);
  };
  const wanted = availableServices(opts.repoRoot).filter((s) => !opts.only || opts.only.includes(s.name));
  const start = (s: (typeof wanted)[number]) =>
    startService({
      repoRoot: opts.repoRoot,
      name: s.name,
      port: opts.ports?.[s.name] ?? s.port,
      env: opts.env,
      onLine: (line: string) => keep(s.name, line),
      ...(opts.waitFor ? { waitFor: opts.waitFor } : {}),
      ...(opts.nodeArgs ? { nodeArgs: opts.nodeArgs } : {}),
    });
  const results = await Promise.allSettled(wanted.map(start));
  const services = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const system: RunningSystem = {
    services,
    url(name) {
      const s = services.find((x) => x.name === name);
      if (!s) throw new Error(`service ${name} is not running`);
      return s.url;
    },
    async restart(name, how) {
      const index = services.findIndex((x) => x.name === name);
      const def = wanted.find((x) => x.name === name);
      const running = services[index];
      if (!running || !def) throw new Error(`service ${name} is not running`);
      await (how === 'kill' ? running.kill() : running.stop());
      const again = await start(def);
      services[index] = again;
      return again;
    },
    async stop() {
      await Promise.all(services.map((s) => s.stop()));
    },
    output: () => lines,
  };
  if (failed.length > 0) {
    await system.stop();
    throw new Error(`services failed to start: ${failed.map(String).join('; ')}\n--- service output ---\n${lines.slice(-60).join('\n')}`);
  }
  return system;
}
