import { encodeMessage, type CaseEvent } from '@syv/contracts';
import { createPublisher, type Publisher } from '@syv/messaging';
import { testInfra } from '@syv/test-harness';

/** Publishes events as the command services' relays would: keyed by case, structured CloudEvents. */
export async function casePublisher(topic: string): Promise<{ publish(events: readonly CaseEvent[]): Promise<void>; close(): Promise<void> }> {
  const publisher: Publisher = await createPublisher({ brokers: testInfra().kafkaBrokers, clientId: 'projection-test-publisher' });
  return {
    publish: (events) => publisher.publish(topic, events.map(encodeMessage)),
    close: () => publisher.close(),
  };
}
