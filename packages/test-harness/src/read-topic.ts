import { randomBytes } from 'node:crypto';
import { createSubscriber, topicEndOffsets, type IncomingMessage } from '@syv/messaging';
import { testInfra } from './infra.js';
import { waitFor } from './wait.js';

/**
 * Reads a topic from the beginning up to its high watermark at call time (or until `until` holds),
 * with a throwaway consumer group. For asserting what actually reached the broker.
 */
export async function readTopic(
  topic: string,
  opts: { until?: (messages: IncomingMessage[]) => boolean; timeoutMs?: number } = {},
): Promise<IncomingMessage[]> {
  const conn = { brokers: testInfra().kafkaBrokers, clientId: 'test-reader' };
  const ends = await topicEndOffsets(conn, topic);
  const expected = ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const messages: IncomingMessage[] = [];
  const sub = await createSubscriber({
    ...conn,
    groupId: `test-reader-${randomBytes(4).toString('hex')}`,
    topics: [topic],
    fromBeginning: true,
    handleBatch: async (batch) => {
      messages.push(...batch.messages);
    },
  });
  try {
    await waitFor(() => (opts.until ? opts.until(messages) : messages.length >= expected), {
      timeoutMs: opts.timeoutMs ?? 20_000,
      what: `messages on ${topic} (have ${messages.length}, expected ${expected})`,
    });
  } finally {
    await sub.stop();
  }
  return messages;
}
