import type pg from 'pg';
import type { AlertCandidate } from '../fold/alerts.js';
import { foldEvents, rereferralsOf, type Positioned } from '../fold/slice.js';
import type { Assessment } from '../fold/step.js';
import type { ReadModel } from './context.js';
import { loadChildren, loadStates } from './load.js';
import { archiveEvents, raiseAlerts, writeAssessments, writeCases, writeFacts, writeOwnFlags, writeRereferrals } from './write.js';

export interface SliceApplied {
  /** Alerts raised now (a key that had one already raises none). */
  alerts: AlertCandidate[];
  assessments: Assessment[];
}

/**
 * Applies a slice of new (never applied) case events, in log order, in the caller's transaction:
 * the touched cases' states read in one query, every rule run in memory, everything written back
 * in bulk. The statements do not grow in number with the slice: its size bounds only how long the
 * transaction runs.
 */
export async function applySlice(client: pg.ClientBase, rm: ReadModel, events: readonly Positioned[]): Promise<SliceApplied> {
  if (events.length === 0) return { alerts: [], assessments: [] };
  const { schema } = rm;
  const settings = { thresholdsFor: rm.thresholdsFor, match: rm.matchLanguage };
  const states = await loadStates(client, schema, [...new Set(events.map((e) => e.event.subject))]);
  const fold = foldEvents(states, events, settings);

  await archiveEvents(client, schema, fold.archive);
  await writeCases(client, schema, [...fold.cases.values()]);
  await writeOwnFlags(client, schema, [...fold.flagsChanged].map((id) => fold.cases.get(id)!));
  await writeFacts(client, schema, { referrals: fold.referrals, onward: [...fold.onward.values()], closures: fold.closures });
  await writeAssessments(client, schema, fold.assessments);

  // The re-referral rule reads across the child's cases, which other partitions write: locked per child.
  const children = await loadChildren(client, schema, [...fold.children.values()]);
  const rereferrals = rereferralsOf(fold, children, settings);
  await writeRereferrals(
    client,
    schema,
    [...rereferrals.values()].map(({ facts, result }) => ({ closedCases: facts.closures.map((c) => c.caseId), result })),
  );
  const alerts = await raiseAlerts(client, schema, [...fold.alerts, ...[...rereferrals.values()].flatMap((r) => r.result.alerts)]);
  return { alerts, assessments: fold.assessments };
}
