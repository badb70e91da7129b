import { describe, expect, it } from 'vitest';
import { problemCatalog, problemCodePattern, problemTypeUri } from './catalog.js';
import { fieldName } from './from-error.js';
import { isProblem, problem } from './problem.js';

describe('problem catalog', () => {
  it('has the stable codes with their statuses', () => {
    expect(Object.fromEntries(Object.entries(problemCatalog).map(([code, d]) => [code, d.status]))).toMatchObject({
      VALIDATION_FAILED: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      CASE_NOT_FOUND: 404,
      CONFLICT: 409,
      CASE_CLOSED: 409,
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

  it('defines every code well formed: UPPER_SNAKE_CASE, a 4xx or 5xx status, a title and a one-sentence meaning', () => {
    for (const [code, { status, title, meaning }] of Object.entries(problemCatalog)) {
      expect(code, code).toMatch(problemCodePattern);
      expect(status >= 400 && status <= 599, `${code} has status ${status}`).toBe(true);
      expect(title.length, `${code} has no title`).toBeGreaterThan(0);
      expect(meaning, `${code}: the meaning is one sentence`).toMatch(/^[A-Z`][^]*[^.]\.$/);
      expect(meaning, `${code}: the meaning is one sentence`).not.toMatch(/\.\s/);
    }
  });

  it('looks the status and title up by code, so the same code answers the same way everywhere', () => {
    const p = problem('CASE_NOT_FOUND', 'There is no case c-1 in your areas.');
    expect(p).toMatchObject({ code: 'CASE_NOT_FOUND', status: 404, title: problemCatalog.CASE_NOT_FOUND.title });
    // @ts-expect-error a code the catalog does not have is a compile error
    expect(() => problem('CASE_GONE', 'x')).toThrow();
  });

  it('writes field paths the way a client developer does', () => {
    expect(fieldName('body', '/concerns/0')).toBe('body.concerns[0]');
    expect(fieldName('body', '/')).toBe('body');
    expect(fieldName('query', '/limit')).toBe('query.limit');
    expect(fieldName('body', '/a~1b/2/c')).toBe('body.a/b[2].c');
  });
});
