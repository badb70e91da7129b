import { describe, expect, it } from 'vitest';
import { languageFlagsOf } from './language.js';

describe('labelling language in a write', () => {
  it('names the field each phrase is in, and reads every field given', () => {
    const flags = languageFlagsOf({ reason: 'Mum says it is a lifestyle choice.', summary: undefined, rationale: 'He is hard to engage.' });
    expect(flags.map((f) => [f.field, f.matched])).toEqual([
      ['reason', 'lifestyle choice'],
      ['rationale', 'hard to engage'],
    ]);
    expect(flags[0]!.position).toBe('Mum says it is a '.length);
    expect(flags[0]!.suggestion.length).toBeGreaterThan(10);
  });

  it('finds nothing in plain words', () => {
    expect(languageFlagsOf({ reason: 'Low mood since the assault; the school nurse asked for CAMHS.' })).toEqual([]);
  });
});
