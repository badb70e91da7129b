import type { ServerResponse } from 'node:http';
import replyFrom from '@fastify/reply-from';
import { problem, type ServiceApp } from '@syv/service-kit';

/**
 * `/api/<service>/<path>` → `<upstream>/<path>`, so the page talks to one origin (no CORS) and
 * reaches nothing but the services' public HTTP APIs. The console itself checks no token: the
 * Authorization header goes through untouched and each service decides, exactly as for any other
 * client. Bodies are parsed by the kit's strict JSON parser first (the same checks the services make)
 * and forwarded as JSON.
 */
export async function forwardRoutes(app: ServiceApp, upstreams: Record<string, string>): Promise<void> {
  // Streams still open when the console shuts down (the alert stream): ended so app.close() does not
  // wait for a supervisor to close their tab.
  const streaming = new Set<ServerResponse>();
  app.shutdownSignal.addEventListener('abort', () => {
    for (const res of streaming) res.destroy();
  });

  await app.register(replyFrom, {
    // No request timeout on the alert stream: its heartbeats keep the body moving.
    undici: { connections: 128, pipelining: 1, headersTimeout: 30_000, bodyTimeout: 0 },
  });

  app.all(
    '/api/:service/*',
    { config: { public: true }, schema: { hide: true } },
    async (request, reply) => {
      const { service } = request.params as { service: string };
      const base = Object.hasOwn(upstreams, service) ? upstreams[service] : undefined;
      if (!base) throw problem('NOT_FOUND', `No service '${service.slice(0, 40)}' behind /api/; known: ${Object.keys(upstreams).join(', ')}.`);
      const rest = request.url.slice(`/api/${service}`.length);
      if (!rest.startsWith('/v1/')) throw problem('NOT_FOUND', 'Only the services\' /v1/ APIs are forwarded.');
      const raw = reply.raw;
      streaming.add(raw);
      raw.once('close', () => streaming.delete(raw));
      return reply.from(new URL(rest, base).toString(), {
        rewriteRequestHeaders: (_req, headers) => {
          // The upstream sees its own host; cookies are never the console's business.
          const { host: _host, cookie: _cookie, ...kept } = headers;
          return kept;
        },
      });
    },
  );
}
