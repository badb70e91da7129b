import type { AnyEvent, EventType } from './events/catalog.js';
import { isAlertEventType } from './events/catalog.js';

// The two topics. These are the default names; each service reads its topic names from
// its configuration (tests give every file its own topics), so pass those to `topicOf` rather than
// using the constants directly where a service publishes or subscribes.

export const CASE_EVENTS_TOPIC = 'case-events';
export const CASE_ALERTS_TOPIC = 'case-alerts';

export interface Topics {
  caseEvents: string;
  caseAlerts: string;
}

export const TOPICS = { caseEvents: CASE_EVENTS_TOPIC, caseAlerts: CASE_ALERTS_TOPIC } as const satisfies Topics;
export const TOPIC_NAMES = [CASE_EVENTS_TOPIC, CASE_ALERTS_TOPIC] as const;

/** The topic an event type is published on. */
export function topicOf(type: EventType, topics: Topics = TOPICS): string {
  return isAlertEventType(type) ? topics.caseAlerts : topics.caseEvents;
}

/**
 * The Kafka key of every message on both topics is the caseId (= the CloudEvent `subject`): all of a
 * case's events land on one partition, so every consumer, and every replay, sees them in one order.
 */
export function messageKey(event: Pick<AnyEvent, 'subject'>): string {
  return event.subject;
}
