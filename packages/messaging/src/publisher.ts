import { CompressionTypes, Partitioners, type PartitionMetadata, type Producer, type RecordMetadata } from 'kafkajs';
import { kafkaClient, type KafkaConnection } from './client.js';

export interface OutgoingMessage {
  key: string;
  value: Buffer | string;
  headers?: Record<string, string>;
}

export interface Publisher {
  /** Resolves only after every message is acknowledged by all in-sync replicas (acks = all). */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Broker answers after which this producer's sequence numbers no longer line up with the broker's,
 * so every later send of the producer would fail the same way. The usual cause: the broker wrote a
 * batch but went away before acknowledging it, and the caller's retry (the outbox relay reads its
 * batch again, with whatever was committed since) starts at the same sequence with other records.
 */
const SEQUENCE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

function sequenceLost(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = (e as Error & { originalError?: unknown }).originalError ?? e.cause) {
    if (SEQUENCE_LOST.has(String((e as Error & { type?: unknown }).type))) return true;
  }
  return false;
}

/**
 * The partitions a send's messages go to that its result holds no acknowledgement from. kafkajs
 * 2.2.4 keeps each broker's answer across its own retries of one send and sends the next attempt
 * only to brokers that have not answered: when a partition's leader dies and the partition moves to
 * a broker that had already answered for its own partitions, the retry sends nothing there and the
 * send resolves as done, without that partition's messages.
 */
function unacknowledged(topic: string, messages: OutgoingMessage[], partitions: PartitionMetadata[], result: RecordMetadata[]): number[] {
  if (partitions.length === 0) return [];
  const partitionOf = Partitioners.DefaultPartitioner();
  const acknowledged = new Set(result.filter((r) => r.topicName === topic && r.errorCode === 0).map((r) => r.partition));
  const sentTo = new Set(messages.map((m) => partitionOf({ topic, partitionMetadata: partitions, message: { key: m.key, value: m.value } })));
  return [...sentTo].filter((p) => !acknowledged.has(p)).sort((a, b) => a - b);
}

/**
 * kafkajs's retries are bounded here so that a broker outage fails the send and the caller (the
 * outbox relay) backs off and retries the same batch. A send that failed after the broker wrote it
 * is then written again: at-least-once, and consumers deduplicate by event id. When the broker no
 * longer accepts the producer's sequence numbers, the failed send also replaces the producer, so
 * the caller's retry goes out under a new producer id instead of failing forever. A send kafkajs
 * reports done is checked to hold an acknowledgement from every partition its messages went to
 * (see unacknowledged); one that does not fails, so the caller sends the batch again.
 */
export async function createPublisher(conn: KafkaConnection): Promise<Publisher> {
  const client = kafkaClient(conn);
  /** The partitions of each topic as the producer's partitioner last saw them. */
  const partitionsOf = new Map<string, PartitionMetadata[]>();
  const open = async (): Promise<Producer> => {
    const p = client.producer({
      // Idempotent produce: a retried send after a lost ack does not duplicate the record in the log.
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 of the key, as Java clients and Kafka Streams do: one case, one partition, whoever
      // publishes. Watched, to know afterwards which partitions a send's messages went to.
      createPartitioner: () => {
        const partitioner = Partitioners.DefaultPartitioner();
        return (args) => {
          partitionsOf.set(args.topic, args.partitionMetadata);
          return partitioner(args);
        };
      },
    });
    await p.connect();
    return p;
  };
  let producer: Producer | undefined = await open();
  let opening: Promise<Producer> | undefined;
  let closed = false;
  async function current(): Promise<Producer> {
    if (producer) return producer;
    if (closed) throw new Error('the publisher is closed');
    opening ??= open().finally(() => {
      opening = undefined;
    });
    const opened = await opening;
    // Closed while it was opening: close() has disconnected it, so it is not kept for later sends.
    if (closed) throw new Error('the publisher is closed');
    producer = opened;
    return producer;
  }
  return {
    async publish(topic, messages) {
      if (messages.length === 0) return;
      const used = await current();
      let result: RecordMetadata[];
      try {
        result = await used.send({
          topic,
          acks: -1,
          compression: CompressionTypes.None,
          messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })),
        });
      } catch (err) {
        if (producer === used && sequenceLost(err)) {
          producer = undefined;
          await used.disconnect().catch(() => undefined);
        }
        throw err;
      }
      const missing = unacknowledged(topic, messages, partitionsOf.get(topic) ?? [], result);
      if (missing.length > 0) {
        throw new Error(`the send to ${topic} came back without an acknowledgement from partition ${missing.join(', ')}, whose leader moved while kafkajs retried it: not sent there`);
      }
    },
    async close() {
      closed = true;
      const last = producer ?? (await opening?.catch(() => undefined));
      producer = undefined;
      await last?.disconnect();
    },
  };
}
