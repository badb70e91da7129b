import type { CaseHistory } from './history.js';

/**
 * Whether the case is closed, reading the history as given (apply `historyAsOf` first). The last
 * of closures and reopenings decides; at the same instant the reopening wins, since a case is
 * only reopened after it was closed.
 */
export function isClosed(history: CaseHistory): boolean {
  const closed = history.closures.at(-1)?.closedAt.getTime();
  if (closed === undefined) return false;
  const reopened = history.reopenings.at(-1)?.reopenedAt.getTime();
  return reopened === undefined || reopened < closed;
}
