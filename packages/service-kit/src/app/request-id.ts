import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// An incoming id is reused only if it is short and plain: it is written into every log line, so
// it must not carry newlines, JSON or anything else a caller could use to forge log entries.
const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a caller's (or gateway's) `x-request-id`, so one id follows a request across services. */
export function genRequestId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && acceptable.test(incoming) ? incoming : randomUUID();
}
