export { SPEC_DEFAULTS } from './defaults.js';
export { longWaitDaysFor, thresholdsFor } from './for-area.js';
export { loadThresholds, parseThresholds, type ParsedThresholds, type ThresholdIssue } from './load.js';
export { thresholdsFileSchema, thresholdOverridesSchema, thresholdsSchema, type ThresholdOverrides, type Thresholds, type ThresholdsConfig, type ThresholdsFile } from './schema.js';
