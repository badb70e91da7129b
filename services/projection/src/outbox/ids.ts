import { createHash } from 'node:crypto';

// What the projection publishes is derived from the log, so reprocessing an event (after a crash,
// a rebalance or a replay) must produce the same event ids: the event store then treats the
// second append as a no-op. A name-based UUID (RFC 9562 version 5, SHA-1) gives that.

/** A fixed namespace for the projection's names (itself a v5 UUID of "syv/projection" in the URL namespace). */
const NAMESPACE = 'a3c8f1d2-5b7e-5c4a-9e1f-6d2b8c0a4e71';

function bytesOf(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

export function uuidV5(name: string, namespace = NAMESPACE): string {
  const hash = createHash('sha1').update(bytesOf(namespace)).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const closureAssessedEventId = (closureRequestId: string) => uuidV5(`closure.assessed:${closureRequestId}`);
export const alertIdOf = (alertKey: string) => uuidV5(`alert:${alertKey}`);
export const alertRaisedEventId = (alertId: string) => uuidV5(`alert.raised:${alertId}`);
export const alertAcknowledgedEventId = (alertId: string) => uuidV5(`alert.acknowledged:${alertId}`);
