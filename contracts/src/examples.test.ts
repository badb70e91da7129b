import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './events/catalog.js';
import { examples } from './examples.js';
import { parseEvent } from './parse.js';

describe('examples', () => {
  it.each(EVENT_TYPES)('%s is a valid event of its type', (type) => {
    expect(parseEvent(examples[type])).toEqual({ ok: true, event: examples[type] });
    expect(examples[type].type).toBe(type);
  });

  it('give every event its own id, and every flag points at an example event', () => {
    const ids = new Set(EVENT_TYPES.map((t) => examples[t].id));
    expect(ids.size).toBe(EVENT_TYPES.length);
    for (const flag of examples['closure.held.v1'].data.flags) {
      for (const evidence of flag.evidence) expect(ids.has(evidence)).toBe(true);
    }
  });
});
