import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Wraps and unwraps data keys with a key-encryption key. This is the seam a cloud KMS fills
 * (its encrypt/decrypt calls with the key id as context); the local implementation below holds the
 * key-encryption key in process, from the environment.
 */
export interface KeyWrapper {
  wrap(keyId: string, dataKey: Buffer): Promise<Buffer>;
  unwrap(keyId: string, wrapped: Buffer): Promise<Buffer>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The public development key-encryption key: every checkout has it, so text sealed under it is
 * protected from nobody who has the database. Services warn at start while they use it.
 */
export const DEV_KEY_ENCRYPTION_KEY = Buffer.from('development-only-key-encryption!', 'utf8');

/** A key-encryption key from its base64 form (`DATA_KEY_ENCRYPTION_KEY`): exactly 32 bytes. */
export function parseKeyEncryptionKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64.trim()) throw new Error('DATA_KEY_ENCRYPTION_KEY must be 32 bytes in base64 (e.g. from `openssl rand -base64 32`)');
  return key;
}

/** AES-256-GCM under a key-encryption key held in process; the key id is the associated data. */
export function localKeyWrapper(keyEncryptionKey: Buffer): KeyWrapper {
  if (keyEncryptionKey.length !== 32) throw new Error('a key-encryption key is 32 bytes');
  return {
    async wrap(keyId, dataKey) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyEncryptionKey, iv);
      cipher.setAAD(Buffer.from(keyId, 'utf8'));
      return Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    },
    async unwrap(keyId, wrapped) {
      const decipher = createDecipheriv('aes-256-gcm', keyEncryptionKey, wrapped.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
      return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)), decipher.final()]);
    },
  };
}
