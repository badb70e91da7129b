import { availableServices, type ServiceName } from './services.js';
import { startService, type RunningService } from './process.js';

export interface SystemOptions {
  repoRoot: string;
  env: Record<string, string>;
  /** Port per service; defaults to each service's own. */
  ports?: Partial<Record<ServiceName, number>>;
  only?: ServiceName[];
  onLine?: (service: ServiceName, line: string) => void;
}

export interface RunningSystem {
  services: RunningService[];
  url(name: ServiceName): string;
  /** Ends one service (SIGKILL: a crash; SIGTERM: a deploy) and starts it again on its port. */
  restart(name: ServiceName, how: 'kill' | 'stop'): Promise<RunningService>;
  stop(): Promise<void>;
}

/** Starts every available service (in parallel) and resolves once each answers /health/ready. */
export async function startSystem(opts: SystemOptions): Promise<RunningSystem> {
  const wanted = availableServices(opts.repoRoot).filter((s) => !opts.only || opts.only.includes(s.name));
  const start = (s: (typeof wanted)[number]) =>
    startService({
      repoRoot: opts.repoRoot,
      name: s.name,
      port: opts.ports?.[s.name] ?? s.port,
      env: opts.env,
      ...(opts.onLine ? { onLine: (line: string) => opts.onLine?.(s.name, line) } : {}),
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
  };
  if (failed.length > 0) {
    await system.stop();
    throw new Error(`services failed to start: ${failed.map(String).join('; ')}`);
  }
  return system;
}
