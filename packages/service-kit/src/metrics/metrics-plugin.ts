import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppMetrics } from './metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

/** Times every request and serves the registry at `/metrics` (public, like Prometheus expects). */
export const metricsPlugin = fp<{ metrics: AppMetrics }>(
  async (app: FastifyInstance, { metrics }) => {
    app.decorate('metrics', metrics);

    app.addHook('onResponse', async (request, reply) => {
      // The route pattern (`/v1/cases/:caseId`), never the raw URL: one series per route, not per case.
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpRequestDuration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });

    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  },
  { name: '@syv/service-kit/metrics', fastify: '5.x' },
);
