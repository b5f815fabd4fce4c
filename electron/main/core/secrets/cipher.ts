import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CorruptSecretError, WrongKeyError } from './errors';
import { unwrapKey, type SecretKey } from './secret-key';

/** Version tag of the stored-value format; a new format gets a new tag, old ones stay readable. */
export const SECRET_FORMAT_VERSION = 'sb1';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;
const B64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The parts of a stored value, as named by its text form `sb1.<keyId>.<nonce>.<ciphertext+tag>`. */
export interface SecretEnvelope {
  readonly version: typeof SECRET_FORMAT_VERSION;
  readonly keyId: string;
  readonly nonce: Buffer;
  readonly sealed: Buffer;
}

/**
 * The owner of a value, e.g. `account:17841400000000000:access_token`.
 *
 * Bound as GCM associated data so that a ciphertext copied to another row or field fails to decrypt.
 */
export function ownerAad(kind: string, id: string, field: string): string {
  return `${kind}:${id}:${field}`;
}

// The header is authenticated too, so editing the version or key id of a stored value breaks it.
function associatedData(keyId: string, aad: string): Buffer {
  return Buffer.from(`${SECRET_FORMAT_VERSION}.${keyId}.${aad}`, 'utf8');
}

/**
 * Encrypts `plaintext` (as UTF-8) with AES-256-GCM under `key`, bound to `aad`.
 *
 * Each call draws a fresh random 96-bit nonce, so the same input never gives the same output. Strings with lone
 * surrogates are not valid Unicode text and are rejected rather than silently changed.
 */
export function encryptSecret(key: SecretKey, plaintext: string, aad: string): string {
  if (!isWellFormed(plaintext))
    throw new TypeError('The value to encrypt is not valid Unicode text (lone surrogate).');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', unwrapKey(key), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(key.id, aad));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [SECRET_FORMAT_VERSION, key.id, nonce.toString('base64url'), sealed.toString('base64url')].join('.');
}

function decodeB64url(part: string | undefined): Buffer | undefined {
  if (part === undefined || !B64URL_PATTERN.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  // Node's decoder ignores trailing bits; re-encoding rejects non-canonical text that would hide tampering.
  return bytes.toString('base64url') === part ? bytes : undefined;
}

/**
 * Parses a stored value without decrypting it.
 *
 * @throws CorruptSecretError when the text is not a well-formed `sb1` value.
 */
export function parseEnvelope(value: unknown): SecretEnvelope {
  if (typeof value !== 'string') throw new CorruptSecretError('not-a-string');
  const parts = value.split('.');
  if (parts[0] !== SECRET_FORMAT_VERSION) throw new CorruptSecretError('unknown-format');
  if (parts.length !== 4) throw new CorruptSecretError('malformed');
  const keyId = parts[1];
  const nonce = decodeB64url(parts[2]);
  const sealed = decodeB64url(parts[3]);
  if (keyId === undefined || !KEY_ID_PATTERN.test(keyId) || !nonce || !sealed)
    throw new CorruptSecretError('malformed');
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new CorruptSecretError('malformed');
  return { version: SECRET_FORMAT_VERSION, keyId, nonce, sealed };
}

/** The key id a stored value names, or undefined when it is not a well-formed value. */
export function keyIdOf(value: unknown): string | undefined {
  try {
    return parseEnvelope(value).keyId;
  } catch {
    return undefined;
  }
}

/**
 * Decrypts a value made by {@link encryptSecret} with the same key and the same `aad`.
 *
 * @throws WrongKeyError when the value names another key.
 * @throws CorruptSecretError when the value is damaged or belongs to another owner (`aad`); these two cannot be
 *   told apart, by design of authenticated encryption.
 */
export function decryptSecret(key: SecretKey, value: unknown, aad: string): string {
  const envelope = parseEnvelope(value);
  if (envelope.keyId !== key.id) throw new WrongKeyError(envelope.keyId, key.id);
  const ciphertext = envelope.sealed.subarray(0, envelope.sealed.length - TAG_BYTES);
  const tag = envelope.sealed.subarray(envelope.sealed.length - TAG_BYTES);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', unwrapKey(key), envelope.nonce, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(associatedData(envelope.keyId, aad));
    decipher.setAuthTag(tag);
    plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new CorruptSecretError('authentication-failed');
  }
  try {
    return utf8.decode(plain);
  } catch {
    throw new CorruptSecretError('invalid-plaintext');
  }
}

// String.prototype.isWellFormed is ES2024 (Node 20 has it, our lib setting does not); this is the same check.
function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}
