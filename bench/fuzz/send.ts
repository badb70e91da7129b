import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent byte for byte as the request target: may hold bad percent-encoding on purpose. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export type RawResponse =
  | { ok: true; status: number; contentType: string; text: string; ms: number }
  | { ok: false; error: string; ms: number; reusedSocket?: boolean };

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * node:http rather than fetch: fetch normalises the URL, fixes Content-Length and refuses some
 * headers, and the point here is to send what a broken or hostile client would.
 */
export async function sendRaw(baseUrl: string, req: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const first = await attempt(baseUrl, req, timeoutMs, agent);
  // A kept-alive socket the server had just closed (after answering a request it could not read,
  // it closes the connection) fails the next request on it: Node's documented race, not an answer
  // of the server's. Send once more on a new connection.
  if (!first.ok && first.reusedSocket) return attempt(baseUrl, req, timeoutMs, false);
  return first;
}

function attempt(baseUrl: string, req: RawRequest, timeoutMs: number, via: http.Agent | false): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RawResponse) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    let request: http.ClientRequest;
    try {
      request = http.request({
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
        agent: via,
        timeout: timeoutMs,
      });
    } catch (err) {
      // The client itself refused (e.g. a character Node will not put in a request line): nothing was sent.
      done({ ok: false, error: `not sendable: ${(err as Error).message}`, ms: 0 });
      return;
    }
    request.on('response', (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      // A stream (the alert stream) does not end: its status and type are the answer; hang up.
      if (contentType.startsWith('text/event-stream')) {
        done({ ok: true, status: res.statusCode ?? 0, contentType, text: '', ms: performance.now() - started });
        request.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({ ok: true, status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
      );
      res.on('error', (err) => done({ ok: false, error: `response: ${err.message}`, ms: performance.now() - started }));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // A server that refuses a large body answers (413) and closes while the client is still
    // writing: the write fails (EPIPE) although the answer is on its way. Give it a moment.
    request.on('error', (err) => {
      const failed = { ok: false as const, error: err.message, ms: performance.now() - started, reusedSocket: request.reusedSocket };
      setTimeout(() => done(failed), 500);
    });
    request.end(req.body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}
