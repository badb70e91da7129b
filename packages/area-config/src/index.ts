export { DEFAULT_THRESHOLDS } from './defaults.js';
export { areaRulesOf, longWaitDaysFor, thresholdsFor, type AreaRules, type LanguageMatcher } from './for-area.js';
export { loadThresholds, loadThresholdsFile, parseThresholds } from './load.js';
export type { LabellingPhrase, Thresholds, ThresholdsConfig } from './schema.js';
