/**
 * Capped exponential delay after the nth consecutive failure (n ≥ 1), with "equal jitter": half
 * fixed, half random, so instances that failed together do not retry together.
 */
export function backoffDelay(failures: number, { baseMs = 200, maxMs = 30_000 } = {}, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
