/**
 * The one table of error codes every service answers with, the domain's refusals included: a
 * decider names a code, this table gives its HTTP status. Clients branch on `code`; `title` is the
 * same for every occurrence of a code (RFC 9457) while `detail` explains this occurrence; `meaning`
 * is the one situation the code stands for, as docs/errors.md and each service's /docs list it.
 * Never rename a code or give it a second meaning: add a new one.
 */
export interface ProblemDefinition {
  readonly status: number;
  readonly title: string;
  /** One sentence: the situation this code, and no other, stands for. */
  readonly meaning: string;
}

export const problemCatalog = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'The request does not match the schema',
    meaning: 'A field of the body, path, query or headers is missing or invalid; `errors` names each one.',
  },
  MALFORMED_REQUEST: {
    status: 400,
    title: 'The request could not be read',
    meaning: 'The body or URL cannot be parsed: JSON that is invalid or empty, bad percent-encoding, a wrong Content-Length or text that is not UTF-8.',
  },
  BAD_REQUEST: {
    status: 400,
    title: 'Bad request',
    meaning: 'The HTTP server refused the request for a reason no other code covers, given in `detail`.',
  },
  RATIONALE_REQUIRED: {
    status: 400,
    title: 'A written rationale is required',
    meaning: "A supervisor deciding a held closure must write down why, in words the child's next worker can follow.",
  },
  STARTED_BEFORE_REFERRAL: {
    status: 400,
    title: 'The start is before the referral',
    meaning: 'An onward referral cannot start before the date it was made.',
  },
  OUTCOME_BEFORE_REFERRAL: {
    status: 400,
    title: 'The outcome is before the referral',
    meaning: 'An onward referral cannot be declined or withdrawn before the date it was made.',
  },
  ENDED_BEFORE_START: {
    status: 400,
    title: 'The end is before the start',
    meaning: "An onward referral's support cannot end before the date it started.",
  },
  UNAUTHENTICATED: {
    status: 401,
    title: 'Authentication required',
    meaning: 'The bearer token is missing, expired or not valid; `detail` says which.',
  },
  FOUR_EYES: {
    status: 403,
    title: 'A closure needs a second person',
    meaning: 'Whoever requested a closure cannot decide it: another supervisor approves or rejects it.',
  },
  FORBIDDEN: {
    status: 403,
    title: 'Not allowed for this role or area',
    meaning: "The caller's role may not do this, or the request names an area the caller does not work in.",
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    meaning: 'The route, or the record the path names other than a case (a closure request, an onward referral, an alert, a replay), does not exist or is not in your areas.',
  },
  CASE_NOT_FOUND: {
    status: 404,
    title: 'Case not found',
    meaning: 'There is no case with this id in your areas: a case of another area is answered exactly as one that does not exist.',
  },
  CHILD_NOT_FOUND: {
    status: 404,
    title: 'Child not found',
    meaning: 'The child has no case in the area the request names, so there is nothing of theirs to act on there.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    title: 'Request timeout',
    meaning: 'The request was not received in time.',
  },
  CONFLICT: {
    status: 409,
    title: 'Conflict with the current state',
    meaning: "The record's current state does not allow the request, for instance because someone changed it at the same moment; `detail` says why.",
  },
  CASE_CLOSED: {
    status: 409,
    title: 'The case is closed',
    meaning: 'The case is closed, so nothing can be recorded on it (work, an onward referral, a closure request) until it is reopened.',
  },
  CASE_NOT_CLOSED: {
    status: 409,
    title: 'The case is open',
    meaning: 'The case is open, so there is nothing to reopen.',
  },
  CASE_ALREADY_ALLOCATED: {
    status: 409,
    title: 'The case is already allocated',
    meaning: 'The case already has this worker, or (for a social worker taking a case) another one; a supervisor hands a case over.',
  },
  CLOSURE_ALREADY_REQUESTED: {
    status: 409,
    title: 'A closure request is already in progress',
    meaning: 'Another closure request of the case is being assessed or is held for review; wait for its outcome.',
  },
  CLOSURE_REQUEST_NOT_HELD: {
    status: 409,
    title: 'The closure request is not held for review',
    meaning: 'Only a closure request held for review can be approved or rejected; this one is decided, closed by itself or still being assessed.',
  },
  ONWARD_REFERRAL_EXISTS: {
    status: 409,
    title: 'The onward referral already exists',
    meaning: 'An onward referral with this id has already been recorded.',
  },
  ALREADY_STARTED: {
    status: 409,
    title: 'The onward referral has already started',
    meaning: 'The onward referral was already recorded as started; it starts once.',
  },
  ONWARD_REFERRAL_STARTED: {
    status: 409,
    title: 'The onward referral has started',
    meaning: 'The agency has started working with the child, so the referral can no longer be declined or withdrawn; record how its support ended instead.',
  },
  ONWARD_REFERRAL_NOT_STARTED: {
    status: 409,
    title: 'The onward referral has not started',
    meaning: 'Only support that started can end: record the start first, or record the referral as declined or withdrawn.',
  },
  OUTCOME_ALREADY_RECORDED: {
    status: 409,
    title: 'The onward referral already has its outcome',
    meaning: 'The onward referral was already declined, withdrawn or ended; it takes no other outcome and cannot start.',
  },
  ALERT_ALREADY_ACKNOWLEDGED: {
    status: 409,
    title: 'The alert was already acknowledged',
    meaning: 'Someone else (another supervisor, or the worker the case is allocated to) has taken the alert on; the answer says who and when.',
  },
  TEXT_ERASED: {
    status: 409,
    title: 'The text was erased',
    meaning: "The child's personal texts in this area were erased, so this text can no longer be read or corrected.",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Request body too large',
    meaning: 'The request body is larger than the service accepts.',
  },
  URI_TOO_LONG: {
    status: 414,
    title: 'URI too long',
    meaning: 'A path parameter is longer than any valid id.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    meaning: 'The body is not uncompressed UTF-8 JSON sent as application/json.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'Idempotency key reused with a different request',
    meaning: 'The Idempotency-Key was already used for a different request; nothing was recorded.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    title: 'Request header fields too large',
    meaning: 'The request line and headers are larger than the server accepts.',
  },
  INTERNAL: {
    status: 500,
    title: 'Internal server error',
    meaning: 'An unexpected error occurred; quote the `requestId` when reporting it.',
  },
  AUTH_UNAVAILABLE: {
    status: 503,
    title: 'Token verification is unavailable',
    meaning: 'The keys that verify tokens cannot be fetched at the moment; retry shortly.',
  },
  NOT_READY: {
    status: 503,
    title: 'Service not ready',
    meaning: 'The service cannot answer correctly yet (its database is unavailable or it is catching up with the case log); nothing was recorded, retry shortly.',
  },
} as const satisfies Record<string, ProblemDefinition>;

export type ProblemCode = keyof typeof problemCatalog;

/** `VALIDATION_FAILED` → `urn:syv:problem:validation-failed`: a stable, non-resolvable type URI. */
export function problemTypeUri(code: string): string {
  return `urn:syv:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export const problemCodePattern = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
