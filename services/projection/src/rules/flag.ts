import type { Thresholds } from '@syv/area-config';
import type { ContractFlag } from './contract.js';
import type { CaseHistory } from './history.js';

/**
 * A flag as the contracts carry it (rule, severity, explanation, evidence), plus the key the
 * projection uses to raise its alert once.
 */
export interface Flag extends ContractFlag {
  /**
   * Identity of this occurrence of the flag: the same situation gives the same key on every
   * sweep and on replay, so an alert is raised once when the key first appears.
   */
  key: string;
}

/** A rule sees one case as it stood at `asOf` (events with a later domain time do not count). */
export type Rule = (history: CaseHistory, asOf: Date, thresholds: Thresholds) => Flag[];
