import { problemCatalog, problemCodePattern, type BaseProblemCode, type ProblemDefinition } from './catalog.js';

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
export interface ProblemError<C extends string = string> extends Error {
  readonly [problemBrand]: true;
  readonly code: C;
  readonly status: number;
  /** Mirrors `status` so Fastify and other tooling that read `statusCode` agree with us. */
  readonly statusCode: number;
  readonly title: string;
  readonly detail: string;
  readonly errors?: FieldError[];
  readonly extensions?: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

export type ProblemFactory<C extends string> = <K extends C>(code: K, detail: string, extra?: ProblemExtra) => ProblemError<K>;

export function isProblem(err: unknown): err is ProblemError {
  return typeof err === 'object' && err !== null && (err as { [problemBrand]?: unknown })[problemBrand] === true;
}

/** Builds a problem from an explicit definition; the factories below look the definition up by code. */
export function createProblem<C extends string>(code: C, definition: ProblemDefinition, detail: string, extra: ProblemExtra = {}): ProblemError<C> {
  const error = new Error(detail, extra.cause === undefined ? undefined : { cause: extra.cause });
  return Object.assign(error, {
    [problemBrand]: true as const,
    name: 'ProblemError',
    code,
    status: definition.status,
    statusCode: definition.status,
    title: definition.title,
    detail,
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.extensions ? { extensions: extra.extensions } : {}),
    ...(extra.headers ? { headers: extra.headers } : {}),
  });
}

function factoryFor<C extends string>(table: Readonly<Record<C, ProblemDefinition>>): ProblemFactory<C> {
  return (code, detail, extra) => createProblem(code, table[code], detail, extra);
}

/** `throw problem('NOT_FOUND', 'Case c-1 was not found')` — the kit's own codes. */
export const problem: ProblemFactory<BaseProblemCode> = factoryFor(problemCatalog);

/**
 * Adds a service's own codes to the table, keeping the kit's. Returns a `problem` factory typed
 * over both, so a typo in a code is a compile error:
 *
 *   const { problem } = defineProblems({ CASE_CLOSED: { status: 409, title: 'The case is closed' } });
 *   throw problem('CASE_CLOSED', `Case ${caseId} was closed on ${closedAt}`);
 */
export function defineProblems<const T extends Record<string, ProblemDefinition>>(
  codes: T,
): { problem: ProblemFactory<BaseProblemCode | Extract<keyof T, string>>; catalog: typeof problemCatalog & T } {
  for (const [code, definition] of Object.entries(codes)) {
    if (code in problemCatalog) throw new Error(`Problem code ${code} is already defined by @syv/service-kit`);
    if (!problemCodePattern.test(code)) throw new Error(`Problem code ${code} must be UPPER_SNAKE_CASE`);
    if (!Number.isInteger(definition.status) || definition.status < 400 || definition.status > 599) {
      throw new Error(`Problem code ${code} has status ${definition.status}; problems are 4xx or 5xx`);
    }
  }
  const catalog = { ...problemCatalog, ...codes };
  return { problem: factoryFor<BaseProblemCode | Extract<keyof T, string>>(catalog), catalog };
}
