import type { Agency } from '@syv/contracts';
import { mergeThresholds } from './merge.js';
import type { Thresholds, ThresholdsConfig } from './schema.js';

/** The thresholds that apply to one area: the defaults, changed where that area says so. */
export function thresholdsFor(config: ThresholdsConfig, area: string): Thresholds {
  return mergeThresholds(config.defaults, config.areas[area]);
}

export function longWaitDaysFor(thresholds: Thresholds, agency: Agency): number {
  return thresholds.longWaitDays[agency] ?? thresholds.longWaitDays.default;
}
