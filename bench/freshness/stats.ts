/** Nearest-rank percentile of already sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export interface Distribution {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}

const ms = (v: number) => (Number.isNaN(v) ? '-' : `${v.toFixed(0)} ms`);

/** One row of the summary table: `label  n  p50  p90  p99  max`. */
export function row(label: string, d: Distribution): string {
  return `${label.padEnd(58)} ${String(d.count).padStart(5)} ${ms(d.p50).padStart(9)} ${ms(d.p90).padStart(9)} ${ms(d.p99).padStart(9)} ${ms(d.max).padStart(9)}`;
}

export const header = `${'measure'.padEnd(58)} ${'n'.padStart(5)} ${'p50'.padStart(9)} ${'p90'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}`;
