import { historyAsOf } from './as-of.js';
import type { CaseHistory } from './history.js';
import { isClosed } from './status.js';

/**
 * The case as it stands at `asOf`, or nothing when it is closed then: silence on a closed case is
 * not a gap in support, and a closure that should not have happened is the closure rules' job.
 */
export function openCaseAt(history: CaseHistory, asOf: Date): CaseHistory | undefined {
  const view = historyAsOf(history, asOf);
  return isClosed(view) ? undefined : view;
}
