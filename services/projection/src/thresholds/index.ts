export { DEFAULT_THRESHOLDS } from './defaults.js';
export { longWaitDaysFor, thresholdsFor } from './for-area.js';
export { loadThresholds } from './load.js';
export type { Thresholds, ThresholdsConfig } from './schema.js';
