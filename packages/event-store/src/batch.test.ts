import { describe, expect, it } from 'vitest';
import { prepareBatch } from './batch.js';

const e = (id: string, type = 't') => ({ id, type, data: {}, metadata: {} });
const a = 'aaaaaaaa-0000-4000-8000-00000000000a';
const b = 'aaaaaaaa-0000-4000-8000-00000000000b';

describe('prepareBatch', () => {
  it('keeps the first of repeated ids (case-insensitive, as uuid is), lower-cased, and names the rest', () => {
    const { unique, repeated } = prepareBatch([e(a), e(b), e(a.toUpperCase()), e(b)]);
    expect(unique.map((x) => x.id)).toEqual([a, b]);
    expect(repeated).toEqual([a.toUpperCase(), b]);
  });

  it('normalises upper-case ids to the form PostgreSQL returns', () => {
    expect(prepareBatch([e(a.toUpperCase())]).unique[0]?.id).toBe(a);
  });

  it.each(['', 'not-a-uuid', `{${a}}`, a.replaceAll('-', '')])('refuses id %j', (id) => {
    expect(() => prepareBatch([e(id)])).toThrow(/canonical/);
  });

  it('refuses an event without a type', () => {
    expect(() => prepareBatch([e(a, '')])).toThrow(/no type/);
  });
});
