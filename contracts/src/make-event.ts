import { randomUUID } from 'node:crypto';
import { DATA_CONTENT_TYPE, SPEC_VERSION, type Actor } from './envelope.js';
import type { AnyEvent, EventData, EventOf, EventType } from './events/catalog.js';
import { parseEventOfType, type EventIssue } from './parse.js';

// How services put an event in its envelope. It validates, so an event that would be refused by
// every consumer is refused here, before it is stored, rather than discovered on the topic.

export interface EventMeta {
  /** Defaults to a random UUID; pass one to make a retried command produce the same event. */
  id?: string;
  source: string;
  /** Defaults to now; pass the command's clock for deterministic tests. */
  time?: string | Date;
  /** The caseId; defaults to `data.caseId`. */
  subject?: string;
  correlationid: string;
  causationid: string;
  actor: Actor;
  area: string;
}

export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(
    message: string,
    readonly issues: EventIssue[],
  ) {
    super(message);
  }
}

/** Builds, validates and returns the enveloped event; throws `EventValidationError` naming the bad fields. */
export function makeEvent<T extends EventType>(type: T, data: EventData<T>, meta: EventMeta): EventOf<T> {
  const time = meta.time ?? new Date();
  const candidate = {
    specversion: SPEC_VERSION,
    id: meta.id ?? randomUUID(),
    source: meta.source,
    type,
    time: typeof time === 'string' ? time : time.toISOString(),
    subject: meta.subject ?? (data as { caseId: string }).caseId,
    datacontenttype: DATA_CONTENT_TYPE,
    correlationid: meta.correlationid,
    causationid: meta.causationid,
    actor: meta.actor,
    area: meta.area,
    data,
  };
  const parsed = parseEventOfType(type, candidate);
  if (!parsed.ok) throw new EventValidationError(parsed.error.message, parsed.error.issues);
  return parsed.event;
}

/**
 * The envelope attributes an event inherits from the event that caused it: same case and area,
 * same correlation, and the cause's id as causation, so an auditor can follow the chain.
 */
export function causedBy(cause: Pick<AnyEvent, 'id' | 'subject' | 'area' | 'correlationid'>): Pick<EventMeta, 'subject' | 'area' | 'correlationid' | 'causationid'> {
  return { subject: cause.subject, area: cause.area, correlationid: cause.correlationid, causationid: cause.id };
}
