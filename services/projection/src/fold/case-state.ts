import type { CaseEvent } from '@syv/contracts';
import { addFact, emptyFold, type FactFold, type Flag, type LabellingMatcher } from '../rules/index.js';
import type { AlertCause } from './alerts.js';

/** Where a flag came from; re-referral flags are decided across a child's cases and kept apart (see rereferral.ts). */
export type FlagSource = 'time' | 'closure' | 'language' | 'rereferral';
type OwnFlagSource = Exclude<FlagSource, 'rereferral'>;

/** A flag on a case now, with the point in time it started. */
export interface CaseFlag {
  key: string;
  source: FlagSource;
  rule: Flag['rule'];
  severity: Flag['severity'];
  explanation: string;
  evidence: string[];
  since: Date;
}

/**
 * One case as the projection keeps it between events, stored with its row: the facts every rule
 * reads (in domain-time order, each with its evidence event id; notes only as the labelling found
 * in them), the case's own flags, and what the row and the sweep need. Applying an event never
 * reads the case's earlier events back: this is all there is.
 */
export interface CaseState {
  caseId: string;
  facts: FactFold;
  /** Closure requests a supervisor rejected: their flags were acted on. */
  rejectedRequests: string[];
  /** The case's own flags now (time, closure, language), in key order. */
  flags: CaseFlag[];
  /** Events of the case applied, of every type. */
  eventCount: number;
  /** The area of the case's first event, for a case whose facts name none. */
  firstArea: string;
  /** Envelope time of the latest event (the sweep waits until a case has been quiet). */
  lastRecordedAt: Date;
  /** The latest event in log order: what a sweep's alert is attributed to. */
  last: AlertCause;
  /** The point in time the time rules last looked at (an event's domain time or the sweep's clock); it only moves forward. */
  flagsAsOf: Date | null;
  /** The first instant at which a time rule could change its answer (a hint for the sweep). */
  nextSweepAt: Date | null;
  /** The worker the case is allocated to (their token's `sub`); absent while nobody is. */
  allocatedTo?: string;
}

export function emptyCaseState(event: Pick<CaseEvent, 'subject' | 'area' | 'time' | 'id' | 'correlationid'>): CaseState {
  return {
    caseId: event.subject,
    facts: emptyFold(event.subject),
    rejectedRequests: [],
    flags: [],
    eventCount: 0,
    firstArea: event.area,
    lastRecordedAt: new Date(event.time),
    last: { id: event.id, correlationid: event.correlationid },
    flagsAsOf: null,
    nextSweepAt: null,
  };
}

/** One event added to the case: its fact (if the rules read it) and the bookkeeping. Pure. */
export function evolve(state: CaseState, event: CaseEvent, match: LabellingMatcher): CaseState {
  const recorded = Date.parse(event.time);
  return {
    ...state,
    facts: addFact(state.facts, event, match),
    rejectedRequests: event.type === 'closure.rejected.v1' ? [...state.rejectedRequests, event.data.closureRequestId] : state.rejectedRequests,
    eventCount: state.eventCount + 1,
    lastRecordedAt: recorded > state.lastRecordedAt.getTime() ? new Date(recorded) : state.lastRecordedAt,
    last: { id: event.id, correlationid: event.correlationid },
    ...(event.type === 'case.allocated.v1' ? { allocatedTo: event.data.allocatedTo } : {}),
  };
}

// The case's flags change in three ways, as the rules decide them: a source's flags become a set
// (a time flag that no longer holds leaves), flags are added, a source's flags are cleared. A flag
// already there keeps its source and the time it started; its wording and evidence are refreshed
// (an explanation counts days).

function upsert(flags: readonly CaseFlag[], source: FlagSource, added: readonly Flag[], since: Date): CaseFlag[] {
  const byKey = new Map(flags.map((f) => [f.key, f]));
  for (const f of added) {
    const had = byKey.get(f.key);
    byKey.set(f.key, had ? { ...had, severity: f.severity, explanation: f.explanation, evidence: f.evidence } : { key: f.key, source, rule: f.rule, severity: f.severity, explanation: f.explanation, evidence: f.evidence, since });
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function replaceFlags(flags: readonly CaseFlag[], source: OwnFlagSource, now: readonly Flag[], since: Date): CaseFlag[] {
  const keys = new Set(now.map((f) => f.key));
  return upsert(flags.filter((f) => f.source !== source || keys.has(f.key)), source, now, since);
}

export function addFlags(flags: readonly CaseFlag[], source: OwnFlagSource, added: readonly Flag[], since: Date): CaseFlag[] {
  return added.length === 0 ? [...flags] : upsert(flags, source, added, since);
}

export function clearFlags(flags: readonly CaseFlag[], source: OwnFlagSource): CaseFlag[] {
  return flags.filter((f) => f.source !== source);
}

const sameFlag = (f: CaseFlag, g: CaseFlag) =>
  f.key === g.key && f.source === g.source && f.severity === g.severity && f.explanation === g.explanation && f.since.getTime() === g.since.getTime() && f.evidence.join() === g.evidence.join();

/** What writing a case's flags must change: the keys gone, and the flags new or reworded. */
export interface FlagChanges {
  removed: { caseId: string; key: string }[];
  upserted: (CaseFlag & { caseId: string })[];
}

export function flagChanges(caseId: string, before: readonly CaseFlag[], after: readonly CaseFlag[], into: FlagChanges = { removed: [], upserted: [] }): FlagChanges {
  const was = new Map(before.map((f) => [f.key, f]));
  const now = new Set(after.map((f) => f.key));
  for (const f of before) if (!now.has(f.key)) into.removed.push({ caseId, key: f.key });
  for (const f of after) {
    const had = was.get(f.key);
    if (!had || !sameFlag(had, f)) into.upserted.push({ ...f, caseId });
  }
  return into;
}
