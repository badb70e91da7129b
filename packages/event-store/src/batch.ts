import type { NewEvent } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a batch before it reaches SQL and drops repeated ids. Only the canonical UUID spelling is
 * accepted: PostgreSQL would also take braces or no hyphens, and then the ids it hands back would
 * not match the ones given. A batch naming an id twice keeps the first: the second would be a
 * duplicate the moment the first is written, and skipping it later would leave a hole in the versions.
 */
export function prepareBatch(events: readonly NewEvent[]): { unique: NewEvent[]; repeated: string[] } {
  const seen = new Set<string>();
  const unique: NewEvent[] = [];
  const repeated: string[] = [];
  for (const e of events) {
    if (!UUID.test(e.id)) throw new Error(`event id ${JSON.stringify(e.id)} is not a UUID in canonical form`);
    if (typeof e.type !== 'string' || e.type === '') throw new Error(`event ${e.id} has no type`);
    const id = e.id.toLowerCase();
    if (seen.has(id)) repeated.push(e.id);
    else {
      seen.add(id);
      unique.push({ ...e, id });
    }
  }
  return { unique, repeated };
}
