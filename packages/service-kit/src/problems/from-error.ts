import type { FastifyError, FastifyRequest } from 'fastify';
import { isProblem, problem, type FieldError, type ProblemError } from './problem.js';

/** Turns anything thrown while handling a request into the problem to answer with. */
export function problemFromError(err: unknown, request: FastifyRequest): ProblemError {
  if (isProblem(err)) return err;
  if (!(err instanceof Error)) return internal(err);

  const fastifyError = err as Partial<FastifyError>;
  if (Array.isArray(fastifyError.validation)) return validationProblem(fastifyError as FastifyError);

  const known = fastifyErrorCode(fastifyError.code, request, err);
  if (known) return known;

  if (isDatabaseUnavailable(err)) {
    return problem('NOT_READY', 'The database is unavailable for a moment; nothing was recorded. Retry shortly.', {
      cause: err,
      headers: { 'retry-after': '2' },
    });
  }

  // Other 4xx errors from Fastify and its plugins are written for clients; pass their message on.
  // A code has one status, so a status the catalog has no code for (a file server's 416) is a 400.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return problem(status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', err.message, { cause: err });
  }
  return internal(err);
}

/**
 * PostgreSQL restarting or unreachable: a connection refused or reset, or the server's own
 * "shutting down / starting up / connection failure" classes (SQLSTATE 57P01-57P03, 08xxx), or a
 * query given to a pooled client whose connection broke a moment earlier (pg refuses it without a
 * code; the pool drops that client and opens another). The transaction did not commit, so the
 * client may retry: 503 with Retry-After, not a 500.
 */
function isDatabaseUnavailable(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return /Connection terminated|connection timeout|connection error and is not queryable/i.test(err.message);
  return ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03'].includes(code) || code.startsWith('08');
}

function internal(cause: unknown): ProblemError {
  // Internals (messages, SQL, stack) stay in the log; the client gets the request id to quote.
  return problem('INTERNAL', 'An unexpected error occurred. Quote the requestId when reporting it.', { cause });
}

function fastifyErrorCode(code: string | undefined, request: FastifyRequest, cause: Error): ProblemError | undefined {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem('MALFORMED_REQUEST', 'The request body is not valid JSON (its Content-Type says application/json).', { cause });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('MALFORMED_REQUEST', 'The request body is empty but its Content-Type says application/json; send a JSON document.', { cause });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('MALFORMED_REQUEST', 'The request body size does not match its Content-Length header.', { cause });
    case 'FST_ERR_BAD_URL':
      return problem('MALFORMED_REQUEST', 'The request URL is not valid (bad percent-encoding).', { cause });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem('URI_TOO_LONG', 'A path parameter of the request URL is longer than any valid id.', { cause });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes.`, { cause });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('UNSUPPORTED_MEDIA_TYPE', `Content-Type ${describeContentType(request)} is not accepted here; send application/json.`, { cause });
    case 'FST_ERR_NOT_FOUND':
      return notFoundRoute(request);
    default:
      return undefined;
  }
}

export function notFoundRoute(request: FastifyRequest): ProblemError {
  const path = request.url.split('?', 1)[0] ?? request.url;
  return problem('NOT_FOUND', `There is no route ${request.method} ${truncate(path, 200)}.`);
}

function describeContentType(request: FastifyRequest): string {
  const value = request.headers['content-type'];
  return value ? `'${truncate(value, 100)}'` : '(none)';
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

function validationProblem(err: FastifyError): ProblemError {
  const context = validationContextName(err.validationContext);
  const errors: FieldError[] = (err.validation ?? []).map((issue) => {
    let path = issue.instancePath;
    // AJV (routes that use plain JSON schema) reports a missing property on its parent.
    const missing = (issue.params as { missingProperty?: unknown } | undefined)?.missingProperty;
    if (issue.keyword === 'required' && typeof missing === 'string') path = `${path}/${missing}`;
    return { field: fieldName(context, path), message: issue.message ?? 'is invalid' };
  });
  const fields = [...new Set(errors.map((e) => e.field))];
  const detail =
    fields.length === 1
      ? `The field ${fields[0]} is invalid: ${errors[0]?.message ?? 'see errors'}.`
      : `${fields.length} fields are invalid: ${fields.join(', ')} (see errors).`;
  return problem('VALIDATION_FAILED', detail, { errors });
}

function validationContextName(context: string | undefined): string {
  if (context === 'querystring') return 'query';
  return context ?? 'request';
}

/** `('body', '/concerns/0/kind')` → `body.concerns[0].kind`, the way a client developer writes it. */
export function fieldName(context: string, instancePath: string): string {
  const segments = instancePath
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  return segments.reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : `${name}.${segment}`), context);
}
