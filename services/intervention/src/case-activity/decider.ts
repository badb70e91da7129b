import { accept, reject, type Decision } from '@syv/decider';
import type { DomainEvent } from '@syv/contracts';
import type { ProblemCode } from '@syv/service-kit';

// What workers record on a case: interventions, incidents and risk assessments. They are facts
// with no invariant between them, so the only decision is whether the case can take them: it must
// exist (in the caller's area) and be open. The case's state comes from the local case view.

export type ActivityEvent = DomainEvent<'intervention.logged.v1' | 'incident.recorded.v1' | 'risk.assessed.v1'>;

export type ActivityCommand =
  | { kind: 'log-intervention'; data: Extract<ActivityEvent, { type: 'intervention.logged.v1' }>['data'] }
  | { kind: 'record-incident'; data: Extract<ActivityEvent, { type: 'incident.recorded.v1' }>['data'] }
  | { kind: 'assess-risk'; data: Extract<ActivityEvent, { type: 'risk.assessed.v1' }>['data'] };

/** The case as this service's view knows it; `unknown` also covers another area's case. */
export type CaseStatus = { status: 'unknown' } | { status: 'open' | 'closed'; area: string };

export type ActivityRejection = Extract<ProblemCode, 'CASE_NOT_FOUND' | 'CASE_CLOSED'>;

const eventType = {
  'log-intervention': 'intervention.logged.v1',
  'record-incident': 'incident.recorded.v1',
  'assess-risk': 'risk.assessed.v1',
} as const;

const noun = { 'log-intervention': 'an intervention', 'record-incident': 'an incident', 'assess-risk': 'a risk assessment' } as const;

export function decideActivity(command: ActivityCommand, state: CaseStatus): Decision<ActivityEvent, ActivityRejection> {
  if (state.status === 'unknown') return reject('CASE_NOT_FOUND', 'There is no case with this id in your areas.');
  if (state.status === 'closed') {
    return reject('CASE_CLOSED', `This case is closed, so ${noun[command.kind]} cannot be added. Reopen the case first if the child needs support again.`);
  }
  return accept({ type: eventType[command.kind], data: command.data } as ActivityEvent);
}
