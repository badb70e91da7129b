import type { ThresholdOverrides, Thresholds } from './schema.js';

/**
 * Overrides win field by field; LONG_WAIT merges per agency, so an area can change CAMHS alone.
 * Labelling phrases add up: an area's own phrases join those every area uses, never replace them.
 */
export function mergeThresholds(base: Thresholds, overrides: ThresholdOverrides | undefined): Thresholds {
  if (overrides === undefined) return base;
  const { longWaitDays, labellingPhrases, ...rest } = overrides;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const waits = Object.fromEntries(Object.entries(longWaitDays ?? {}).filter(([, v]) => v !== undefined));
  return { ...base, ...defined, longWaitDays: { ...base.longWaitDays, ...waits }, labellingPhrases: [...base.labellingPhrases, ...(labellingPhrases ?? [])] };
}
