import type { ExpectedVersion } from './types.js';

/** Whether a stream now at `actual` satisfies the caller's expectation. */
export function versionMatches(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 0;
  return expected === actual;
}
