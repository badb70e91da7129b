import { z } from 'zod';
import { envelopeOf } from '../envelope.js';
import { labellingFindingsSchema } from './personal-fields.js';
import { alertAcknowledgedData, alertRaisedData } from './alert.js';
import { caseClosedData, caseReopenedData, closureAssessedData, closureHeldData, closureRejectedData, closureRequestedData } from './closure.js';
import { recordAmendedData } from './amendment.js';
import { childErasedData } from './erasure.js';
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

/** A type whose free texts are checked for labelling language keeps what the check found. */
const withLabelling = <Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) => schema.extend({ labelling: labellingFindingsSchema });

/** The data schema of every event on the case-events topic. */
export const caseEventDataSchemas = {
  'referral.received.v1': withLabelling(referralReceivedData),
  'case.opened.v1': caseOpenedData,
  'case.allocated.v1': withLabelling(caseAllocatedData),
  'onward-referral.made.v1': withLabelling(onwardReferralMadeData),
  'onward-referral.started.v1': onwardReferralStartedData,
  'onward-referral.declined.v1': withLabelling(onwardReferralDeclinedData),
  'onward-referral.withdrawn.v1': withLabelling(onwardReferralWithdrawnData),
  'onward-referral.ended.v1': withLabelling(onwardReferralEndedData),
  'intervention.logged.v1': withLabelling(interventionLoggedData),
  'incident.recorded.v1': withLabelling(incidentRecordedData),
  'risk.assessed.v1': withLabelling(riskAssessedData),
  'closure.requested.v1': withLabelling(closureRequestedData),
  'closure.assessed.v1': closureAssessedData,
  'closure.held.v1': closureHeldData,
  'case.closed.v1': withLabelling(caseClosedData),
  'closure.rejected.v1': withLabelling(closureRejectedData),
  'case.reopened.v1': withLabelling(caseReopenedData),
  'record.amended.v1': withLabelling(recordAmendedData),
  'child.erased.v1': childErasedData,
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
const referralReceived = envelopeOf('referral.received.v1', eventDataSchemas['referral.received.v1']);
const caseOpened = envelopeOf('case.opened.v1', eventDataSchemas['case.opened.v1']);
const caseAllocated = envelopeOf('case.allocated.v1', eventDataSchemas['case.allocated.v1']);
const onwardReferralMade = envelopeOf('onward-referral.made.v1', eventDataSchemas['onward-referral.made.v1']);
const onwardReferralStarted = envelopeOf('onward-referral.started.v1', eventDataSchemas['onward-referral.started.v1']);
const onwardReferralDeclined = envelopeOf('onward-referral.declined.v1', eventDataSchemas['onward-referral.declined.v1']);
const onwardReferralWithdrawn = envelopeOf('onward-referral.withdrawn.v1', eventDataSchemas['onward-referral.withdrawn.v1']);
const onwardReferralEnded = envelopeOf('onward-referral.ended.v1', eventDataSchemas['onward-referral.ended.v1']);
const interventionLogged = envelopeOf('intervention.logged.v1', eventDataSchemas['intervention.logged.v1']);
const incidentRecorded = envelopeOf('incident.recorded.v1', eventDataSchemas['incident.recorded.v1']);
const riskAssessed = envelopeOf('risk.assessed.v1', eventDataSchemas['risk.assessed.v1']);
const closureRequested = envelopeOf('closure.requested.v1', eventDataSchemas['closure.requested.v1']);
const closureAssessed = envelopeOf('closure.assessed.v1', eventDataSchemas['closure.assessed.v1']);
const closureHeld = envelopeOf('closure.held.v1', eventDataSchemas['closure.held.v1']);
const caseClosed = envelopeOf('case.closed.v1', eventDataSchemas['case.closed.v1']);
const closureRejected = envelopeOf('closure.rejected.v1', eventDataSchemas['closure.rejected.v1']);
const caseReopened = envelopeOf('case.reopened.v1', eventDataSchemas['case.reopened.v1']);
const recordAmended = envelopeOf('record.amended.v1', eventDataSchemas['record.amended.v1']);
const childErased = envelopeOf('child.erased.v1', eventDataSchemas['child.erased.v1']);
const alertRaised = envelopeOf('alert.raised.v1', eventDataSchemas['alert.raised.v1']);
const alertAcknowledged = envelopeOf('alert.acknowledged.v1', eventDataSchemas['alert.acknowledged.v1']);

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
  'record.amended.v1': recordAmended,
  'child.erased.v1': childErased,
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
  recordAmended,
  childErased,
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
