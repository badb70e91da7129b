import defaultFile from './default-thresholds.json' with { type: 'json' };
import { thresholdsSchema, type Thresholds } from './schema.js';

/** SPEC §5's defaults, from the file operators copy to start their own configuration. */
export const SPEC_DEFAULTS: Thresholds = thresholdsSchema.parse(defaultFile.defaults);
