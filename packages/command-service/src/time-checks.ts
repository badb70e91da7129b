import { problem } from '@syv/service-kit';

/** Clocks of workers' devices drift; a few minutes ahead is a wrong clock, not a future event. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A recorded time of something that happened must not be in the future. */
export function notInFuture(value: string, field: string, now: Date): void {
  if (Date.parse(value) > now.getTime() + CLOCK_SKEW_MS) {
    throw problem('VALIDATION_FAILED', `${field} is in the future; record what has happened, with the time it happened.`, {
      errors: [{ field, message: 'must not be in the future' }],
    });
  }
}
