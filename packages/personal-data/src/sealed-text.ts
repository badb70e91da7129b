import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SEALED_TEXT_PREFIX as PREFIX, sealedTextKeyId } from '@syv/contracts';

// Free text about a child, sealed under that child's own data key with AES-256-GCM, in the form
// the contracts define (`sealed:v1:<keyId>:<base64url(iv ‖ ciphertext ‖ tag)>`). The associated
// data binds a sealed text to the event and the field it was written for, so it cannot be copied
// into another record and read there.

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Where a sealed text belongs: the event's id and the field's name. */
export interface SealContext {
  eventId: string;
  field: string;
}

function associatedData(ctx: SealContext): Buffer {
  return Buffer.from(`${ctx.eventId.toLowerCase()}\u0000${ctx.field}`, 'utf8');
}

export function seal(plain: string, key: { keyId: string; key: Buffer }, ctx: SealContext): string {
  if (key.key.length !== KEY_BYTES) throw new Error('a data key is 32 bytes');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(associatedData(ctx));
  const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${key.keyId}:${body.toString('base64url')}`;
}

/**
 * The plain text of a sealed text. Throws when the text was altered, sealed for another event or
 * field, or sealed under another key: a sealed text either opens as written or not at all.
 */
export function open(sealed: string, key: Buffer, ctx: SealContext): string {
  const keyId = sealedTextKeyId(sealed);
  if (keyId === undefined) throw new Error('not a sealed text');
  const body = Buffer.from(sealed.slice(PREFIX.length + keyId.length + 1), 'base64url');
  if (body.length < IV_BYTES + TAG_BYTES) throw new Error('a sealed text too short to hold its nonce and tag');
  const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, IV_BYTES));
  decipher.setAAD(associatedData(ctx));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  return Buffer.concat([decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}
