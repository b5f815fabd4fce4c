/**
 * Secrets: the master key and its sources, encryption at rest, key check, rotation, key export/import, redaction.
 *
 * Plain Node; no Electron, no database. The account repository stores the strings this module produces.
 */
export { SecretKey, KEY_BYTES } from './secret-key';
export {
  SecretsError,
  WrongKeyError,
  CorruptSecretError,
  InvalidKeyError,
  KeySourceError,
  KeychainError,
  MasterKeyUnavailableError,
  KeyExportError,
  RotationError,
  KEYCHAIN_STATE_TEXT,
} from './errors';
export type {
  SecretsErrorCode,
  CorruptSecretReason,
  KeychainState,
  KeyExportReason,
  RotationFailure,
} from './errors';
export {
  encryptSecret,
  decryptSecret,
  parseEnvelope,
  keyIdOf,
  ownerAad,
  SECRET_FORMAT_VERSION,
} from './cipher';
export type { SecretEnvelope } from './cipher';
export { createKeyCheck, verifyKeyCheck, assertKeyCheck } from './key-check';
export type { KeyCheckResult } from './key-check';
export { reencrypt } from './rotation';
export type { EncryptedField } from './rotation';
export {
  exportKey,
  importKey,
  checkPassphraseStrength,
  DEFAULT_SCRYPT,
  KEY_EXPORT_FORMAT,
  KEY_EXPORT_VERSION,
} from './key-export';
export type { KeyExportFile, ScryptParams, PassphraseCheck } from './key-export';
export { SECRET_NAMES } from './secret-store';
export type { SecretName, SecretStore } from './secret-store';
export {
  KeytarSecretStore,
  DEFAULT_KEYCHAIN_SERVICE,
  classifyKeychainMessage,
  toKeychainError,
} from './keytar-secret-store';
export type { KeytarModule, KeytarSecretStoreOptions } from './keytar-secret-store';
export { MemorySecretStore } from './memory-secret-store';
export { readKeyFile, writeKeyFile } from './key-file';
export { resolveMasterKey, MASTER_KEY_ENV } from './master-key';
export type { MasterKeySource, ResolvedMasterKey, ResolveMasterKeyOptions } from './master-key';
export { redact, secretForms, RedactionList, REDACTION } from './redact';
export type { Redactable } from './redact';
