import { createPrng } from '@syv/test-harness';
import { problemCatalog, type ProblemCode } from '@syv/service-kit';
import type { DocumentedRoute } from '../lib/openapi-routes.js';
import { generateRequest, type FuzzContext, type FuzzRequest } from './generate.js';
import { sendRaw, type RawResponse } from './send.js';

interface FuzzOptions {
  seed: number;
  requests: number;
  concurrency: number;
  routes: DocumentedRoute[];
  /** Base URL per service name. */
  urls: Record<string, string>;
  ctx: FuzzContext;
  onProgress?: (sent: number, failures: number) => void;
}

interface FuzzFailure {
  index: number;
  request: string;
  reason: string;
}

interface FuzzReport {
  seed: number;
  sent: number;
  byStatus: Record<string, number>;
  byFamily: Record<string, number>;
  failures: FuzzFailure[];
}

/** The seed of request i of a run: each request can be regenerated alone. */
function requestSeed(runSeed: number, index: number): number {
  return (Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** Request `index` of a run with `seed`: the same every time, so one failure can be sent again alone. */
export function fuzzRequest(seed: number, index: number, routes: DocumentedRoute[], ctx: FuzzContext): FuzzRequest {
  const route = routes[index % routes.length] as DocumentedRoute;
  return generateRequest(route, ctx, createPrng(requestSeed(seed, index)), documentedKeys(routes));
}

const keysOf = new WeakMap<DocumentedRoute[], ReadonlySet<string>>();
function documentedKeys(routes: DocumentedRoute[]): ReadonlySet<string> {
  let keys = keysOf.get(routes);
  if (!keys) {
    keys = new Set(routes.map((r) => r.key));
    keysOf.set(routes, keys);
  }
  return keys;
}

/** Why this answer fails the run, or undefined when it is acceptable. */
function judge(request: FuzzRequest, res: RawResponse): string | undefined {
  if (!res.ok) {
    // Refusing a body far over the limit by answering 413 and closing mid-upload is fair (RFC 9110
    // §15.5.14); the client may then only see its own write fail.
    if (request.label.startsWith('oversized/') && /EPIPE|ECONNRESET/.test(res.error)) return undefined;
    return `no answer: ${res.error}`;
  }
  if (res.status >= 500) return `${res.status}: ${res.text.slice(0, 200)}`;
  if (res.status < 400) return request.mustFail ? `accepted with ${res.status}: bad input or a caller without the right must be refused` : undefined;
  if (!res.contentType.startsWith('application/problem+json')) return `${res.status} with content-type '${res.contentType}', not application/problem+json`;
  try {
    const body = JSON.parse(res.text) as { code?: unknown };
    if (typeof body.code !== 'string' || body.code.length === 0) return `${res.status} problem without a code`;
    // One code, one status, from every service: the catalog says which.
    if (!Object.hasOwn(problemCatalog, body.code)) return `${res.status} problem with code ${body.code.slice(0, 60)}, which the error catalog does not have`;
    const { status } = problemCatalog[body.code as ProblemCode];
    if (status !== res.status) return `${res.status} problem with code ${body.code}, which the error catalog answers with ${status}`;
  } catch {
    return `${res.status} problem body is not JSON`;
  }
  return undefined;
}

export function describeRequest(r: FuzzRequest): string {
  const path = r.path.length > 120 ? `${r.path.slice(0, 120)}…(${r.path.length} chars)` : r.path;
  return `${r.service} ${r.method} ${path} [${r.label}]`;
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { seed: opts.seed, sent: 0, byStatus: {}, byFamily: {}, failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < opts.requests) {
      const index = next++;
      const request = fuzzRequest(opts.seed, index, opts.routes, opts.ctx);
      const base = opts.urls[request.service];
      if (!base) throw new Error(`no URL for service ${request.service}`);
      const res = await sendRaw(base, request);
      report.sent++;
      const status = res.ok ? String(res.status) : `closed: ${res.error}`;
      report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
      const family = request.label.split('/')[0] ?? request.label;
      report.byFamily[family] = (report.byFamily[family] ?? 0) + 1;
      const reason = judge(request, res);
      if (reason) report.failures.push({ index, request: describeRequest(request), reason });
      opts.onProgress?.(report.sent, report.failures.length);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  report.failures.sort((a, b) => a.index - b.index);
  return report;
}

/** Each service still answers /health/live with 200. */
export async function deadServices(urls: Record<string, string>): Promise<string[]> {
  const dead: string[] = [];
  for (const [name, url] of Object.entries(urls)) {
    const res = await fetch(`${url}/health/live`).catch(() => undefined);
    if (res?.status !== 200) dead.push(`${name}: /health/live ${res ? res.status : 'no answer'}`);
  }
  return dead;
}
