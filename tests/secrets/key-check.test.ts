import { describe, expect, it } from 'vitest';
import {
  SecretKey,
  WrongKeyError,
  assertKeyCheck,
  createKeyCheck,
  verifyKeyCheck,
} from '../../electron/main/core/secrets';

describe('key check value', () => {
  const key = SecretKey.generate();

  it('is stable for one key, names the key, and differs between keys', () => {
    const kcv = createKeyCheck(key);
    expect(createKeyCheck(key)).toBe(kcv);
    expect(kcv).toMatch(/^sbkcv1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(kcv.split('.')[1]).toBe(key.id);
    expect(createKeyCheck(SecretKey.generate())).not.toBe(kcv);
  });

  it('matches the same key, even when parsed again from its text form (a second workstation)', () => {
    const copy = SecretKey.parse(key.revealBase64());
    expect(verifyKeyCheck(copy, createKeyCheck(key))).toEqual({ status: 'match' });
    expect(assertKeyCheck(copy, createKeyCheck(key))).toBe(true);
  });

  it('detects a different key at start, with both key ids', () => {
    const other = SecretKey.generate();
    expect(verifyKeyCheck(other, createKeyCheck(key))).toEqual({
      status: 'different-key',
      storedKeyId: key.id,
      currentKeyId: other.id,
    });
    expect(() => assertKeyCheck(other, createKeyCheck(key))).toThrow(WrongKeyError);
  });

  it('detects a forged key id (the HMAC must match too)', () => {
    const other = SecretKey.generate();
    const forged = createKeyCheck(other).replace(other.id, key.id);
    expect(verifyKeyCheck(key, forged).status).toBe('different-key');
  });

  it('reports unreadable values without throwing', () => {
    for (const bad of [
      undefined,
      null,
      7,
      '',
      'sbkcv1',
      'sbkcv2.0011223344556677.abc',
      `sbkcv1.${key.id}.x.y`,
      'sbkcv1.nothex.abc',
    ]) {
      expect(verifyKeyCheck(key, bad)).toEqual({ status: 'unreadable' });
      expect(assertKeyCheck(key, bad)).toBe(false);
    }
  });
});
