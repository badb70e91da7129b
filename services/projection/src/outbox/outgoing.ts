import type pg from 'pg';
import { encodeMessage, isAlertEventType, type AnyEvent } from '@syv/contracts';
import { fromStoredEvent, toStoredEvent } from '@syv/command-service';
import { appendToStream, type RecordedEvent } from '@syv/event-store';
import type { OutgoingMessage } from '@syv/messaging';

// What the projection publishes (closure.assessed, alert.raised, alert.acknowledged) is first
// appended to its own event store in the transaction that decided it, then relayed to Kafka: a
// crash can delay it, never lose it, and a reprocessed event appends the same id again (a no-op).

/**
 * Appends one event to its own stream. Streams are per closure request and per alert rather than
 * per case, so the consumer, the sweep and a supervisor's acknowledgement never contend for one
 * stream's next version.
 */
export async function appendOutgoing(client: pg.ClientBase, schema: string, streamId: string, event: AnyEvent): Promise<boolean> {
  const result = await appendToStream(client, schema, streamId, 'any', [toStoredEvent(event)]);
  if (!result.ok) throw new Error(`stream ${streamId} refused an append (${result.error.reason}); the transaction is retried`);
  return result.appended.length === 1;
}

interface OutgoingTopics {
  caseEvents: string;
  caseAlerts: string;
}

export function outgoingTopicFor(topics: OutgoingTopics): (event: RecordedEvent) => string {
  return (event) => (isAlertEventType(event.type) ? topics.caseAlerts : topics.caseEvents);
}

export function outgoingMessage(event: RecordedEvent): OutgoingMessage {
  return encodeMessage(fromStoredEvent(event));
}
