export { open, seal, type SealContext } from './sealed-text.js';
export { DEV_KEY_ENCRYPTION_KEY, localKeyWrapper, parseKeyEncryptionKey, type KeyWrapper } from './key-wrapping.js';
export { KEY_STORE_SCHEMA, keyStoreMigrations, migrateKeyStore, openKeyStore, postgresKeyStore, type Child, type DataKey, type KeyLookup, type KeyStore, type KeyStoreOptions } from './key-store.js';
export { openEvent, openEvents, openText, plainPersonalFields, sealEvent, type LabellingMatch } from './events.js';
