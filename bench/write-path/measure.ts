import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

export interface Measurement {
  target: string;
  mode: string;
  requestsPerSec: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface MeasureOptions {
  target: string;
  mode: string;
  url: string;
  caseIds: string[];
  token: string;
  body: string;
  connections: number;
  durationS: number;
  /** Requests per second over all connections; absent = as fast as it answers. */
  rate?: number;
  /** Send a fresh Idempotency-Key with every request (the keyed path: look-up and record). */
  idempotencyKeys?: boolean;
}

/** One autocannon run against POST /v1/cases/{caseId}/interventions, a random known case each time. */
export async function measure(opts: MeasureOptions): Promise<Measurement> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.durationS,
    ...(opts.rate ? { overallRate: opts.rate } : {}),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
        body: opts.body,
        setupRequest: (req) => ({
          ...req,
          path: `/v1/cases/${opts.caseIds[Math.floor(Math.random() * opts.caseIds.length)]}/interventions`,
          ...(opts.idempotencyKeys ? { headers: { ...req.headers, 'idempotency-key': randomUUID() } } : {}),
        }),
      },
    ],
  });
  return {
    target: opts.target,
    mode: opts.mode,
    requestsPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
