import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface AppMetrics {
  /** This app's registry: add a service's own metrics here (`registers: [metrics.registry]`). */
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/**
 * A registry per app rather than prom-client's global one, so several apps can live in one process
 * (tests) without "metric already registered" clashes.
 */
export function createMetrics(service: string): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpRequestDuration };
}
