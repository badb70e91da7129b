import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from 'pino';
import { decodeAlertMessage } from '@syv/contracts';
import { openEvent, type KeyStore } from '@syv/personal-data';
import { createSubscriber, topicEndOffsets, type KafkaConnection, type Subscriber } from '@syv/messaging';
import type { AlertHub } from './hub.js';
import { allocationsOf } from './store.js';

export interface AlertBroadcast {
  joined(): boolean;
  stop(): Promise<void>;
}

/**
 * Each instance reads the whole alerts topic in a consumer group of its own, so every instance
 * sees every alert and pushes it to its own connected supervisors: whichever instance a
 * supervisor is connected to, they hear each alert once. It starts at the topic's end as it was
 * when the instance started (what came before is in GET /v1/alerts), and after a rejoin resumes
 * after the last message it handled rather than at the end again. A social worker hears the alerts
 * of the cases allocated to them when the alert reaches this instance: the allocation is looked up
 * then, a batch at a time, and only while workers are listening.
 */
export async function startAlertBroadcast(opts: {
  kafka: KafkaConnection;
  topic: string;
  hub: AlertHub;
  logger: Logger;
  readModel: { pool: pg.Pool; schema: string };
  /** An acknowledgement's note is sealed on the topic: listeners hear it opened (or erased). */
  keys: KeyStore;
  instanceId?: string;
}): Promise<AlertBroadcast> {
  const { hub, logger, topic } = opts;
  const next = new Map<number, bigint>();
  for (const p of await topicEndOffsets(opts.kafka, topic)) next.set(p.partition, BigInt(p.high));
  // The read model unreachable for a moment must not hold the supervisors' stream back: the
  // workers miss those alerts live (they are in GET /v1/alerts), the supervisors do not.
  const allocationsFor = async (caseIds: string[]): Promise<Map<string, string>> => {
    try {
      return await allocationsOf(opts.readModel.pool, opts.readModel.schema, [...new Set(caseIds)]);
    } catch (err) {
      logger.warn({ err }, 'could not look up the allocation of streamed alerts; workers do not hear them live');
      return new Map();
    }
  };
  const subscriber: Subscriber = await createSubscriber({
    ...opts.kafka,
    groupId: `projection-alert-stream-${opts.instanceId ?? randomUUID()}`,
    topics: [topic],
    fromBeginning: false,
    resumeFrom: async (_topic, partition) => next.get(partition)?.toString(),
    onError: (err) => logger.error({ err }, 'alert stream consumer error'),
    handleBatch: async ({ partition, messages }) => {
      const last = messages.at(-1);
      // Nobody connected to this instance: nothing to decode (a rebuild publishes an alert for
      // every flag in history, and decoding them was a measurable share of its CPU).
      if (hub.listeners() === 0) {
        if (last) next.set(partition, BigInt(last.offset) + 1n);
        return;
      }
      const events = [];
      for (const message of messages) {
        const decoded = decodeAlertMessage(message.value);
        if (decoded.ok) events.push((await openEvent(decoded.event, opts.keys)).event);
        else logger.warn({ partition, offset: message.offset, error: decoded.error.message }, 'not an alert event; not streamed');
      }
      const allocations = hub.hasWorkers() ? await allocationsFor(events.map((e) => e.subject)) : new Map<string, string>();
      for (const event of events) hub.publish(event, allocations.get(event.subject.toLowerCase()) ?? null);
      if (last) next.set(partition, BigInt(last.offset) + 1n);
    },
  });
  return { joined: () => subscriber.joined(), stop: () => subscriber.stop() };
}
