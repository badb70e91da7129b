import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';

// The only module that knows kafkajs exists. Everything else goes through the small surface in
// this package, so a maintained client (@platformatic/kafka) can replace kafkajs in one place.

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  /** How long a single connection attempt may take. */
  connectionTimeoutMs?: number;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function kafkaClient(conn: KafkaConnection): Kafka {
  const log = conn.logger?.child({ component: 'kafka' });
  return new Kafka({
    clientId: conn.clientId,
    brokers: conn.brokers,
    connectionTimeout: conn.connectionTimeoutMs ?? 3_000,
    // Retries are ours to decide (the relay and consumers loop themselves); keep kafkajs's short.
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        if (!log) return;
        // kafkajs passes errors as strings under `error`; under another key they survive the
        // service logger's error serializer, which expects Error objects there.
        const { message, error, ...rest } = entry as LogEntry['log'] & { error?: unknown };
        log[levels[level] ?? 'info']({ ...rest, ...(error === undefined ? {} : { kafkaError: String(error) }), namespace: entry.namespace }, message);
      },
  });
}

export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
}
