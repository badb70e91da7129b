import { KafkaJSConnectionError, KafkaJSProtocolError } from 'kafkajs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPublisher } from './publisher.js';

// The publisher against a stand-in for kafkajs's producer: what matters here is which producer a
// send goes out on after the broker refused the previous one's sequence numbers.

interface FakeProducer {
  id: number;
  sent: string[][];
  disconnected: boolean;
  /** Thrown by the next send, once. */
  failNext?: Error;
  /**
   * The next send resolves, once, with no acknowledgement from the partition of its first message
   * and without writing there: what kafkajs does when its retry skips a partition whose leader moved.
   */
  skipPartitionNext?: boolean;
}

type Partitioner = (args: { topic: string; partitionMetadata: { partitionId: number; leader: number }[]; message: { key: string } }) => number;

const fake = vi.hoisted(() => ({ producers: [] as FakeProducer[] }));

vi.mock('./client.js', () => ({
  kafkaClient: () => ({
    producer: ({ createPartitioner }: { createPartitioner: () => Partitioner }) => {
      const p: FakeProducer = { id: fake.producers.length + 1, sent: [], disconnected: false };
      fake.producers.push(p);
      // As kafkajs does: every message through the producer's partitioner, over the topic's partitions.
      const partitioner = createPartitioner();
      const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: partitionId + 1, partitionErrorCode: 0, replicas: [1, 2, 3], isr: [1, 2, 3] }));
      return {
        connect: async () => undefined,
        send: async ({ topic, messages }: { topic: string; messages: { key: string; value: string }[] }) => {
          if (p.disconnected) throw new Error('send on a disconnected producer');
          const err = p.failNext;
          p.failNext = undefined;
          if (err) throw err;
          const partitions = messages.map((message) => partitioner({ topic, partitionMetadata, message }));
          const skipped = p.skipPartitionNext ? partitions[0] : undefined;
          p.skipPartitionNext = false;
          p.sent.push(messages.filter((_, i) => partitions[i] !== skipped).map((m) => m.value));
          return [...new Set(partitions)].filter((partition) => partition !== skipped).map((partition) => ({ topicName: topic, partition, errorCode: 0, baseOffset: '0' }));
        },
        disconnect: async () => {
          p.disconnected = true;
        },
      };
    },
  }),
}));

const protocolError = (type: string, code: number) => new KafkaJSProtocolError(Object.assign(new Error(`broker refused: ${type}`), { type, code, retriable: false }));
const message = (value: string) => [{ key: 'case-1', value }];

beforeEach(() => {
  fake.producers.length = 0;
});

describe('the publisher', () => {
  it.each([
    ['OUT_OF_ORDER_SEQUENCE_NUMBER', 45],
    ['UNKNOWN_PRODUCER_ID', 59],
    ['INVALID_PRODUCER_EPOCH', 47],
  ])('fails the send the broker refused with %s, and sends the retry on a new producer', async (type, code) => {
    const publisher = await createPublisher({ brokers: ['127.0.0.1:1'], clientId: 'test' });
    const first = fake.producers[0]!;
    first.failNext = protocolError(type, code);
    await expect(publisher.publish('t', message('a'))).rejects.toThrow(`broker refused: ${type}`);
    expect(first.disconnected).toBe(true);

    await publisher.publish('t', message('a'));
    await publisher.publish('t', message('b'));
    expect(fake.producers).toHaveLength(2);
    expect(fake.producers[1]!.sent).toEqual([['a'], ['b']]);
    await publisher.close();
    expect(fake.producers[1]!.disconnected).toBe(true);
  });

  it('keeps its producer after any other failure: a broker away is retried on the same producer id', async () => {
    const publisher = await createPublisher({ brokers: ['127.0.0.1:1'], clientId: 'test' });
    const first = fake.producers[0]!;
    first.failNext = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    await expect(publisher.publish('t', message('a'))).rejects.toThrow('ECONNREFUSED');
    first.failNext = protocolError('NOT_LEADER_FOR_PARTITION', 6);
    await expect(publisher.publish('t', message('a'))).rejects.toThrow('NOT_LEADER_FOR_PARTITION');
    await publisher.publish('t', message('a'));
    expect(fake.producers).toHaveLength(1);
    expect(first.sent).toEqual([['a']]);
    await publisher.close();
  });

  it('finds the refusal inside the error kafkajs gives up with after its own retries', async () => {
    const publisher = await createPublisher({ brokers: ['127.0.0.1:1'], clientId: 'test' });
    const refusal = protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
    fake.producers[0]!.failNext = Object.assign(new Error('retries exhausted', { cause: refusal }), { originalError: refusal });
    await expect(publisher.publish('t', message('a'))).rejects.toThrow('retries exhausted');
    await publisher.publish('t', message('a'));
    expect(fake.producers).toHaveLength(2);
    await publisher.close();
  });

  it('fails a send kafkajs reports done without an acknowledgement from a partition its messages went to, so the batch is sent again', async () => {
    const publisher = await createPublisher({ brokers: ['127.0.0.1:1'], clientId: 'test' });
    const first = fake.producers[0]!;
    const batch = ['case-1', 'case-2', 'case-3', 'case-4'].map((key) => ({ key, value: key }));
    first.skipPartitionNext = true;
    await expect(publisher.publish('t', batch)).rejects.toThrow(/without an acknowledgement from partition \d/);
    expect(first.sent[0]!.length).toBeLessThan(batch.length);

    await publisher.publish('t', batch);
    expect(first.sent[1]).toEqual(batch.map((m) => m.value));
    // Nothing wrong with the producer itself: the batch goes out again on it.
    expect(fake.producers).toHaveLength(1);
    await publisher.close();
  });

  it('refuses to send once closed, whatever producer it had', async () => {
    const publisher = await createPublisher({ brokers: ['127.0.0.1:1'], clientId: 'test' });
    fake.producers[0]!.failNext = protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
    await expect(publisher.publish('t', message('a'))).rejects.toThrow();
    await publisher.close();
    await expect(publisher.publish('t', message('a'))).rejects.toThrow('the publisher is closed');
    expect(fake.producers).toHaveLength(1);
  });
});
