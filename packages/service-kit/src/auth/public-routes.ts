import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Serve this route without a bearer token (health, metrics, docs). */
    public?: boolean;
  }
}

// Route patterns (not raw URLs, which a client controls) that are public in every service.
const publicPatterns = [/^\/health\//, /^\/metrics$/, /^\/docs$/, /^\/docs\//];

export function isPublicRoute(request: FastifyRequest): boolean {
  if (request.routeOptions.config.public === true) return true;
  const pattern = request.routeOptions.url;
  return pattern !== undefined && publicPatterns.some((p) => p.test(pattern));
}
