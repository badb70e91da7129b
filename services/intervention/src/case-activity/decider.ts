import { accept, reject, type Decision } from '@syv/decider';
import type { DomainEvent, HarmOutsideHomeKind } from '@syv/contracts';
import type { ProblemCode } from '@syv/service-kit';

// What workers record on a case: interventions, incidents and risk assessments. They are facts
// with no invariant between them, so the only decision is whether the case can take them: it must
// exist (in the caller's area) and be open. The case's state comes from the local case view.

export type ActivityEvent = DomainEvent<'intervention.logged.v1' | 'incident.recorded.v1' | 'risk.assessed.v1'>;

type RiskAssessed = Extract<ActivityEvent, { type: 'risk.assessed.v1' }>['data'];

/** A risk assessment as asked for: harm outside the home as a yes/no, as the kinds found, or both (they must agree). */
export type RiskAssessment = Omit<RiskAssessed, 'extraFamilialHarm'> & { extraFamilialHarm?: boolean };

export type ActivityCommand =
  | { kind: 'log-intervention'; data: Extract<ActivityEvent, { type: 'intervention.logged.v1' }>['data'] }
  | { kind: 'record-incident'; data: Extract<ActivityEvent, { type: 'incident.recorded.v1' }>['data'] }
  | { kind: 'assess-risk'; data: RiskAssessment };

/** The case as this service's view knows it; `unknown` also covers another area's case. */
export type CaseStatus = { status: 'unknown' } | { status: 'open' | 'closed'; area: string };

export type ActivityRejection = Extract<ProblemCode, 'CASE_NOT_FOUND' | 'CASE_CLOSED' | 'VALIDATION_FAILED'>;

/**
 * Whether a risk assessment found harm outside the home (extraFamilialHarm): as sent, or derived
 * from the kinds it names (some kind → true, an empty list → false). Both sent must agree; neither
 * sent says nothing, which a risk assessment must say. A refusal names the field to correct.
 */
export function extraFamilialHarmOf(a: {
  extraFamilialHarm?: boolean | undefined;
  harmOutsideHome?: readonly HarmOutsideHomeKind[] | undefined;
}): { ok: true; extraFamilialHarm: boolean } | { ok: false; field: 'extraFamilialHarm' | 'harmOutsideHome'; message: string } {
  if (a.harmOutsideHome === undefined) {
    return a.extraFamilialHarm === undefined
      ? { ok: false, field: 'extraFamilialHarm', message: 'say whether there is harm outside the home: send extraFamilialHarm, harmOutsideHome (its kinds) or both' }
      : { ok: true, extraFamilialHarm: a.extraFamilialHarm };
  }
  const found = a.harmOutsideHome.length > 0;
  if (a.extraFamilialHarm !== undefined && a.extraFamilialHarm !== found) {
    return {
      ok: false,
      field: 'harmOutsideHome',
      message: found
        ? 'names kinds of harm outside the home while extraFamilialHarm is false; send one of them, or make them agree'
        : 'is empty while extraFamilialHarm is true; name the kinds of harm outside the home, or send extraFamilialHarm alone',
    };
  }
  return { ok: true, extraFamilialHarm: found };
}

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
  if (command.kind === 'assess-risk') {
    const harm = extraFamilialHarmOf(command.data);
    if (!harm.ok) return reject('VALIDATION_FAILED', `${harm.field}: ${harm.message}.`);
    return accept({ type: 'risk.assessed.v1', data: { ...command.data, extraFamilialHarm: harm.extraFamilialHarm } });
  }
  return accept({ type: eventType[command.kind], data: command.data } as ActivityEvent);
}
