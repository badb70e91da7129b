import { randomUUID } from 'node:crypto';
import { createSubscriber, topicEndOffsets, type IncomingMessage } from '@syv/messaging';
import { testInfra } from './infra.js';
import { waitFor } from './wait.js';

// Reading a topic as an independent consumer would (a throwaway group, from the beginning): for
// asserting what actually reached the broker. `brokers` defaults to the test run's; scripts outside
// a test run (the benchmarks) pass their own.

interface TopicFollower {
  /** Every message read so far, in the order the batches arrived. */
  messages: IncomingMessage[];
  /** The offset after the last message read from `partition`, if any was. */
  position(partition: number): number | undefined;
  stop(): Promise<void>;
}

/** Reads `topic` from the beginning until stopped. */
export async function followTopic(topic: string, opts: { brokers?: string[] } = {}): Promise<TopicFollower> {
  const messages: IncomingMessage[] = [];
  const next = new Map<number, number>();
  const subscriber = await createSubscriber({
    brokers: opts.brokers ?? testInfra().kafkaBrokers,
    clientId: 'topic-reader',
    groupId: `topic-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      messages.push(...batch.messages);
      const last = batch.messages.at(-1);
      if (last) next.set(batch.partition, Math.max(next.get(batch.partition) ?? 0, Number(last.offset) + 1));
    },
  });
  return { messages, position: (partition) => next.get(partition), stop: () => subscriber.stop() };
}

/**
 * Every message on `topic` up to its end offsets at the time of the call, or until `until` holds.
 * Fails after `timeoutMs` rather than wait forever.
 */
export async function readTopic(
  topic: string,
  opts: { brokers?: string[]; until?: (messages: IncomingMessage[]) => boolean; timeoutMs?: number } = {},
): Promise<IncomingMessage[]> {
  const brokers = opts.brokers ?? testInfra().kafkaBrokers;
  const ends = await topicEndOffsets({ brokers, clientId: 'topic-reader' }, topic);
  const follower = await followTopic(topic, { brokers });
  const atEnd = () => ends.every((e) => (follower.position(e.partition) ?? Number(e.low)) >= Number(e.high));
  try {
    await waitFor(() => (opts.until ? opts.until(follower.messages) : atEnd()), {
      timeoutMs: opts.timeoutMs ?? 20_000,
      what: `the messages on ${topic}${opts.until ? '' : ' up to its end offsets'}`,
    });
  } finally {
    await follower.stop();
  }
  return follower.messages;
}
