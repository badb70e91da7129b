import { compileLexicon, DEFAULT_LEXICON, type Agency, type LanguageFlag } from '@syv/contracts';
import { mergeThresholds } from './merge.js';
import type { Thresholds, ThresholdsConfig } from './schema.js';

/** The thresholds that apply to one area: the defaults, changed where that area says so. */
export function thresholdsFor(config: ThresholdsConfig, area: string): Thresholds {
  return mergeThresholds(config.defaults, config.areas[area]);
}

export function longWaitDaysFor(thresholds: Thresholds, agency: Agency): number {
  return thresholds.longWaitDays[agency] ?? thresholds.longWaitDays.default;
}

/** Finds the labelling phrases in a text: the product's lexicon and the area's own phrases. */
export type LanguageMatcher = (text: string) => LanguageFlag[];

/** What one area's rules and writes use: its thresholds and its labelling lexicon. */
export interface AreaRules {
  thresholds: Thresholds;
  matchLanguage: LanguageMatcher;
}

/**
 * Each area's rules, worked out once per area and kept: the projection asks for them at every
 * event and a write at every request, and compiling a lexicon is far dearer than looking it up.
 * A configuration is read at start and never changes while a service runs.
 */
export function areaRulesOf(config: ThresholdsConfig): (area: string) => AreaRules {
  const rulesOf = (thresholds: Thresholds): AreaRules => ({ thresholds, matchLanguage: compileLexicon([...DEFAULT_LEXICON, ...thresholds.labellingPhrases]) });
  const everyArea = rulesOf(config.defaults);
  // Only the areas the configuration names differ from the defaults, so this holds at most one
  // entry per configured area, whatever area codes requests carry.
  const configured = new Map(Object.keys(config.areas).map((area) => [area, rulesOf(thresholdsFor(config, area))] as const));
  return (area) => configured.get(area) ?? everyArea;
}
