import { causedBy, makeEvent, SOURCES, type CaseEvent, type EventOf, type Flag as ContractFlag } from '@syv/contracts';
import { alertIdOf, alertRaisedEventId, closureAssessedEventId } from '../outbox/ids.js';
import type { Flag } from '../rules/index.js';

/** Who the projection's own events are from. */
const SYSTEM_ACTOR = { sub: 'projection', role: 'system' } as const;

/** The event an alert is attributed to: its correlation is followed, its id is the causation. */
export interface AlertCause {
  id: string;
  correlationid: string;
}

/**
 * A flag that raises an alert unless its key has one already: the unique key is what makes an
 * alert be raised once when a flag starts, not on every sweep, and the same once again on a replay.
 */
export interface AlertCandidate {
  key: string;
  alertId: string;
  caseId: string;
  area: string;
  flag: Flag;
  /** The point in time the rules were evaluated at when the flag fired. */
  raisedAt: Date;
  /** CloudEvents `time` of the alert event: the cause's, or the sweep's clock. */
  recordedAt: Date;
  cause: AlertCause;
}

function alertKeyOf(caseId: string, flag: Pick<Flag, 'key'>): string {
  return `${caseId}:${flag.key}`;
}

export function contractFlag(flag: Flag): ContractFlag {
  return { rule: flag.rule, severity: flag.severity, explanation: flag.explanation, evidence: flag.evidence };
}

export function alertCandidates(r: { caseId: string; area: string; flags: readonly Flag[]; raisedAt: Date; recordedAt: Date; cause: AlertCause }): AlertCandidate[] {
  return r.flags.map((flag) => {
    const key = alertKeyOf(r.caseId, flag);
    return { key, alertId: alertIdOf(key), caseId: r.caseId, area: r.area, flag, raisedAt: r.raisedAt, recordedAt: r.recordedAt, cause: r.cause };
  });
}

/** What is published when an alert is raised; its id follows from the alert's, so a replay publishes the same event. */
export function alertRaisedEvent(a: AlertCandidate): EventOf<'alert.raised.v1'> {
  const { flag } = a;
  return makeEvent(
    'alert.raised.v1',
    { alertId: a.alertId, caseId: a.caseId, area: a.area, rule: flag.rule, severity: flag.severity, explanation: flag.explanation, evidence: flag.evidence, raisedAt: a.raisedAt.toISOString() },
    {
      id: alertRaisedEventId(a.alertId),
      source: SOURCES.projection,
      time: a.recordedAt,
      subject: a.caseId,
      area: a.area,
      correlationid: a.cause.correlationid,
      causationid: a.cause.id,
      actor: SYSTEM_ACTOR,
    },
  );
}

/**
 * The saga's middle step, as published: the closure rules' flags on the case as it stood at the
 * request. Everything derives from the request, so a replay publishes the same event (same id,
 * same assessedAt) and the event store keeps the first.
 */
export function closureAssessedEvent(request: EventOf<'closure.requested.v1'>, flags: readonly Flag[]): EventOf<'closure.assessed.v1'> {
  const { closureRequestId, caseId, requestedAt } = request.data;
  return makeEvent(
    'closure.assessed.v1',
    { closureRequestId, caseId, flags: flags.map(contractFlag), assessedAt: requestedAt },
    { id: closureAssessedEventId(closureRequestId), source: SOURCES.projection, time: request.time, ...causedBy(request), actor: SYSTEM_ACTOR },
  );
}

export const causeOf = (event: Pick<CaseEvent, 'id' | 'correlationid'>): AlertCause => ({ id: event.id, correlationid: event.correlationid });
