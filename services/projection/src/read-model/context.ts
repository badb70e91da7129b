import type { RuleSettings } from '../fold/step.js';

/** Where a read model lives, and the settings its rules run with. */
export interface ReadModel extends RuleSettings {
  /** PostgreSQL schema of the read model and of the projection's event store. */
  schema: string;
}
