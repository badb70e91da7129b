import defaultFile from './default-thresholds.json' with { type: 'json' };
import { thresholdsSchema, type Thresholds } from './schema.js';

/** the default thresholds, from the file operators copy to start their own configuration. */
export const DEFAULT_THRESHOLDS: Thresholds = thresholdsSchema.parse(defaultFile.defaults);
