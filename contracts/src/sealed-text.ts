import { z } from 'zod';

// A worker's free text about a child, sealed under that child's own data key, is still a string
// where the text stood, so every event type keeps its shape:
//
//   sealed:v1:<keyId>:<base64url(nonce ‖ ciphertext ‖ tag)>
//
// The key id names a data key, never the child. Whoever shows the text asks the key store for that
// key; once the child's data is erased the key is gone, and the text reads as erased everywhere it
// was copied (topics, tables, backups). How texts are sealed and opened is `@syv/personal-data`'s;
// what a sealed text looks like is part of the contract, so every consumer can recognise one.

export const SEALED_TEXT_PREFIX = 'sealed:v1:';
const SEALED_TEXT = /^sealed:v1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[A-Za-z0-9_-]+$/;
const NONCE_AND_TAG_BYTES = 28;
const KEY_ID_LENGTH = 36;

/** The longest sealed form of a text of at most `max` characters (3 UTF-8 bytes each at most). */
export function sealedTextMax(max: number): number {
  return SEALED_TEXT_PREFIX.length + KEY_ID_LENGTH + 1 + Math.ceil(((NONCE_AND_TAG_BYTES + 3 * max) * 4) / 3);
}

const sealedTextSchema = (max: number) =>
  z
    .string()
    .max(sealedTextMax(max))
    .regex(SEALED_TEXT, SEALED_MESSAGE)
    .describe(`The same text sealed under the child's data key; at most ${max} characters before sealing.`);

const SEALED_MESSAGE = 'must be a sealed text (sealed:v1:<keyId>:<base64url>)';

/**
 * A worker's free text as written, the only form a route takes (the service seals it). It never
 * starts with the sealed form's prefix, so a reader can always tell the two apart.
 */
export const writtenTextSchema = (max: number, opts: { required: boolean }) =>
  (opts.required ? z.string().min(1).max(max).regex(/\S/, 'must not be blank') : z.string().max(max)).refine((s) => !isSealedText(s), {
    message: `must not start with ${SEALED_TEXT_PREFIX}`,
  });

/**
 * A worker's free text: as written, at most `max` characters (and not blank when `required`), or
 * its sealed form. A bad value is told what is wrong with the form it is in, not that it matched
 * neither.
 */
export const personalTextSchema = (max: number, opts: { required: boolean }) => {
  // The sealed form first: every text written since sealing is sealed, and a branch that fails
  // costs an error object, so the common case passes on the first try.
  return z.union([sealedTextSchema(max), writtenTextSchema(max, opts)], {
    error: (issue) => {
      if (typeof issue.input === 'string' && isSealedText(issue.input)) return SEALED_MESSAGE;
      const errors = (issue as { errors?: { message: string }[][] }).errors;
      return errors?.[1]?.[0]?.message ?? 'must be text';
    },
  });
};

/** What a reader shows for a text whose child's data was erased: a marker, never an error. */
export const ERASED_TEXT = '[erased]';

/**
 * What a reader shows for a sealed text it cannot open although nobody erased it: its key is not
 * in the store, or does not open it (a service wrapping keys with another key-encryption key).
 * The reader logs why; the answer carries the marker rather than failing.
 */
export const UNREADABLE_TEXT = '[unreadable]';

export function isSealedText(value: string): boolean {
  return value.startsWith(SEALED_TEXT_PREFIX);
}

/** The id of the data key a sealed text needs, or undefined for text as written. */
export function sealedTextKeyId(value: string): string | undefined {
  if (!isSealedText(value)) return undefined;
  return value.slice(SEALED_TEXT_PREFIX.length, SEALED_TEXT_PREFIX.length + KEY_ID_LENGTH);
}
