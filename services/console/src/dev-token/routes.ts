import { z } from 'zod';
import { mintDevToken, roles, type ServiceApp } from '@syv/service-kit';

/**
 * GET /dev-token: a signed development token for a role and areas, so the sign-in page has a
 * button locally. Registered only when CONSOLE_DEV_TOKENS=1: anyone who can reach it can mint any
 * role, which is the point on a laptop and a hole anywhere else.
 */
export function devTokenRoute(app: ServiceApp, secret: string | undefined): void {
  app.get(
    '/dev-token',
    {
      config: { public: true },
      schema: {
        summary: 'Mint a development token (development only)',
        description: 'Present only when the console runs with CONSOLE_DEV_TOKENS=1 (npm start). Signs with the development secret for one hour.',
        tags: ['development'],
        querystring: z.object({ role: z.enum(roles), areas: z.string().max(500).regex(/^[A-Za-z0-9_-]{1,16}(,[A-Za-z0-9_-]{1,16})*$/, 'must be comma-separated local-authority codes such as E09000022'), sub: z.string().max(100).regex(/^[A-Za-z0-9._:-]+$/, 'must be an id, never a name').optional() }).strict(),
        response: { 200: z.object({ token: z.string(), sub: z.string(), role: z.enum(roles), areas: z.array(z.string()), expiresInSeconds: z.number().int() }) },
      },
    },
    async (request) => {
      const { role, sub } = request.query;
      const areas = request.query.areas.split(',');
      const user = sub ?? `dev-${role}`;
      const token = await mintDevToken({ sub: user, role, areas, ttl: '1h', ...(secret ? { secret } : {}) });
      request.log.warn({ user, role }, 'development token minted');
      return { token, sub: user, role, areas, expiresInSeconds: 3600 };
    },
  );
}
