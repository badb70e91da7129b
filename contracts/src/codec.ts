import type { AlertEvent, AnyEvent, CaseEvent } from './events/catalog.js';
import { failure, parseAlertEvent, parseCaseEvent, parseEvent, type ParseResult } from './parse.js';
import { messageKey } from './topics.js';

// Kafka messages carry CloudEvents in *structured* mode (CloudEvents Kafka protocol binding §3.2):
// the whole event, attributes and data, is the JSON value, and the content-type header says so.
// Chosen over binary mode so that a message, a stored outbox row and an audit export are the same
// JSON document, and the value alone is enough to replay.

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

export interface EncodedMessage {
  key: string;
  value: Buffer;
  headers: { 'content-type': string };
}

export function encodeMessage(event: AnyEvent): EncodedMessage {
  return {
    key: messageKey(event),
    value: Buffer.from(JSON.stringify(event), 'utf8'),
    headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
  };
}

type MessageValue = Buffer | Uint8Array | string | null | undefined;

function decodeWith<E>(value: MessageValue, parse: (input: unknown) => ParseResult<E>): ParseResult<E> {
  if (value === null || value === undefined) {
    return failure('message', [{ path: '', message: 'empty value (a tombstone?): expected a CloudEvent in structured mode' }]);
  }
  const textValue = typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(textValue);
  } catch (err) {
    return failure('message', [{ path: '', message: `malformed JSON: ${(err as Error).message}` }]);
  }
  return parse(json);
}

/** Any event of either topic, from a Kafka message value. */
export function decodeMessage(value: MessageValue): ParseResult<AnyEvent> {
  return decodeWith(value, parseEvent);
}

/** An event of the case-events topic, from a Kafka message value. */
export function decodeCaseMessage(value: MessageValue): ParseResult<CaseEvent> {
  return decodeWith(value, parseCaseEvent);
}

/** An event of the case-alerts topic, from a Kafka message value. */
export function decodeAlertMessage(value: MessageValue): ParseResult<AlertEvent> {
  return decodeWith(value, parseAlertEvent);
}
