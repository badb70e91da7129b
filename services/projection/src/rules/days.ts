// Durations are elapsed time between instants, counted in 24-hour days. Calendar days in
// Europe/London would move by an hour twice a year and make boundaries depend on the season.

export const DAY_MS = 86_400_000;

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

/** Whole days elapsed, for explanations: 13.9 days reads as 13. */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor(daysBetween(from, to));
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
