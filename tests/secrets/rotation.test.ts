import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RotationError,
  SecretKey,
  decryptSecret,
  encryptSecret,
  keyIdOf,
  ownerAad,
  reencrypt,
} from '../../electron/main/core/secrets';

const oldKey = SecretKey.generate();
const newKey = SecretKey.generate();

function rows(n: number): { id: number; field: string; aad: string; ciphertext: string; plain: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const aad = ownerAad('account', String(1000 + i), i % 2 ? 'app_secret' : 'access_token');
    const plain = `secret-${i}-✓`;
    return { id: i, field: 'x', aad, ciphertext: encryptSecret(oldKey, plain, aad), plain };
  });
}

describe('reencrypt', () => {
  it('moves every value to the new key, keeps other fields, and the old key no longer opens them', () => {
    const input = rows(20);
    const output = reencrypt(input, oldKey, newKey);
    expect(output).toHaveLength(20);
    output.forEach((row, i) => {
      expect(row.id).toBe(input[i]!.id);
      expect(row.aad).toBe(input[i]!.aad);
      expect(keyIdOf(row.ciphertext)).toBe(newKey.id);
      expect(decryptSecret(newKey, row.ciphertext, row.aad)).toBe(input[i]!.plain);
      expect(() => decryptSecret(oldKey, row.ciphertext, row.aad)).toThrow();
    });
  });

  it('does not modify its input (pure)', () => {
    const input = rows(3);
    const snapshot = structuredClone(input);
    reencrypt(input, oldKey, newKey);
    expect(input).toEqual(snapshot);
  });

  it('is all or nothing: one corrupt and one foreign value stop the whole rotation, listing both', () => {
    const input = rows(6);
    const stranger = SecretKey.generate();
    input[2] = { ...input[2]!, ciphertext: input[2]!.ciphertext.slice(0, -4) + 'AAAA' };
    input[4] = { ...input[4]!, ciphertext: encryptSecret(stranger, 'x', input[4]!.aad) };
    let caught: unknown;
    let output: unknown;
    try {
      output = reencrypt(input, oldKey, newKey);
    } catch (error) {
      caught = error;
    }
    expect(output).toBeUndefined();
    expect(caught).toBeInstanceOf(RotationError);
    const failures = (caught as RotationError).failures;
    expect(failures.map((f) => [f.index, f.code])).toEqual([
      [2, 'corrupt-secret'],
      [4, 'wrong-key'],
    ]);
    expect((caught as Error).message).toContain(input[2].aad);
  });

  it('a value moved to another row stops the rotation', () => {
    const input = rows(2);
    input[1] = { ...input[1]!, ciphertext: input[0]!.ciphertext };
    expect(() => reencrypt(input, oldKey, newKey)).toThrow(RotationError);
  });

  it('is idempotent: values already under the new key are verified and kept', () => {
    const once = reencrypt(rows(5), oldKey, newKey);
    const twice = reencrypt(once, oldKey, newKey);
    expect(twice).toEqual(once);
    const mixed = [...rows(2), ...once];
    const done = reencrypt(mixed, oldKey, newKey);
    expect(done.every((r) => keyIdOf(r.ciphertext) === newKey.id)).toBe(true);
  });

  it('property: rotation preserves every plaintext', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 50 }), fc.string({ maxLength: 20 })), {
          maxLength: 15,
        }),
        (pairs) => {
          const input = pairs.map(([plain, owner]) => ({
            aad: owner,
            ciphertext: encryptSecret(oldKey, plain, owner),
          }));
          const output = reencrypt(input, oldKey, newKey);
          output.forEach((row, i) =>
            expect(decryptSecret(newKey, row.ciphertext, row.aad)).toBe(pairs[i]![0]),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
