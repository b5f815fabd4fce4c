import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CorruptSecretError,
  KeyExportError,
  RedactionList,
  SecretKey,
  WrongKeyError,
  decryptSecret,
  encryptSecret,
  exportKey,
  importKey,
  redact,
  reencrypt,
  resolveMasterKey,
  secretForms,
} from '../../electron/main/core/secrets';

function forms(key: SecretKey): string[] {
  return secretForms(key);
}

/** Everything a caller could print about a value: message, stack, JSON, inspect, String(). */
function everyRendering(value: unknown): string {
  return [
    String(value),
    JSON.stringify(value),
    inspect(value, { depth: 10, showHidden: true }),
    value instanceof Error ? `${value.message}\n${value.stack ?? ''}` : '',
  ].join('\n');
}

describe('SecretKey never shows its bytes by accident', () => {
  it('toString, JSON, inspect, spread and template strings print [redacted] and the public id only', () => {
    const key = SecretKey.generate();
    const rendered = [
      everyRendering(key),
      everyRendering({ key }),
      `${String(key)}`,
      JSON.stringify({ ...key }),
      inspect(structuredClone({ id: key.id })),
    ].join('\n');
    for (const form of forms(key)) expect(rendered).not.toContain(form);
    expect(JSON.stringify({ key })).toBe('{"key":"[redacted]"}');
    expect(inspect(key)).toContain(key.id);
  });

  it('parse errors never echo the input', () => {
    const almost = SecretKey.generate().revealBase64().slice(0, 40);
    let caught: unknown;
    try {
      SecretKey.parse(almost);
    } catch (error) {
      caught = error;
    }
    expect(everyRendering(caught)).not.toContain(almost);
  });
});

describe('no secret bytes in errors', () => {
  it('WrongKeyError, CorruptSecretError and RotationError hold neither key nor plaintext', async () => {
    const key = SecretKey.generate();
    const other = SecretKey.generate();
    const plaintext = 'IGQWRPlaintextAccessToken1234567890';
    const aad = 'account:1:access_token';
    const value = encryptSecret(key, plaintext, aad);
    const errors: unknown[] = [];
    for (const attempt of [
      () => decryptSecret(other, value, aad),
      () => decryptSecret(key, value, 'account:2:access_token'),
      () => decryptSecret(key, value.slice(0, -2), aad),
      () => reencrypt([{ aad, ciphertext: value }], other, SecretKey.generate()),
    ]) {
      try {
        attempt();
      } catch (error) {
        errors.push(error);
      }
    }
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBeInstanceOf(WrongKeyError);
    expect(errors[1]).toBeInstanceOf(CorruptSecretError);
    const rendered = errors.map(everyRendering).join('\n');
    expect(rendered).not.toContain(plaintext);
    for (const form of [...forms(key), ...forms(other)]) expect(rendered).not.toContain(form);
  });

  it('key export errors hold neither passphrase nor key', async () => {
    const key = SecretKey.generate();
    const passphrase = 'a long and private passphrase';
    const file = await exportKey(key, passphrase);
    const wrong = await importKey(file, 'another long passphrase!').catch((e: unknown) => e);
    const weak = await exportKey(key, 'weakpass').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(KeyExportError);
    expect(weak).toBeInstanceOf(KeyExportError);
    const rendered = everyRendering(wrong) + everyRendering(weak);
    for (const secret of [passphrase, 'another long passphrase!', 'weakpass', ...forms(key)])
      expect(rendered).not.toContain(secret);
  });

  it('resolved master keys render without their bytes', async () => {
    const key = SecretKey.generate();
    const resolved = await resolveMasterKey({
      env: { APP_SECRET_KEY: key.revealBase64() },
      keychain: () => {
        throw new Error('unused');
      },
    });
    const rendered = everyRendering(resolved);
    for (const form of forms(key)) expect(rendered).not.toContain(form);
  });
});

describe('redact', () => {
  it('hides strings, and keys in every encoding', () => {
    const key = SecretKey.generate();
    const bytes = Buffer.from(key.revealBase64(), 'base64');
    const text = `token=EAAB-secret-token b64=${bytes.toString('base64')} hex=${bytes.toString('hex')} url=${bytes.toString('base64url')} id=${key.id}`;
    const out = redact(text, ['EAAB-secret-token', key]);
    expect(out).toBe(`token=[redacted] b64=[redacted] hex=[redacted] url=[redacted] id=${key.id}`);
  });

  it('hides a secret that contains another one whole', () => {
    expect(redact('x abcdef y abc', ['abc', 'abcdef'])).toBe('x [redacted] y [redacted]');
  });

  it('ignores empty secrets and leaves unrelated text alone', () => {
    expect(redact('nothing secret here', ['', new Uint8Array()])).toBe('nothing secret here');
  });

  it('RedactionList grows and shrinks, and does not list its secrets in JSON', () => {
    const list = new RedactionList();
    list.add('s3cr3t-token');
    expect(list.redact('a s3cr3t-token b')).toBe('a [redacted] b');
    expect(JSON.stringify(list)).not.toContain('s3cr3t');
    expect(inspect(list)).not.toContain('s3cr3t');
    list.delete('s3cr3t-token');
    expect(list.redact('a s3cr3t-token b')).toBe('a s3cr3t-token b');
  });
});
