import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT,
  KeyExportError,
  SecretKey,
  checkPassphraseStrength,
  decryptSecret,
  encryptSecret,
  exportKey,
  importKey,
} from '../../electron/main/core/secrets';

const PASSPHRASE = 'correct horse battery staple';

async function rejection(promise: Promise<unknown>): Promise<KeyExportError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(KeyExportError);
    return error as KeyExportError;
  }
  throw new Error('expected a rejection');
}

describe('key export / import', () => {
  const key = SecretKey.generate();

  it('round-trips: the imported key is the same key and opens values of the first workstation', async () => {
    const file = await exportKey(key, PASSPHRASE);
    const imported = await importKey(file, PASSPHRASE);
    expect(imported.equals(key)).toBe(true);
    expect(imported.id).toBe(key.id);
    const value = encryptSecret(key, 'page token', 'account:1:access_token');
    expect(decryptSecret(imported, value, 'account:1:access_token')).toBe('page token');
  });

  it('writes versioned JSON with the scrypt parameters, salt and nonce, and no key bytes in clear', async () => {
    const file = await exportKey(key, PASSPHRASE, { now: new Date('2026-01-02T03:04:05Z') });
    const json = JSON.parse(file) as Record<string, unknown>;
    expect(json).toMatchObject({
      format: 'switchboard-key-export',
      version: 1,
      keyId: key.id,
      createdAt: '2026-01-02T03:04:05.000Z',
      kdf: { name: 'scrypt', logN: DEFAULT_SCRYPT.logN, r: 8, p: 1 },
      cipher: { name: 'aes-256-gcm' },
    });
    expect(DEFAULT_SCRYPT.logN).toBeGreaterThanOrEqual(17);
    const bytes = Buffer.from(key.revealBase64(), 'base64');
    for (const form of [bytes.toString('base64'), bytes.toString('hex'), bytes.toString('base64url')]) {
      expect(file).not.toContain(form);
    }
    // Two exports of the same key differ (fresh salt and nonce).
    expect(await exportKey(key, PASSPHRASE)).not.toBe(file);
  });

  it('a wrong passphrase is a clear wrong-passphrase error', async () => {
    const file = await exportKey(key, PASSPHRASE);
    const error = await rejection(importKey(file, 'correct horse battery stapler'));
    expect(error.reason).toBe('wrong-passphrase');
    expect(error.message).toMatch(/passphrase does not open this key file/);
  });

  it('a file whose header was edited (weaker parameters, another date) does not open', async () => {
    const file = JSON.parse(await exportKey(key, PASSPHRASE)) as Record<string, unknown>;
    const edited = JSON.stringify({ ...file, createdAt: '2020-01-01T00:00:00.000Z' });
    expect((await rejection(importKey(edited, PASSPHRASE))).reason).toBe('wrong-passphrase');
    const weaker = JSON.stringify({ ...file, kdf: { ...(file.kdf as object), logN: 10 } });
    expect((await rejection(importKey(weaker, PASSPHRASE))).reason).toBe('malformed-file');
  });

  it('refuses malformed files and other versions with typed errors', async () => {
    const good = JSON.parse(await exportKey(key, PASSPHRASE)) as Record<string, unknown>;
    const cases: [string, string][] = [
      ['not json', 'malformed-file'],
      ['[]', 'malformed-file'],
      ['null', 'malformed-file'],
      [JSON.stringify({ ...good, format: 'other' }), 'malformed-file'],
      [JSON.stringify({ ...good, version: 2 }), 'unsupported-version'],
      [JSON.stringify({ ...good, ciphertext: 'AAAA' }), 'malformed-file'],
      [JSON.stringify({ ...good, cipher: { name: 'aes-256-gcm', nonce: '!!' } }), 'malformed-file'],
      [JSON.stringify({ ...good, kdf: { ...(good.kdf as object), logN: 40 } }), 'malformed-file'],
      [JSON.stringify({ ...good, kdf: null }), 'malformed-file'],
    ];
    for (const [text, reason] of cases) {
      expect((await rejection(importKey(text, PASSPHRASE))).reason, text.slice(0, 60)).toBe(reason);
    }
  });

  it('refuses a weak passphrase at export, with the reason', async () => {
    for (const weak of ['short', 'aaaaaaaaaaaaaaaa', 'abababababababab', 'password1234', '123456789012']) {
      const error = await rejection(exportKey(key, weak));
      expect(error.reason).toBe('weak-passphrase');
      expect(error.message.length).toBeGreaterThan(20);
    }
  });

  it('checkPassphraseStrength accepts reasonable passphrases', () => {
    expect(checkPassphraseStrength(PASSPHRASE)).toEqual({ ok: true });
    expect(checkPassphraseStrength('Tr0ub4dor&3-x!')).toEqual({ ok: true });
    expect(checkPassphraseStrength('elf').ok).toBe(false);
  });
});
