import type { CaseHistory } from './history.js';

/**
 * When the child's views were last recorded: the latest domain time of an intervention or a risk
 * assessment that wrote down what the child said (non-blank childViews). Undefined when never,
 * including on records made before views could be recorded. As of a date, pass historyAsOf's view.
 */
export function childViewsLastRecordedAt(history: CaseHistory): Date | undefined {
  const latest = <T>(items: readonly T[], recorded: (item: T) => boolean, at: (item: T) => Date) => {
    for (let i = items.length - 1; i >= 0; i--) if (recorded(items[i]!)) return at(items[i]!);
    return undefined;
  };
  const fromSession = latest(history.interventions, (i) => i.childViewsRecorded === true, (i) => i.deliveredAt);
  const fromAssessment = latest(history.riskAssessments, (r) => r.childViewsRecorded === true, (r) => r.assessedAt);
  if (fromSession === undefined) return fromAssessment;
  if (fromAssessment === undefined) return fromSession;
  return fromAssessment.getTime() > fromSession.getTime() ? fromAssessment : fromSession;
}
