import pino, { type DestinationStream, type Logger } from 'pino';
import { createRedactor, defaultRedactedKeys, REDACTED } from './redaction.js';
import { serializeError } from './error-serializer.js';

export interface LoggerOptions {
  /** The service's name, on every line. */
  name: string;
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read the lines back. */
  destination?: DestinationStream;
  /** More keys whose values must never be logged, on top of defaultRedactedKeys. */
  redactKeys?: readonly string[];
}

/**
 * The one way to make a logger in a service (HTTP, Kafka consumers, the relay), so every line goes
 * through the same redaction. Pass it to createServiceApp as `logger` to share it.
 */
export function createLogger(options: LoggerOptions): Logger {
  const redact = createRedactor([...defaultRedactedKeys, ...(options.redactKeys ?? [])]);
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: redact },
      serializers: { err: serializeError, error: serializeError },
      // Belt and braces for the paths a custom serializer could still expose.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'req.body', 'res.headers["set-cookie"]'],
        censor: REDACTED,
      },
    },
    options.destination,
  );
}
