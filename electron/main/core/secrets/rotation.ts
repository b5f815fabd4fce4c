import { decryptSecret, encryptSecret, keyIdOf } from './cipher';
import { RotationError, SecretsError, type RotationFailure } from './errors';
import type { SecretKey } from './secret-key';

/** One stored encrypted value and the owner it is bound to (see {@link ownerAad}). */
export interface EncryptedField {
  readonly aad: string;
  readonly ciphertext: string;
}

/**
 * Re-encrypts every value from `oldKey` to `newKey`, all or nothing.
 *
 * Pure: no I/O. Every value is decrypted first; if any one fails, {@link RotationError} lists them and nothing is
 * returned, so the caller's transaction writes either every new value or none. Values already under `newKey` are
 * checked and kept as they are, so running a rotation twice is harmless. Other fields of each row are preserved.
 */
export function reencrypt<T extends EncryptedField>(
  rows: readonly T[],
  oldKey: SecretKey,
  newKey: SecretKey,
): T[] {
  const failures: RotationFailure[] = [];
  const plaintexts: (string | undefined)[] = rows.map((row, index) => {
    const key = keyIdOf(row.ciphertext) === newKey.id ? newKey : oldKey;
    try {
      const plain = decryptSecret(key, row.ciphertext, row.aad);
      return key === newKey ? undefined : plain;
    } catch (error) {
      if (!(error instanceof SecretsError)) throw error;
      failures.push({
        index,
        aad: row.aad,
        code: error.code === 'wrong-key' ? 'wrong-key' : 'corrupt-secret',
      });
      return undefined;
    }
  });
  if (failures.length > 0) throw new RotationError(failures);
  return rows.map((row, index) => {
    const plain = plaintexts[index];
    return plain === undefined ? row : { ...row, ciphertext: encryptSecret(newKey, plain, row.aad) };
  });
}
