import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidKeyError } from './errors';

/** Length of a master key in bytes (AES-256). */
export const KEY_BYTES = 32;

const REDACTED = '[redacted]';

// The raw bytes live outside the object so that no enumeration, spread, structuredClone or JSON of a SecretKey
// can reach them; only this module's `unwrapKey` (not re-exported from the barrel) can.
const keyBytes = new WeakMap<SecretKey, Buffer>();

/**
 * A 256-bit master key that never shows its bytes by accident.
 *
 * `toString`, `toJSON` and `util.inspect` all print `[redacted]`; `id` is a short public fingerprint
 * (the first 8 bytes of HMAC-SHA256(key, "switchboard key id"), hex) that names the key in stored values.
 */
export class SecretKey {
  /** Public fingerprint of the key: safe to log, store and show. */
  readonly id: string;

  private constructor(bytes: Buffer) {
    keyBytes.set(this, bytes);
    this.id = createHmac('sha256', bytes)
      .update('switchboard key id')
      .digest()
      .subarray(0, 8)
      .toString('hex');
  }

  /** A new random key from the OS's CSPRNG. */
  static generate(): SecretKey {
    return new SecretKey(randomBytes(KEY_BYTES));
  }

  /** Wraps a copy of exactly 32 bytes. */
  static fromBytes(bytes: Uint8Array): SecretKey {
    if (bytes.length !== KEY_BYTES) {
      throw new InvalidKeyError(`A master key is ${KEY_BYTES} bytes; this one has ${bytes.length}.`);
    }
    return new SecretKey(Buffer.from(bytes));
  }

  /**
   * Parses 32 bytes written as hex (64 characters) or base64 / base64url (43 or 44 characters).
   *
   * Surrounding whitespace is ignored (key files end with a newline). The error never echoes the input.
   */
  static parse(text: string, label = 'The key'): SecretKey {
    const trimmed = text.trim();
    if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return new SecretKey(Buffer.from(trimmed, 'hex'));
    if (/^[A-Za-z0-9+/]{43}=?$/.test(trimmed) || /^[A-Za-z0-9_-]{43}$/.test(trimmed)) {
      const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      // 43 base64 characters carry 258 bits: the last two must be zero for a canonical 32-byte encoding.
      if (
        bytes.length === KEY_BYTES &&
        bytes.toString('base64').replace(/=$/, '') ===
          trimmed.replace(/-/g, '+').replace(/_/g, '/').replace(/=$/, '')
      ) {
        return new SecretKey(bytes);
      }
    }
    throw new InvalidKeyError(
      `${label} must be 32 random bytes written as 64 hex characters or 44 base64 characters ` +
        `(got ${trimmed.length} characters that are not a valid 32-byte encoding). ` +
        "Generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
    );
  }

  /** Deliberately reveals the key as base64, for writing it to the keychain or a key file. */
  revealBase64(): string {
    return unwrapKey(this).toString('base64');
  }

  /** Constant-time comparison of two keys. */
  equals(other: SecretKey): boolean {
    return timingSafeEqual(unwrapKey(this), unwrapKey(other));
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `SecretKey { id: '${this.id}', bytes: ${REDACTED} }`;
  }
}

/** The key's bytes, for this module's crypto code only (not exported from the barrel). */
export function unwrapKey(key: SecretKey): Buffer {
  const bytes = keyBytes.get(key);
  // A SecretKey can only be built through its constructor, which always registers bytes.
  if (!bytes) throw new InvalidKeyError('Not a SecretKey created by this module.');
  return bytes;
}
