import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CorruptSecretError,
  SecretKey,
  SecretsError,
  WrongKeyError,
  decryptSecret,
  encryptSecret,
  keyIdOf,
  ownerAad,
  parseEnvelope,
} from '../../electron/main/core/secrets';

const key = SecretKey.generate();
const aad = ownerAad('account', '17841400000000001', 'access_token');

function flipChar(text: string, index: number): string {
  const c = text[index]!;
  const replacement = c === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('encryptSecret / decryptSecret', () => {
  it('round-trips text, including emoji and the empty string', () => {
    for (const plain of ['IGQVJ-token-value', '', 'ключ 🔑 مفتاح', 'a'.repeat(10_000)]) {
      expect(decryptSecret(key, encryptSecret(key, plain, aad), aad)).toBe(plain);
    }
  });

  it('writes the versioned format that names the key', () => {
    const value = encryptSecret(key, 'secret', aad);
    expect(value).toMatch(/^sb1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(value.split('.')[1]).toBe(key.id);
    expect(keyIdOf(value)).toBe(key.id);
    expect(parseEnvelope(value).nonce).toHaveLength(12);
  });

  it('uses a fresh nonce for every value, even for identical input', () => {
    const nonces = new Set<string>();
    const values = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const value = encryptSecret(key, 'same', aad);
      values.add(value);
      nonces.add(value.split('.')[2]!);
    }
    expect(nonces.size).toBe(2000);
    expect(values.size).toBe(2000);
  });

  it('binds a value to its owner: moved to another row or field, it does not decrypt', () => {
    const value = encryptSecret(key, 'token-of-account-1', aad);
    const otherRow = ownerAad('account', '17841400000000002', 'access_token');
    const otherField = ownerAad('account', '17841400000000001', 'app_secret');
    for (const wrongOwner of [otherRow, otherField, '']) {
      expect(() => decryptSecret(key, value, wrongOwner)).toThrow(CorruptSecretError);
    }
    try {
      decryptSecret(key, value, otherRow);
    } catch (error) {
      expect((error as CorruptSecretError).reason).toBe('authentication-failed');
    }
  });

  it('with another key, throws WrongKeyError naming both key ids', () => {
    const other = SecretKey.generate();
    const value = encryptSecret(key, 'secret', aad);
    let caught: unknown;
    try {
      decryptSecret(other, value, aad);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WrongKeyError);
    const wrong = caught as WrongKeyError;
    expect(wrong.code).toBe('wrong-key');
    expect(wrong.message).toContain('This database was encrypted with another key');
    expect(wrong.valueKeyId).toBe(key.id);
    expect(wrong.currentKeyId).toBe(other.id);
  });

  it('a value whose key id was edited to the current key fails authentication (the header is bound)', () => {
    const other = SecretKey.generate();
    const value = encryptSecret(other, 'secret', aad);
    const forged = value.replace(other.id, key.id);
    expect(() => decryptSecret(key, forged, aad)).toThrow(CorruptSecretError);
  });

  it('reports corrupt values as CorruptSecretError with a reason', () => {
    const value = encryptSecret(key, 'secret value', aad);
    const [v, id, nonce, sealed] = value.split('.') as [string, string, string, string];
    const cases: [unknown, string][] = [
      [42, 'not-a-string'],
      [null, 'not-a-string'],
      ['plain text token', 'unknown-format'],
      [`sb2.${id}.${nonce}.${sealed}`, 'unknown-format'],
      [`${v}.${id}.${nonce}`, 'malformed'],
      [`${v}.${id}.${nonce}.${sealed}.extra`, 'malformed'],
      [`${v}.XYZ.${nonce}.${sealed}`, 'malformed'],
      [`${v}.${id}.${nonce.slice(0, 8)}.${sealed}`, 'malformed'],
      [`${v}.${id}.${nonce}.${sealed.slice(0, 10)}`, 'malformed'],
      [`${v}.${id}.${nonce}.${sealed}!`, 'malformed'],
      [`${v}.${id}.${nonce}.${flipChar(sealed, 3)}`, 'authentication-failed'],
      [`${v}.${id}.${flipChar(nonce, 0)}.${sealed}`, 'authentication-failed'],
      [
        `${v}.${id}.${nonce}.${Buffer.from(sealed, 'base64url').subarray(0, -3).toString('base64url')}`,
        'authentication-failed',
      ],
      // 4n+1 characters is never a valid base64 length.
      [`${v}.${id}.${nonce}.${sealed.slice(0, -1)}`, 'malformed'],
    ];
    for (const [input, reason] of cases) {
      let caught: unknown;
      try {
        decryptSecret(key, input, aad);
      } catch (error) {
        caught = error;
      }
      expect(caught, String(input)).toBeInstanceOf(CorruptSecretError);
      expect((caught as CorruptSecretError).reason, String(input)).toBe(reason);
    }
  });

  it('refuses to encrypt text with a lone surrogate instead of silently changing it', () => {
    expect(() => encryptSecret(key, 'abc\uD800', aad)).toThrow(TypeError);
  });

  it('property: any Unicode text and any owner round-trip', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        (plain, owner) => {
          expect(decryptSecret(key, encryptSecret(key, plain, owner), owner)).toBe(plain);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: decrypt throws nothing but the typed errors on arbitrary input', () => {
    const valid = encryptSecret(key, 'x', aad);
    const mutations = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.anything(),
      // Near-misses of a valid value get past the cheap checks and reach the cipher.
      fc
        .tuple(fc.nat({ max: valid.length - 1 }), fc.constantFrom(...'AZaz09-_.=!/+'.split('')))
        .map(([i, c]) => valid.slice(0, i) + c + valid.slice(i + 1)),
      fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
      fc
        .tuple(
          fc.constantFrom(key.id),
          fc.uint8Array({ minLength: 0, maxLength: 40 }),
          fc.uint8Array({ maxLength: 80 }),
        )
        .map(
          ([id, n, s]) =>
            `sb1.${id}.${Buffer.from(n).toString('base64url')}.${Buffer.from(s).toString('base64url')}`,
        ),
    );
    fc.assert(
      fc.property(mutations, (input) => {
        try {
          const out = decryptSecret(key, input, aad);
          // Only the untouched value may decrypt.
          expect(input).toBe(valid);
          expect(out).toBe('x');
        } catch (error) {
          expect(error instanceof WrongKeyError || error instanceof CorruptSecretError).toBe(true);
          expect(error).toBeInstanceOf(SecretsError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
