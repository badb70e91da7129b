import type { LabellingMatcher } from '../rules/index.js';
import type { Thresholds } from '../thresholds/index.js';

/** Where a read model lives and the settings its rules run with. */
export interface ReadModel {
  /** PostgreSQL schema of the read model and of the projection's event store. */
  schema: string;
  thresholdsFor(area: string): Thresholds;
  matchLanguage: LabellingMatcher;
}
