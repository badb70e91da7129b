import { z } from 'zod';
import { envelopeOf } from '../envelope.js';
import { alertAcknowledgedData, alertRaisedData } from './alert.js';
import { caseClosedData, caseReopenedData, closureAssessedData, closureHeldData, closureRejectedData, closureRequestedData } from './closure.js';
import { incidentRecordedData, interventionLoggedData, riskAssessedData } from './intervention.js';
import {
  caseAllocatedData,
  caseOpenedData,
  onwardReferralDeclinedData,
  onwardReferralEndedData,
  onwardReferralMadeData,
  onwardReferralStartedData,
  onwardReferralWithdrawnData,
  referralReceivedData,
} from './referral.js';

// Every event type, keyed by its CloudEvents `type`. The schema version is part of the type name: a
// breaking change is a new type (`….v2`) published beside the old one until consumers have moved.
// Order here is the order of the generated documents.

/** The data schema of every event on the case-events topic. */
export const caseEventDataSchemas = {
  'referral.received.v1': referralReceivedData,
  'case.opened.v1': caseOpenedData,
  'case.allocated.v1': caseAllocatedData,
  'onward-referral.made.v1': onwardReferralMadeData,
  'onward-referral.started.v1': onwardReferralStartedData,
  'onward-referral.declined.v1': onwardReferralDeclinedData,
  'onward-referral.withdrawn.v1': onwardReferralWithdrawnData,
  'onward-referral.ended.v1': onwardReferralEndedData,
  'intervention.logged.v1': interventionLoggedData,
  'incident.recorded.v1': incidentRecordedData,
  'risk.assessed.v1': riskAssessedData,
  'closure.requested.v1': closureRequestedData,
  'closure.assessed.v1': closureAssessedData,
  'closure.held.v1': closureHeldData,
  'case.closed.v1': caseClosedData,
  'closure.rejected.v1': closureRejectedData,
  'case.reopened.v1': caseReopenedData,
} as const;

/** The data schema of every event on the case-alerts topic. */
export const alertEventDataSchemas = {
  'alert.raised.v1': alertRaisedData,
  'alert.acknowledged.v1': alertAcknowledgedData,
} as const;

export const eventDataSchemas = { ...caseEventDataSchemas, ...alertEventDataSchemas } as const;

export type CaseEventType = keyof typeof caseEventDataSchemas;
export type AlertEventType = keyof typeof alertEventDataSchemas;
export type EventType = CaseEventType | AlertEventType;

export const CASE_EVENT_TYPES = Object.keys(caseEventDataSchemas) as CaseEventType[];
export const ALERT_EVENT_TYPES = Object.keys(alertEventDataSchemas) as AlertEventType[];
export const EVENT_TYPES: EventType[] = [...CASE_EVENT_TYPES, ...ALERT_EVENT_TYPES];

/** From event type to the type of its `data`. */
export type EventDataMap = { [T in EventType]: z.infer<(typeof eventDataSchemas)[T]> };
export type EventData<T extends EventType> = EventDataMap[T];

