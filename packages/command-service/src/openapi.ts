import { problemDetailsSchema } from '@syv/service-kit';

type Status = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 503;

/** Documents the problem+json answers a route can give, so /docs shows them beside the 2xx. */
export function problemResponses(...statuses: Status[]): Partial<Record<Status, typeof problemDetailsSchema>> {
  return Object.fromEntries(statuses.map((s) => [s, problemDetailsSchema]));
}

/** The problems every creating POST can answer: bad input, no token, wrong role, reused key. */
export const writeResponses = problemResponses(400, 401, 403, 413, 415, 422);
