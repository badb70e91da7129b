import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { decodeAlertMessage } from '@syv/contracts';
import { createSubscriber, topicEndOffsets, type KafkaConnection, type Subscriber } from '@syv/messaging';
import type { AlertHub } from './hub.js';

export interface AlertBroadcast {
  joined(): boolean;
  stop(): Promise<void>;
}

/**
 * Each instance reads the whole alerts topic in a consumer group of its own, so every instance
 * sees every alert and pushes it to its own connected supervisors: whichever instance a
 * supervisor is connected to, they hear each alert once. It starts at the topic's end as it was
 * when the instance started (what came before is in GET /v1/alerts), and after a rejoin resumes
 * after the last message it handled rather than at the end again.
 */
export async function startAlertBroadcast(opts: { kafka: KafkaConnection; topic: string; hub: AlertHub; logger: Logger; instanceId?: string }): Promise<AlertBroadcast> {
  const { hub, logger, topic } = opts;
  const next = new Map<number, bigint>();
  for (const p of await topicEndOffsets(opts.kafka, topic)) next.set(p.partition, BigInt(p.high));
  const subscriber: Subscriber = await createSubscriber({
    ...opts.kafka,
    groupId: `projection-alert-stream-${opts.instanceId ?? randomUUID()}`,
    topics: [topic],
    fromBeginning: false,
    resumeFrom: async (_topic, partition) => next.get(partition)?.toString(),
    onError: (err) => logger.error({ err }, 'alert stream consumer error'),
    handleBatch: async ({ partition, messages }) => {
      for (const message of messages) {
        next.set(partition, BigInt(message.offset) + 1n);
        const decoded = decodeAlertMessage(message.value);
        if (!decoded.ok) {
          logger.warn({ partition, offset: message.offset, error: decoded.error.message }, 'not an alert event; not streamed');
          continue;
        }
        hub.publish(decoded.event);
      }
    },
  });
  return { joined: () => subscriber.joined(), stop: () => subscriber.stop() };
}
