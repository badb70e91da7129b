// Routes shaped like the services' own, for this package's tests.
import { z } from 'zod';
import { notFoundUnlessInArea, requireRole } from '../auth/access.js';
import { problem } from '../problems/problem.js';
import type { ServiceApp } from './types.js';

const concerns = ['criminal_exploitation', 'extra_familial_harm', 'weapon_carrying'] as const;

export function testRoutes(app: ServiceApp): void {
  app.post(
    '/v1/cases/:caseId/interventions',
    {
      schema: {
        params: z.object({ caseId: z.uuid() }),
        body: z.object({
          agency: z.enum(['police', 'camhs', 'youth_service']),
          concerns: z.array(z.enum(concerns)),
          riskLevel: z.enum(['low', 'medium', 'high']),
          notes: z.string().max(10_000),
          summary: z.string().optional(),
          childName: z.string().optional(),
        }),
        response: { 201: z.object({ interventionId: z.string() }) },
      },
    },
    async (request, reply) => {
      requireRole(request, 'social_worker', 'supervisor');
      // Deliberately careless, as service code might be: the redaction must still hold.
      request.log.info({ caseId: request.params.caseId, body: request.body }, 'intervention received');
      request.log.info(request.body, 'intervention body at top level');
      reply.code(201);
      return { interventionId: 'int-1' };
    },
  );

  app.get(
    '/v1/cases/:caseId',
    { schema: { params: z.object({ caseId: z.string() }), response: { 200: z.object({ caseId: z.string(), area: z.string() }) } } },
    async (request) => {
      const area = request.params.caseId.startsWith('other-') ? 'E09000099' : 'E09000001';
      notFoundUnlessInArea(request.user, area, 'CASE_NOT_FOUND', `Case ${request.params.caseId} was not found`);
      return { caseId: request.params.caseId, area };
    },
  );

  app.get('/v1/whoami', async (request) => request.user);

  app.post('/v1/closed', async () => {
    throw problem('CASE_CLOSED', 'Case c-1 is closed', { extensions: { closedAt: '2025-01-01T00:00:00.000Z' } });
  });

  app.get('/v1/db-restarting', async () => {
    // What pg raises on a query when the server is shutting down for a restart.
    throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  });
  app.get('/v1/db-connection-lost', async () => {
    // What pg raises, with no code, on a query to a pooled client whose connection has just broken.
    throw new Error('Client has encountered a connection error and is not queryable');
  });
  app.get('/v1/range', async () => {
    // What a file server's error looks like: a client error with a status the catalog has no code for.
    throw Object.assign(new Error('Range Not Satisfiable'), { statusCode: 416 });
  });
  app.get('/v1/boom', async () => {
    throw new Error('connection to db-7.internal:5432 failed: password authentication failed');
  });

  app.get('/v1/bad-response', { schema: { response: { 200: z.object({ count: z.number() }) } } }, async () => {
    // Breaks its own schema on purpose: the client must get a 500, not a malformed body.
    return { count: 'many' } as unknown as { count: number };
  });

  app.get('/v1/query', { schema: { querystring: z.object({ limit: z.coerce.number().int().max(100) }) } }, async (request) => ({
    limit: request.query.limit,
  }));
}
