import type { FastifyRequest } from 'fastify';
import { problem } from '../problems/problem.js';
import type { ServiceApp } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
// A NUL, or half of a surrogate pair: valid in a JSON string, but PostgreSQL's jsonb and text refuse
// them, so a body holding one would fail at the INSERT with a 500 instead of a 400 now.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return unstorable.test(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => unstorable.test(k) || hasUnstorableText(v));
  return false;
}

function refuseEncoding(request: FastifyRequest): void {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  // Nothing here decompresses: a compressed body would be read as JSON text (a confusing 400), and a
  // body that only claims to be compressed would be taken as it is, which is not what was sent.
  if (encoding && encoding !== 'identity') {
    throw problem('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding '${encoding.slice(0, 50)}' is not accepted here; send the JSON body uncompressed.`);
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw problem('UNSUPPORTED_MEDIA_TYPE', `charset=${charset.slice(0, 30)} is not accepted here; JSON is UTF-8 (RFC 8259).`);
  }
}

/**
 * Fastify's JSON parser (with its __proto__ and constructor checks) behind three checks it does not
 * make: no content coding, no charset but UTF-8, and bytes that really are UTF-8 — Node would
 * otherwise replace invalid bytes with U+FFFD and the services would record text nobody wrote.
 */
export function strictJsonBodies(app: ServiceApp): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      refuseEncoding(request);
      text = utf8.decode(body as Buffer);
    } catch (err) {
      done(err instanceof TypeError ? problem('MALFORMED_REQUEST', 'The request body is not valid UTF-8; JSON must be sent as UTF-8 (RFC 8259).') : (err as Error), undefined);
      return;
    }
    parseJson(request, text, (err, parsed) => {
      if (err) return done(err, undefined);
      if (hasUnstorableText(parsed)) {
        return done(problem('MALFORMED_REQUEST', 'The request body holds a NUL character or an unpaired surrogate (\\u0000, \\ud800…), which cannot be stored; remove it.'), undefined);
      }
      done(null, parsed);
    });
  });
}
