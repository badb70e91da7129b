import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealedText as isSealed, sealedTextKeyId as sealedKeyId } from '@syv/contracts';
import { open, seal } from './sealed-text.js';

const key = { keyId: '5b0c7d4e-2f1a-4c3b-9d8e-7f6a5b4c3d2e', key: randomBytes(32) };
const ctx = { eventId: '0b7e8f2c-4d3a-4e5b-8c9d-1a2b3c4d5e6f', field: 'notes' };
const NOTES = 'Mum says he was groomed by older boys at the station; he wants to go back to college. ✓';

describe('a sealed text', () => {
  it('given a text sealed for an event and field, when opened with the same key there, then it is the text as written', () => {
    const sealed = seal(NOTES, key, ctx);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('groomed');
    expect(sealedKeyId(sealed)).toBe(key.keyId);
    expect(open(sealed, key.key, ctx)).toBe(NOTES);
  });

  it('when the same text is sealed twice, then the two differ (a fresh nonce each time)', () => {
    expect(seal(NOTES, key, ctx)).not.toBe(seal(NOTES, key, ctx));
  });

  it('when opened for another event or another field, then it does not open', () => {
    const sealed = seal(NOTES, key, ctx);
    expect(() => open(sealed, key.key, { ...ctx, field: 'childViews' })).toThrow(/authenticate/);
    expect(() => open(sealed, key.key, { ...ctx, eventId: '1b7e8f2c-4d3a-4e5b-8c9d-1a2b3c4d5e6f' })).toThrow(/authenticate/);
  });

  it('when opened with another key, or altered by one character, then it does not open', () => {
    const sealed = seal(NOTES, key, ctx);
    expect(() => open(sealed, randomBytes(32), ctx)).toThrow(/authenticate/);
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    expect(() => open(`${sealed.slice(0, -2)}${last}${sealed.at(-1)}`, key.key, ctx)).toThrow(/authenticate/);
  });

  it('given plain text, then it is not sealed and names no key', () => {
    expect(isSealed(NOTES)).toBe(false);
    expect(sealedKeyId(NOTES)).toBeUndefined();
  });
});
