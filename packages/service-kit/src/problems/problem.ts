import { problemCatalog, type ProblemCode } from './catalog.js';

/** One invalid field of a request, e.g. `{ field: 'body.concerns[0]', message: 'Invalid option: …' }`. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemExtra {
  /** Field-level list, for validation-like failures. */
  errors?: FieldError[];
  /** RFC 9457 extension members added to the body, e.g. `{ currentStatus: 'closed' }`. Ids only, never free text. */
  extensions?: Record<string, unknown>;
  /** Response headers, e.g. `WWW-Authenticate` on a 401. */
  headers?: Record<string, string>;
  /** The underlying error; logged (for 5xx), never sent. */
  cause?: unknown;
}

const problemBrand: unique symbol = Symbol.for('@syv/service-kit/problem');

/**
 * A failure the error handler renders as `application/problem+json`. It is an Error (so it has a
 * stack and can be thrown from anywhere in a handler or hook) branded so that it cannot be
 * confused with Fastify's own errors, which also carry a `code`.
 */
export interface ProblemError<C extends ProblemCode = ProblemCode> extends Error {
  readonly [problemBrand]: true;
  readonly code: C;
  readonly status: number;
  /** Mirrors `status` so Fastify and other tooling that read `statusCode` agree with it. */
  readonly statusCode: number;
  readonly title: string;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly extensions?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

export function isProblem(err: unknown): err is ProblemError {
  return typeof err === 'object' && err !== null && (err as { [problemBrand]?: unknown })[problemBrand] === true;
}

/**
 * The problem of a catalog code; its status and title come from the catalog, so a code the catalog
 * does not have is a compile error:
 *
 *   throw problem('CASE_NOT_FOUND', `There is no case ${caseId} in your areas.`);
 */
export function problem<C extends ProblemCode>(code: C, detail: string, extra: ProblemExtra = {}): ProblemError<C> {
  const { status, title } = problemCatalog[code];
  const error = new Error(detail, extra.cause === undefined ? undefined : { cause: extra.cause });
  return Object.assign(error, {
    [problemBrand]: true as const,
    name: 'ProblemError',
    code,
    status,
    statusCode: status,
    title,
    detail,
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.extensions ? { extensions: extra.extensions } : {}),
    ...(extra.headers ? { headers: extra.headers } : {}),
  });
}
