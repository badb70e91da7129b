import { createHash } from 'node:crypto';
import type { CaseEvent } from '@syv/contracts';
import { createPrng } from '@syv/test-harness';
import { uuidV5 } from '../outbox/ids.js';
import type { LogPosition } from '../read-model/case-events.js';
import { mixedLog } from './mixed-log.js';

// Fixed logs whose read models are pinned by checksum (read-model/fixtures/checksums.json): the
// same events, ids and positions on every machine, so a change to how the projection applies the
// log that changes what it writes is seen, whatever the change was meant to do.

interface PositionedEvent {
  event: CaseEvent;
  at: LogPosition;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The same log with every UUID replaced by a name-based one (the story builders draw random ids). */
function withFixedIds(events: readonly CaseEvent[], seed: number): CaseEvent[] {
  const names = new Map<string, string>();
  const text = JSON.stringify(events).replace(UUID, (id) => {
    let fixed = names.get(id);
    if (!fixed) {
      fixed = uuidV5(`fixture:${seed}:${names.size}`);
      names.set(id, fixed);
    }
    return fixed;
  });
  return JSON.parse(text) as CaseEvent[];
}

/**
 * Each case's events moved about among the places that case holds in the log (a swap of two
 * neighbours with probability `p`): facts recorded late, starts before their referral, closures
 * before the request, as independent outboxes can deliver them.
 */
function perturbed(events: readonly CaseEvent[], seed: number, p = 0.25): CaseEvent[] {
  const rnd = createPrng(seed).next;
  const slots = new Map<string, number[]>();
  for (const [i, e] of events.entries()) slots.set(e.subject, [...(slots.get(e.subject) ?? []), i]);
  const out = [...events];
  for (const places of slots.values()) {
    const own = places.map((i) => events[i]!);
    for (let i = 0; i + 1 < own.length; i++) if (rnd() < p) [own[i], own[i + 1]] = [own[i + 1]!, own[i]!];
    for (const [k, i] of places.entries()) out[i] = own[k]!;
  }
  return out;
}

/** A partition per case (by its id, as a keyed producer would), offsets counted per partition. */
export function positioned(events: readonly CaseEvent[], partitions = 3, topic = 'case-events'): PositionedEvent[] {
  const next = new Array<number>(partitions).fill(0);
  return events.map((event) => {
    const partition = createHash('md5').update(event.subject).digest().readUInt32BE(0) % partitions;
    const offset = next[partition]!++;
    return { event, at: { topic, partition, offset: String(offset) } };
  });
}

const START = new Date('2024-01-01T09:00:00Z');

export const FIXTURE_LOGS: readonly { name: string; events: () => CaseEvent[] }[] = [
  { name: 'mixed-250-seed-101', events: () => withFixedIds(mixedLog(250, 101, START), 101) },
  { name: 'mixed-250-seed-202-perturbed', events: () => withFixedIds(perturbed(mixedLog(250, 202, START), 202), 202) },
  { name: 'mixed-100-seed-303-long-cases', events: () => withFixedIds(mixedLog(100, 303, START, { maxSessions: 60 }), 303) },
  { name: 'mixed-150-seed-404-corrections', events: () => withFixedIds(mixedLog(150, 404, START, { corrections: true }), 404) },
];
