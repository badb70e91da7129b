// The one place the rules meet @syv/contracts: event type names, data fields and vocabularies.
// When a contract is renamed, this file changes and nothing else in rules/ or thresholds/ does.

import type { CaseEvent as ContractCaseEvent } from '@syv/contracts';

export { AGENCIES, areaCode, ERASED_TEXT, isSealedText, UNREADABLE_TEXT } from '@syv/contracts';
export type { Agency, ClosureReason, Concern, Flag as ContractFlag, HarmOutsideHomeKind, IncidentKind, InterventionKind, RiskLevel, SupportOutcome } from '@syv/contracts';

/**
 * The event types the rules read; closure.assessed, closure.held and closure.rejected change no fact
 * they weigh, and child.erased (a child's texts erased) changes none either: the archive keeps it for
 * the history, and the flags stay as they were. A correction (record.amended) changes what the
 * labelling check found in the record it corrects.
 */
type UsedEventType =
  | 'referral.received.v1'
  | 'case.opened.v1'
  | 'onward-referral.made.v1'
  | 'onward-referral.started.v1'
  | 'onward-referral.declined.v1'
  | 'onward-referral.withdrawn.v1'
  | 'onward-referral.ended.v1'
  | 'intervention.logged.v1'
  | 'incident.recorded.v1'
  | 'risk.assessed.v1'
  | 'closure.requested.v1'
  | 'case.closed.v1'
  | 'case.reopened.v1'
  | 'record.amended.v1';

const USED_EVENT_TYPES: ReadonlySet<string> = new Set<UsedEventType>([
  'referral.received.v1',
  'case.opened.v1',
  'onward-referral.made.v1',
  'onward-referral.started.v1',
  'onward-referral.declined.v1',
  'onward-referral.withdrawn.v1',
  'onward-referral.ended.v1',
  'intervention.logged.v1',
  'incident.recorded.v1',
  'risk.assessed.v1',
  'closure.requested.v1',
  'case.closed.v1',
  'case.reopened.v1',
  'record.amended.v1',
]);

// Only id, type and data matter to the rules, so a full CloudEvent and a bare { id, type, data }
// (tests, a stored row) are both accepted.
type Fact<E> = E extends { type: infer T; data: infer D } ? { id: string; type: T; data: D } : never;

/** One event the rules read, narrowed by `type`. */
type UsedEvent = Fact<Extract<ContractCaseEvent, { type: UsedEventType }>>;

/** Any event of the case-events topic; the ones the rules do not read are passed over. */
export interface AnyCaseEvent {
  id: string;
  type: string;
  data: unknown;
}

export function isUsedEvent(event: AnyCaseEvent): event is UsedEvent {
  return USED_EVENT_TYPES.has(event.type);
}

/** Whether the rules read events of this type. */
export function isUsedType(type: string): boolean {
  return USED_EVENT_TYPES.has(type);
}
