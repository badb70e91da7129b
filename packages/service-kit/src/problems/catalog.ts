/**
 * The one table of stable error codes every service answers with (as Fastify's lib/errors.js keeps
 * its FST_ERR_* table). Clients branch on `code`; `title` is the same for every occurrence of a code
 * (RFC 9457 §3.1.3) while `detail` explains this occurrence. Never rename a code: add a new one.
 */
export interface ProblemDefinition {
  readonly status: number;
  readonly title: string;
}

export const problemCatalog = {
  VALIDATION_FAILED: { status: 400, title: 'The request does not match the schema' },
  MALFORMED_REQUEST: { status: 400, title: 'The request could not be read' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Not allowed for this role' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict with the current state' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request timeout' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  URI_TOO_LONG: { status: 414, title: 'URI too long' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused with a different request' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  AUTH_UNAVAILABLE: { status: 503, title: 'Token verification is unavailable' },
  NOT_READY: { status: 503, title: 'Service not ready' },
} as const satisfies Record<string, ProblemDefinition>;

export type BaseProblemCode = keyof typeof problemCatalog;

/** `VALIDATION_FAILED` → `urn:syv:problem:validation-failed`: a stable, non-resolvable type URI. */
export function problemTypeUri(code: string): string {
  return `urn:syv:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export const problemCodePattern = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
