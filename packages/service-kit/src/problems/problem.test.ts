import { describe, expect, it } from 'vitest';
import { problemCatalog, problemTypeUri } from './catalog.js';
import { fieldName } from './from-error.js';
import { defineProblems, isProblem, problem } from './problem.js';

describe('problem catalog', () => {
  it('has the stable codes with their statuses', () => {
    expect(Object.fromEntries(Object.entries(problemCatalog).map(([code, d]) => [code, d.status]))).toMatchObject({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      CONFLICT: 409,
      PAYLOAD_TOO_LARGE: 413,
      UNSUPPORTED_MEDIA_TYPE: 415,
      IDEMPOTENCY_KEY_REUSED: 422,
      INTERNAL: 500,
      NOT_READY: 503,
    });
    expect(problemTypeUri('IDEMPOTENCY_KEY_REUSED')).toBe('urn:syv:problem:idempotency-key-reused');
  });

  it('builds a branded, throwable problem', () => {
    const p = problem('CONFLICT', 'Version 3 expected, found 4', { extensions: { expectedVersion: 3 } });
    expect(p).toBeInstanceOf(Error);
    expect(isProblem(p)).toBe(true);
    expect(isProblem(Object.assign(new Error('x'), { code: 'CONFLICT', status: 409 }))).toBe(false);
    expect(p).toMatchObject({ code: 'CONFLICT', status: 409, statusCode: 409, detail: 'Version 3 expected, found 4' });
  });

  it('lets a service add codes but not redefine or misspell them', () => {
    const { problem: p, catalog } = defineProblems({ CASE_CLOSED: { status: 409, title: 'The case is closed' } });
    expect(p('CASE_CLOSED', 'closed').status).toBe(409);
    expect(p('NOT_FOUND', 'gone').status).toBe(404);
    expect(catalog.CASE_CLOSED.title).toBe('The case is closed');
    expect(() => defineProblems({ NOT_FOUND: { status: 404, title: 'x' } })).toThrow(/already defined/);
    expect(() => defineProblems({ 'case-closed': { status: 409, title: 'x' } })).toThrow(/UPPER_SNAKE_CASE/);
    expect(() => defineProblems({ ODD: { status: 200, title: 'x' } })).toThrow(/4xx or 5xx/);
  });

  it('writes field paths the way a client developer does', () => {
    expect(fieldName('body', '/concerns/0')).toBe('body.concerns[0]');
    expect(fieldName('body', '/')).toBe('body');
    expect(fieldName('query', '/limit')).toBe('query.limit');
    expect(fieldName('body', '/a~1b/2/c')).toBe('body.a/b[2].c');
  });
});
