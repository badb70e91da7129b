import type pg from 'pg';
import type { AlertCandidate } from '../fold/alerts.js';
import { foldEvents, rereferralsOf, type Positioned } from '../fold/slice.js';
import type { Assessment, RuleSettings } from '../fold/step.js';
import type { ReadModel } from './context.js';
import { loadChildren, loadStates } from './load.js';
import { archiveEvents, raiseAlerts, writeAssessments, writeCases, writeFacts, writeOwnFlags, writeRereferrals } from './write.js';

interface SliceApplied {
  /** The events applied now, in log order: a redelivered one (archived before) is not. */
  applied: Positioned['event'][];
  /** Alerts raised now (a key that had one already raises none). */
  alerts: AlertCandidate[];
  assessments: Assessment[];
}

/**
 * Applies a slice of case events, in log order, in the caller's transaction: the events archived
 * (which also tells the ones applied before, skipped), the touched cases' states read in one query,
 * every rule run in memory, everything written back in bulk. The statements do not grow in number
 * with the slice: its size bounds only how long the transaction runs.
 */
export async function applySlice(client: pg.ClientBase, rm: ReadModel, slice: readonly Positioned[]): Promise<SliceApplied> {
  const { schema } = rm;
  const archived = await archiveEvents(client, schema, slice);
  const seen = new Set<string>();
  // Once each, and only those archived now (a repeat within the slice counts once).
  // PostgreSQL answers uuids in lower case; an id may have been written in upper case.
  const events = slice.filter((p) => archived.has(p.event.id.toLowerCase()) && !seen.has(p.event.id) && seen.add(p.event.id));
  if (events.length === 0) return { applied: [], alerts: [], assessments: [] };
  const settings: RuleSettings = rm;
  const states = await loadStates(client, schema, [...new Set(events.map((e) => e.event.subject))]);
  const fold = foldEvents(states, events, settings);

  await writeCases(client, schema, [...fold.cases.values()]);
  await writeOwnFlags(client, schema, fold.flagChanges);
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
  return { applied: events.map((p) => p.event), alerts, assessments: fold.assessments };
}
