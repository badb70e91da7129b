import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
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
 * kafkajs's retries are bounded here so that a broker outage fails the send and the caller (the
 * outbox relay) backs off and retries the same batch. A send that failed after the broker wrote it
 * is then written again: at-least-once, and consumers deduplicate by event id.
 */
export async function createPublisher(conn: KafkaConnection): Promise<Publisher> {
  const producer: Producer = kafkaClient(conn).producer({
    // Idempotent produce: a retried send after a lost ack does not duplicate the record in the log.
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // murmur2 of the key, as Java clients and Kafka Streams do: one case, one partition, whoever publishes.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    async publish(topic, messages) {
      if (messages.length === 0) return;
      await producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })),
      });
    },
    async close() {
      await producer.disconnect();
    },
  };
}
