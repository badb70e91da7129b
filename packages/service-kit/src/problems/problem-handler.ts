import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { notFoundRoute, problemFromError } from './from-error.js';
import type { ProblemError } from './problem.js';
import { sendProblem } from './render.js';

/**
 * Makes every error leave as application/problem+json: problems thrown by handlers, schema
 * validation failures, Fastify's own errors, unknown routes and anything unexpected (500, logged
 * with its stack, nothing of it sent). Register before any route: Fastify binds a route to the
 * error handler in force when the route is added.
 */
export const problemHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err, request, reply) => {
      const problem = problemFromError(err, request);
      logProblem(request, problem, err);
      return sendProblem(problem, request, reply);
    });
    app.setNotFoundHandler((request, reply) => sendProblem(notFoundRoute(request), request, reply));
  },
  { name: '@syv/service-kit/problems', fastify: '5.x' },
);

function logProblem(request: FastifyRequest, problem: ProblemError, thrown: unknown): void {
  if (problem.status >= 500) {
    const err = problem === thrown ? (problem.cause ?? problem) : thrown;
    request.log.error({ err, code: problem.code, ...responseIssues(err) }, 'request failed');
    return;
  }
  // Field names and codes only: details of 4xx answers can quote what the client sent.
  const fields = problem.errors?.map((e) => e.field);
  request.log.info({ code: problem.code, status: problem.status, ...(fields ? { fields } : {}) }, 'request rejected');
}

// A response that fails its own schema is a bug of the service; the paths say which field, without values.
function responseIssues(err: unknown): { responseIssues?: Array<{ path: string; code: string }> } {
  const cause = (err as { code?: unknown; cause?: { issues?: unknown } } | null)?.cause;
  if ((err as { code?: unknown } | null)?.code !== 'FST_ERR_RESPONSE_SERIALIZATION' || !Array.isArray(cause?.issues)) return {};
  return {
    responseIssues: (cause.issues as Array<{ path?: PropertyKey[]; code?: string }>).map((i) => ({
      path: (i.path ?? []).map(String).join('.'),
      code: String(i.code),
    })),
  };
}
