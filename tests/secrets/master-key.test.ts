import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KeySourceError,
  KeytarSecretStore,
  MASTER_KEY_ENV,
  MasterKeyUnavailableError,
  SecretKey,
  readKeyFile,
  resolveMasterKey,
  writeKeyFile,
} from '../../electron/main/core/secrets';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A keychain whose native module does not exist: a real failed import, not a stub of keytar's behaviour. */
function brokenKeychain(): KeytarSecretStore {
  return new KeytarSecretStore({
    service: 'switchboard-test-broken',
    loadModule: () => import(/* @vite-ignore */ ['keytar', 'that-does-not-exist'].join('-')),
  });
}

function keychainMustNotBeUsed(): never {
  throw new Error('the keychain must not be touched when another source is configured');
}

describe('APP_SECRET_KEY', () => {
  const key = SecretKey.generate();
  const bytes = Buffer.from(key.revealBase64(), 'base64');

  it('accepts base64, base64url and hex of 32 bytes, and says which source it used', async () => {
    for (const text of [
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      ` ${bytes.toString('hex').toUpperCase()}\n`,
    ]) {
      const resolved = await resolveMasterKey({
        env: { [MASTER_KEY_ENV]: text },
        keychain: keychainMustNotBeUsed,
      });
      expect(resolved.source).toBe('environment');
      expect(resolved.created).toBe(false);
      expect(resolved.key.equals(key)).toBe(true);
      expect(resolved.description).toContain(MASTER_KEY_ENV);
      expect(resolved.description).toContain(key.id);
    }
  });

  it('refuses a malformed value with an explanation that does not echo the value', async () => {
    for (const bad of [
      'too-short',
      bytes.subarray(0, 31).toString('base64'),
      bytes.toString('hex') + 'ab',
      'z'.repeat(64),
    ]) {
      let caught: unknown;
      try {
        await resolveMasterKey({ env: { [MASTER_KEY_ENV]: bad }, keychain: keychainMustNotBeUsed });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(KeySourceError);
      const error = caught as KeySourceError;
      expect(error.source).toBe('environment');
      expect(error.message).toMatch(
        /APP_SECRET_KEY must be 32 random bytes written as 64 hex characters or 44 base64/,
      );
      expect(error.message).not.toContain(bad);
    }
  });
});

describe('key file (--key-file)', () => {
  it('reads a 0600 key file and reports the source', async () => {
    const key = SecretKey.generate();
    const path = join(dir, 'master.key');
    await writeKeyFile(path, key);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const resolved = await resolveMasterKey({ keyFile: path, env: {}, keychain: keychainMustNotBeUsed });
    expect(resolved.source).toBe('key-file');
    expect(resolved.key.equals(key)).toBe(true);
    expect(resolved.description).toContain(path);
  });

  it('accepts 0400 and refuses 0644, 0640 and 0604 with the reason and the fix', async () => {
    const key = SecretKey.generate();
    const path = join(dir, 'master.key');
    await writeFile(path, key.revealBase64());
    await chmod(path, 0o400);
    expect((await readKeyFile(path)).equals(key)).toBe(true);
    for (const mode of [0o644, 0o640, 0o604]) {
      await chmod(path, mode);
      let caught: unknown;
      try {
        await resolveMasterKey({ keyFile: path, env: {}, keychain: keychainMustNotBeUsed });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(KeySourceError);
      const message = (caught as Error).message;
      expect(message).toContain(`mode ${mode.toString(8).padStart(4, '0')}`);
      expect(message).toContain('0600 or stricter');
      expect(message).toContain(`chmod 600 '${path}'`);
      expect(message).not.toContain(key.revealBase64());
    }
  });

  it('refuses a missing file, a folder and malformed content, without echoing content', async () => {
    await expect(readKeyFile(join(dir, 'absent.key'))).rejects.toThrow(/does not exist/);
    await expect(readKeyFile(dir)).rejects.toThrow(/not a regular file/);
    const path = join(dir, 'bad.key');
    await writeFile(path, 'not-a-key-at-all', { mode: 0o600 });
    const error = await readKeyFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeySourceError);
    expect((error as Error).message).not.toContain('not-a-key-at-all');
  });

  it('never overwrites an existing file', async () => {
    const path = join(dir, 'master.key');
    await writeKeyFile(path, SecretKey.generate());
    const before = await readFile(path, 'utf8');
    await expect(writeKeyFile(path, SecretKey.generate())).rejects.toThrow(/EEXIST/);
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('wins over APP_SECRET_KEY, with a warning', async () => {
    const fileKey = SecretKey.generate();
    const path = join(dir, 'master.key');
    await writeKeyFile(path, fileKey);
    const resolved = await resolveMasterKey({
      keyFile: path,
      env: { [MASTER_KEY_ENV]: SecretKey.generate().revealBase64() },
      keychain: keychainMustNotBeUsed,
    });
    expect(resolved.key.equals(fileKey)).toBe(true);
    expect(resolved.warnings).toEqual([
      `${MASTER_KEY_ENV} is set but ignored, because --key-file was given.`,
    ]);
  });

  it('a broken key file is an error, never a silent fall-through to another source', async () => {
    const path = join(dir, 'master.key');
    await writeFile(path, SecretKey.generate().revealBase64(), { mode: 0o644 });
    await chmod(path, 0o644);
    await expect(
      resolveMasterKey({
        keyFile: path,
        env: { [MASTER_KEY_ENV]: SecretKey.generate().revealBase64() },
        keychain: keychainMustNotBeUsed,
      }),
    ).rejects.toBeInstanceOf(KeySourceError);
  });
});

describe('no source available', () => {
  it('a keychain whose native module does not load becomes a typed state and a one-paragraph explanation', async () => {
    let caught: unknown;
    try {
      await resolveMasterKey({ env: {}, keychain: brokenKeychain() });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MasterKeyUnavailableError);
    const error = caught as MasterKeyUnavailableError;
    expect(error.keychain?.state).toBe('native-module-unavailable');
    expect(error.keychain?.detail).toMatch(/keytar-that-does-not-exist/);
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain('APP_SECRET_KEY');
    expect(error.message).toContain('--key-file');
    expect(error.message).toContain('mode 0600');
  });
});
