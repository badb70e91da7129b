import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/**
 * A fingerprint of a request body for idempotency records: the same JSON with its keys in another
 * order is the same request, so a client that re-serialises on retry is not told it changed.
 */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(body)) ?? 'undefined').digest('hex');
}
