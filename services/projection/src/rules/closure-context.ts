import { historyAsOf } from './as-of.js';
import type { CaseHistory, ClosureRequestItem } from './history.js';

interface ClosureContext {
  /** The case as it stood when closure was requested. */
  view: CaseHistory;
  request: ClosureRequestItem;
}

/**
 * The closure request a closure rule assesses at `asOf`: the latest one made at or before it.
 * Without one there is nothing to assess, and the closure rules say nothing.
 */
export function closureContext(history: CaseHistory, asOf: Date): ClosureContext | undefined {
  const view = historyAsOf(history, asOf);
  const request = view.closureRequests.at(-1);
  return request ? { view, request } : undefined;
}

export function closureKey(rule: string, request: ClosureRequestItem, ...anchors: string[]): string {
  return [rule, request.closureRequestId, ...anchors].join(':');
}