// Written out one by one (not mapped) so each keeps its literal type and the unions below can
// discriminate on it.
const referralReceived = envelopeOf('referral.received.v1', referralReceivedData);
const caseOpened = envelopeOf('case.opened.v1', caseOpenedData);
const caseAllocated = envelopeOf('case.allocated.v1', caseAllocatedData);
const onwardReferralMade = envelopeOf('onward-referral.made.v1', onwardReferralMadeData);
const onwardReferralStarted = envelopeOf('onward-referral.started.v1', onwardReferralStartedData);
const onwardReferralDeclined = envelopeOf('onward-referral.declined.v1', onwardReferralDeclinedData);
const onwardReferralWithdrawn = envelopeOf('onward-referral.withdrawn.v1', onwardReferralWithdrawnData);
const onwardReferralEnded = envelopeOf('onward-referral.ended.v1', onwardReferralEndedData);
const interventionLogged = envelopeOf('intervention.logged.v1', interventionLoggedData);
const incidentRecorded = envelopeOf('incident.recorded.v1', incidentRecordedData);
const riskAssessed = envelopeOf('risk.assessed.v1', riskAssessedData);
const closureRequested = envelopeOf('closure.requested.v1', closureRequestedData);
const closureAssessed = envelopeOf('closure.assessed.v1', closureAssessedData);
const closureHeld = envelopeOf('closure.held.v1', closureHeldData);
const caseClosed = envelopeOf('case.closed.v1', caseClosedData);
const closureRejected = envelopeOf('closure.rejected.v1', closureRejectedData);
const caseReopened = envelopeOf('case.reopened.v1', caseReopenedData);
const alertRaised = envelopeOf('alert.raised.v1', alertRaisedData);
const alertAcknowledged = envelopeOf('alert.acknowledged.v1', alertAcknowledgedData);

/** The full CloudEvent schema of every event type. */
export const eventSchemas = {
  'referral.received.v1': referralReceived,
  'case.opened.v1': caseOpened,
  'case.allocated.v1': caseAllocated,
  'onward-referral.made.v1': onwardReferralMade,
  'onward-referral.started.v1': onwardReferralStarted,
  'onward-referral.declined.v1': onwardReferralDeclined,
  'onward-referral.withdrawn.v1': onwardReferralWithdrawn,
  'onward-referral.ended.v1': onwardReferralEnded,
  'intervention.logged.v1': interventionLogged,
  'incident.recorded.v1': incidentRecorded,
  'risk.assessed.v1': riskAssessed,
  'closure.requested.v1': closureRequested,
  'closure.assessed.v1': closureAssessed,
  'closure.held.v1': closureHeld,
  'case.closed.v1': caseClosed,
  'closure.rejected.v1': closureRejected,
  'case.reopened.v1': caseReopened,
  'alert.raised.v1': alertRaised,
  'alert.acknowledged.v1': alertAcknowledged,
} as const satisfies { [T in EventType]: z.ZodType };

export const caseEventSchema = z.discriminatedUnion('type', [
  referralReceived,
  caseOpened,
  caseAllocated,
  onwardReferralMade,
  onwardReferralStarted,
  onwardReferralDeclined,
  onwardReferralWithdrawn,
  onwardReferralEnded,
  interventionLogged,
  incidentRecorded,
  riskAssessed,
  closureRequested,
  closureAssessed,
  closureHeld,
  caseClosed,
  closureRejected,
  caseReopened,
]);
export const alertEventSchema = z.discriminatedUnion('type', [alertRaised, alertAcknowledged]);
export const anyEventSchema = z.discriminatedUnion('type', [caseEventSchema, alertEventSchema]);

/** An event of the case-events topic, in its CloudEvents envelope. */
export type CaseEvent = z.infer<typeof caseEventSchema>;
/** An event of the case-alerts topic, in its CloudEvents envelope. */
export type AlertEvent = z.infer<typeof alertEventSchema>;
export type AnyEvent = CaseEvent | AlertEvent;
/** The enveloped event of one type. */
export type EventOf<T extends EventType> = Extract<AnyEvent, { type: T }>;

/**
 * An event as a decider returns it, before it has an envelope: `{ type, data }`. Distributes over a
 * union of types, so `DomainEvent<'case.opened.v1' | 'referral.received.v1'>` discriminates on `type`.
 */
export type DomainEvent<T extends EventType = EventType> = T extends EventType ? { type: T; data: EventData<T> } : never;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(eventDataSchemas, value);
}
export function isCaseEventType(value: unknown): value is CaseEventType {
  return typeof value === 'string' && Object.hasOwn(caseEventDataSchemas, value);
}
export function isAlertEventType(value: unknown): value is AlertEventType {
  return typeof value === 'string' && Object.hasOwn(alertEventDataSchemas, value);
}
