import { describe, expect, it } from 'vitest';
import { examples } from '../examples.js';
import { parseEvent } from '../parse.js';
import { sealedTextKeyId, sealedTextMax } from '../sealed-text.js';
import type { EventType } from './catalog.js';
import { PERSONAL_TEXT_FIELDS } from './personal-fields.js';

const KEY_ID = '5b0c7d4e-2f1a-4c3b-9d8e-7f6a5b4c3d2e';
const sealed = (bodyLength: number) => `sealed:v1:${KEY_ID}:${'A'.repeat(bodyLength)}`;
const withData = (type: EventType, field: string, value: unknown) => ({ ...examples[type], data: { ...examples[type].data, [field]: value } });

describe('the personal free texts of each event type', () => {
  for (const [type, fields] of Object.entries(PERSONAL_TEXT_FIELDS) as [EventType, readonly string[]][]) {
    for (const field of fields) {
      it(`${type} ${field}: takes its sealed form, names the field when the sealed form is malformed`, () => {
        expect(parseEvent(withData(type, field, sealed(400))).ok).toBe(true);
        const bad = parseEvent(withData(type, field, `sealed:v1:not-a-key:${'A'.repeat(10)}`));
        expect(bad.ok).toBe(false);
        expect(!bad.ok && bad.error.issues.map((i) => i.path)).toEqual([`data.${field}`]);
      });
    }
  }

  it('lists every free text of every type that has one (the tests above are made from the list)', () => {
    expect(Object.entries(PERSONAL_TEXT_FIELDS).flatMap(([type, fields]) => fields.map((f) => `${type} ${f}`))).toHaveLength(20);
  });

  it('a sealed text names its key, and plain text names none', () => {
    expect(sealedTextKeyId(sealed(10))).toBe(KEY_ID);
    expect(sealedTextKeyId('He said he was scared.')).toBeUndefined();
  });

  it('the sealed form of the longest text fits its bound, and a plain text over the limit is refused as before', () => {
    const plainMax = 2_000;
    expect(sealedTextMax(plainMax)).toBeGreaterThan(Math.ceil(((28 + 3 * plainMax) * 4) / 3));
    const tooLong = parseEvent(withData('onward-referral.made.v1', 'reason', 'x'.repeat(plainMax + 1)));
    expect(!tooLong.ok && tooLong.error.issues[0]?.message).toMatch(/<=2000 characters/);
  });
});
