import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problemCatalog, problemTypeUri, type ProblemCode } from './catalog.js';
import type { FieldError, ProblemError } from './problem.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The RFC 9457 body every error answers with. Extension members (e.g. `checks`) may follow. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** For OpenAPI documents (`response: { 404: problemDetailsSchema }`); loose so extensions survive. */
export const problemDetailsSchema = z
  .looseObject({
    type: z.string().describe('urn:syv:problem:<code in kebab case>'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    code: z.enum(Object.keys(problemCatalog) as [ProblemCode, ...ProblemCode[]]).describe('Stable error code: see the error codes in the description'),
    instance: z.string().describe('The request URL'),
    requestId: z.string().describe('Quote this when reporting a problem'),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');

const reservedMembers = new Set(['type', 'title', 'status', 'detail', 'code', 'instance', 'requestId', 'errors']);

export function toProblemBody(problem: ProblemError, request: FastifyRequest): ProblemBody {
  const body: ProblemBody = {
    type: problemTypeUri(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    instance: request.url,
    requestId: request.id,
  };
  if (problem.errors && problem.errors.length > 0) body.errors = problem.errors;
  for (const [name, value] of Object.entries(problem.extensions ?? {})) {
    if (!reservedMembers.has(name)) body[name] = value;
  }
  return body;
}

export function sendProblem(problem: ProblemError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (problem.headers) reply.headers(problem.headers);
  // A pre-serialised string bypasses the route's response schemas, which describe success bodies;
  // a problem must render the same way whatever route it came from.
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(toProblemBody(problem, request)));
}
