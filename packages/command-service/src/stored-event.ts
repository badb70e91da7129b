import type { AnyEvent, EventType } from '@syv/contracts';
import type { NewEvent, RecordedEvent } from '@syv/event-store';

// How a CloudEvent sits in a service's events table: `data` as data, the rest of the envelope as
// metadata. The outbox relay puts them back together byte for byte what the service validated.

export function toStoredEvent(event: AnyEvent): NewEvent {
  const { data, ...envelope } = event;
  return { id: event.id, type: event.type, data: data as Record<string, unknown>, metadata: envelope };
}

export function fromStoredEvent(recorded: Pick<RecordedEvent, 'id' | 'type' | 'data' | 'metadata'>): AnyEvent {
  return { ...recorded.metadata, id: recorded.id, type: recorded.type as EventType, data: recorded.data } as AnyEvent;
}

/** What a decider folds: type and data, without the envelope. */
export function toDomainEvent<E extends { type: string; data: unknown }>(recorded: Pick<RecordedEvent, 'type' | 'data'>): E {
  return { type: recorded.type, data: recorded.data } as E;
}
