import { createHmac, timingSafeEqual } from 'node:crypto';
import { WrongKeyError } from './errors';
import { unwrapKey, type SecretKey } from './secret-key';

const KCV_VERSION = 'sbkcv1';
const KCV_LABEL = 'switchboard key check value v1';

/**
 * The key check value to store in the database next to encrypted data: `sbkcv1.<keyId>.<HMAC b64url>`.
 *
 * It is an HMAC over a fixed label, so it proves which key encrypted the database without revealing the key and
 * without any stored ciphertext to decrypt.
 */
export function createKeyCheck(key: SecretKey): string {
  return `${KCV_VERSION}.${key.id}.${mac(key)}`;
}

function mac(key: SecretKey): string {
  return createHmac('sha256', unwrapKey(key)).update(KCV_LABEL).digest('base64url');
}

/** Outcome of comparing the workstation's key with the database's key check value. */
export type KeyCheckResult =
  | { readonly status: 'match' }
  | { readonly status: 'different-key'; readonly storedKeyId: string; readonly currentKeyId: string }
  | { readonly status: 'unreadable' };

/**
 * Compares `key` with a stored key check value, for the start-up check of a second workstation.
 *
 * `unreadable` means the stored value is not a key check value at all (damaged or from a newer version).
 */
export function verifyKeyCheck(key: SecretKey, stored: unknown): KeyCheckResult {
  if (typeof stored !== 'string') return { status: 'unreadable' };
  const [version, keyId, tag, ...rest] = stored.split('.');
  if (
    version !== KCV_VERSION ||
    keyId === undefined ||
    tag === undefined ||
    rest.length > 0 ||
    !/^[0-9a-f]{16}$/.test(keyId)
  ) {
    return { status: 'unreadable' };
  }
  const expected = Buffer.from(mac(key));
  const actual = Buffer.from(tag);
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  if (same && keyId === key.id) return { status: 'match' };
  return { status: 'different-key', storedKeyId: keyId, currentKeyId: key.id };
}

/**
 * Like {@link verifyKeyCheck}, but throws {@link WrongKeyError} for a different key.
 *
 * Returns `false` (without throwing) when the stored value is unreadable, so the caller can decide whether to
 * rewrite it.
 */
export function assertKeyCheck(key: SecretKey, stored: unknown): boolean {
  const result = verifyKeyCheck(key, stored);
  switch (result.status) {
    case 'match':
      return true;
    case 'different-key':
      throw new WrongKeyError(result.storedKeyId, result.currentKeyId);
    case 'unreadable':
      return false;
  }
}
