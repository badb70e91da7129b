import { describe, expect, it } from 'vitest';
import { assertSchemaName, eventsChannel, qualified } from './schema-name.js';

describe('schema names', () => {
  it('accepts lower-case identifiers', () => {
    expect(assertSchemaName('case_closure')).toBe('case_closure');
    expect(qualified('referral', 'events')).toBe('"referral".events');
    expect(eventsChannel('referral')).toBe('referral_events');
  });

  it.each(['', 'Referral', '1abc', 'a-b', 'a"; drop table x; --', 'a'.repeat(51)])('rejects %j', (name) => {
    expect(() => assertSchemaName(name)).toThrow(/invalid schema name/);
  });
});
