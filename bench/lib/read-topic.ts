import { randomUUID } from 'node:crypto';
import { createSubscriber, topicEndOffsets, type IncomingMessage } from '@syv/messaging';

/**
 * Every message on a topic up to its end offsets at the time of the call, read as an independent
 * consumer would (its own group, from the beginning). Fails after timeoutMs rather than wait forever.
 */
export async function readWholeTopic(brokers: string[], topic: string, timeoutMs = 120_000): Promise<IncomingMessage[]> {
  const ends = await topicEndOffsets({ brokers, clientId: 'bench-reader' }, topic);
  const want = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  const next = new Map(ends.map((e) => [e.partition, Number(e.low)]));
  const messages: IncomingMessage[] = [];
  const done = () => [...want].every(([p, high]) => (next.get(p) ?? 0) >= high);
  const subscriber = await createSubscriber({
    brokers,
    clientId: 'bench-reader',
    groupId: `bench-reader-${randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      messages.push(...batch.messages);
      const last = batch.messages.at(-1);
      if (last) next.set(batch.partition, Math.max(next.get(batch.partition) ?? 0, Number(last.offset) + 1));
    },
  });
  try {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`reading ${topic}: not at its end offsets after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await subscriber.stop();
  }
  return messages;
}
