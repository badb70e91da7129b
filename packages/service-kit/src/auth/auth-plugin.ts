import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problem } from '../problems/problem.js';
import type { AuthUser } from './claims.js';
import { isPublicRoute } from './public-routes.js';
import type { Verifier } from './verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The caller, from a verified bearer token. Set on every non-public route before validation
     * and the handler run; reading it on a public route throws, rather than yielding undefined.
     */
    readonly user: AuthUser;
  }
}

interface AuthPluginOptions {
  verifier: Verifier;
  /** For the WWW-Authenticate realm. */
  realm: string;
}

// Kept off the request object so nothing can assign a user except this plugin.
const users = new WeakMap<FastifyRequest, AuthUser>();

/**
 * Authenticates every route except public ones (`config: { public: true }`, `/health/*`,
 * `/metrics`, `/docs*`) and unknown routes (which answer 404 either way). Runs at onRequest, so an
 * unauthenticated caller learns nothing from body parsing or validation.
 */
export const authPlugin = fp<AuthPluginOptions>(
  async (app: FastifyInstance, { verifier, realm }) => {
    app.decorateRequest('user', {
      getter(this: FastifyRequest): AuthUser {
        const user = users.get(this);
        if (!user) {
          throw problem('INTERNAL', 'request.user was read on a route that does not authenticate.');
        }
        return user;
      },
    });

    app.addHook('onRequest', async (request) => {
      if (request.is404 || isPublicRoute(request)) return;

      const header = request.headers.authorization;
      if (!header) {
        throw unauthenticated(realm, undefined, "No bearer token: send 'Authorization: Bearer <token>'.");
      }
      const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) {
        throw unauthenticated(realm, 'invalid_request', "The Authorization header must be 'Bearer <token>'.");
      }

      const result = await verifier.verify(match[1]);
      if (!result.ok) {
        request.log.info({ authFailure: result.reason }, 'authentication failed');
        if (result.reason === 'unavailable') throw problem('AUTH_UNAVAILABLE', result.detail, { cause: result.cause });
        // RFC 6750 §3.1 has one code for every way a presented token can be wrong.
        throw unauthenticated(realm, 'invalid_token', result.detail);
      }
      users.set(request, result.user);
      // The user id is an id, so it may be logged; it ties every later line to a person for audit.
      request.log = request.log.child({ userId: result.user.sub });
    });
  },
  { name: '@syv/service-kit/auth', fastify: '5.x' },
);

function unauthenticated(realm: string, error: 'invalid_request' | 'invalid_token' | undefined, detail: string) {
  // RFC 6750 §3: a 401 names the scheme, and the error only when a token was presented.
  const challenge = error ? `Bearer realm="${realm}", error="${error}"` : `Bearer realm="${realm}"`;
  return problem('UNAUTHENTICATED', detail, { headers: { 'www-authenticate': challenge } });
}
