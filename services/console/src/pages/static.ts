import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { ServiceApp } from '@syv/service-kit';

const publicDir = join(import.meta.dirname, '..', '..', 'public');

// The page's only defence-in-depth against injected markup: no inline script, no other origin.
// Case text is set with textContent anyway (public/js/h.js); this catches the day someone forgets.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The console's files (HTML, ES modules, CSS) as they are on disk: there is no build step. */
export async function staticPages(app: ServiceApp): Promise<void> {
  await app.register(async (scope) => {
    // Pages are public (the token lives in the browser and goes only on API calls), and they are
    // not part of the documented API.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
      route.schema = { ...route.schema, hide: true };
    });
    await scope.register(fastifyStatic, {
      root: publicDir,
      index: ['index.html'],
      cacheControl: false,
      setHeaders: (reply) => {
        reply.header('content-security-policy', contentSecurityPolicy);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('referrer-policy', 'no-referrer');
        // Small files, often changed while developing: always revalidate.
        reply.header('cache-control', 'no-cache');
      },
    });
  });
}
