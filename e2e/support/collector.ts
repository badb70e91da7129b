import { parseCaseEvent, type CaseEvent } from '@syv/contracts';
import type { IncomingMessage } from '@syv/messaging';
import { followTopic, waitFor } from '@syv/test-harness';

export interface TopicCollector {
  messages: IncomingMessage[];
  /** Every message parsed as a case event; throws naming the first invalid one. */
  events(): CaseEvent[];
  waitForEvent(predicate: (e: CaseEvent) => boolean, what: string): Promise<CaseEvent>;
  stop(): Promise<void>;
}

/** Reads a topic from the beginning for the whole test file, as an independent consumer would. */
export async function collectTopic(topic: string): Promise<TopicCollector> {
  const { messages, stop } = await followTopic(topic);
  const events = () =>
    messages.map((m) => {
      const parsed = parseCaseEvent(JSON.parse(m.value?.toString('utf8') ?? 'null'));
      if (!parsed.ok) throw new Error(`invalid event at ${m.partition}/${m.offset}: ${parsed.error.message}`);
      return parsed.event;
    });
  return {
    messages,
    events,
    waitForEvent: (predicate, what) => waitFor(() => events().find(predicate), { what, timeoutMs: 20_000 }),
    stop,
  };
}
