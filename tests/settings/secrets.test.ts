/**
 * `settings.getSecrets` / `setSecret` / `clearSecret` against the real OS keychain (a unique service per run),
 * over both transports; and the MySQL password the database service takes from the keychain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract';
import { createCore } from '../../electron/main/core/create-core';
import { DatabaseService } from '../../electron/main/core/database-service';
import { resolveDatabaseConfig } from '../../electron/main/core/db';
import { silentLogger } from '../../electron/main/core/lib/logger';
import {
  KeychainError,
  KeytarSecretStore,
  MemorySecretStore,
  SecretKey,
  writeKeyFile,
  type SecretStore,
} from '../../electron/main/core/secrets';
import { startCoreUnderTest, testConfig, type CoreUnderTest } from '../support/core-harness';
import { describeWhen, probeKeychain, uniqueService } from '../secrets/support/keychain';

const availability = await probeKeychain();

describeWhen(availability, 'connection secrets in the real keychain', () => {
  const service = uniqueService();
  const previous = process.env.SWITCHBOARD_KEYCHAIN_SERVICE;
  let harness: CoreUnderTest;
  const ngrokValue = `ngrok_${crypto.randomUUID()}`;
  const mysqlValue = `mysql_${crypto.randomUUID()}`;
  const results: unknown[] = [];

  const call = async (method: string, input: unknown, transport: 'in-process' | 'http' = 'in-process') => {
    const result =
      transport === 'http'
        ? ((await harness.httpCall(method, input)).json as Result<unknown>)
        : await harness.core.dispatch(method, input, { transport: 'in-process' });
    results.push(result);
    return result;
  };

  beforeAll(async () => {
    process.env.SWITCHBOARD_KEYCHAIN_SERVICE = service;
    harness = await startCoreUnderTest();
  });

  afterAll(async () => {
    await harness?.dispose();
    const store = new KeytarSecretStore({ service });
    await store.delete('ngrok-authtoken');
    await store.delete('mysql-password');
    if (previous === undefined) delete process.env.SWITCHBOARD_KEYCHAIN_SERVICE;
    else process.env.SWITCHBOARD_KEYCHAIN_SERVICE = previous;
  });

  it('starts with neither secret set', async () => {
    expect(await call('settings.getSecrets', {})).toEqual({
      ok: true,
      value: { keychain: 'available', message: null, ngrokAuthtoken: 'missing', mysqlPassword: 'missing' },
    });
  });

  it('sets, reports and clears each secret, in the keychain service of this run', async () => {
    const store = new KeytarSecretStore({ service });
    expect(await call('settings.setSecret', { name: 'ngrok-authtoken', value: ngrokValue })).toEqual({
      ok: true,
      value: { keychain: 'available', message: null, ngrokAuthtoken: 'set', mysqlPassword: 'missing' },
    });
    expect(await store.get('ngrok-authtoken')).toBe(ngrokValue);

    expect(
      await call('settings.setSecret', { name: 'mysql-password', value: mysqlValue }, 'http'),
    ).toMatchObject({ ok: true, value: { ngrokAuthtoken: 'set', mysqlPassword: 'set' } });
    expect(await store.get('mysql-password')).toBe(mysqlValue);
    expect(await call('settings.getSecrets', {}, 'http')).toMatchObject({
      ok: true,
      value: { ngrokAuthtoken: 'set', mysqlPassword: 'set' },
    });

    expect(await call('settings.clearSecret', { name: 'ngrok-authtoken' }, 'http')).toMatchObject({
      ok: true,
      value: { ngrokAuthtoken: 'missing', mysqlPassword: 'set' },
    });
    expect(await store.get('ngrok-authtoken')).toBeNull();
    expect(await call('settings.clearSecret', { name: 'mysql-password' })).toMatchObject({
      ok: true,
      value: { ngrokAuthtoken: 'missing', mysqlPassword: 'missing' },
    });
    // Clearing what is not there is fine.
    expect(await call('settings.clearSecret', { name: 'mysql-password' })).toMatchObject({ ok: true });
    expect(await store.get('mysql-password')).toBeNull();
  });

  it('refuses bad values in plain words', async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: 'ngrok-authtoken', value: '' }, /Enter a value/],
      [{ name: 'ngrok-authtoken', value: 'two words' }, /cannot contain spaces/],
      [{ name: 'mysql-password', value: 'line\nbreak' }, /cannot contain spaces/],
      [{ name: 'mysql-password', value: 'x'.repeat(513) }, /at most 512 characters/],
      [{ name: 'master-key', value: 'abc' }, /Choose the ngrok authtoken or the MySQL password/],
    ];
    for (const [input, message] of cases) {
      for (const transport of ['in-process', 'http'] as const) {
        const result = await call('settings.setSecret', input, transport);
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message } });
      }
    }
    expect(
      await call('settings.setSecret', { name: 'mysql-password', value: 'x'.repeat(512) }),
    ).toMatchObject({
      ok: true,
    });
    expect(await call('settings.clearSecret', { name: 'mysql-password' })).toMatchObject({ ok: true });
  });

  it('never returns a value', () => {
    const all = JSON.stringify(results);
    expect(results.length).toBeGreaterThan(5);
    expect(all).not.toContain(ngrokValue);
    expect(all).not.toContain(mysqlValue);
  });
});

describe('settings handlers when the keychain cannot be used', () => {
  it('reports the keychain unavailable with its message, and refuses writes as UNAVAILABLE', async () => {
    const previous = process.env.SWITCHBOARD_KEYCHAIN_SERVICE;
    process.env.SWITCHBOARD_KEYCHAIN_SERVICE = uniqueService();
    const failing = new KeytarSecretStore({
      loadModule: () => Promise.reject(new Error('keytar.node: cannot open shared object file')),
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
    const keyFile = join(dataDir, 'master.key');
    await writeKeyFile(keyFile, SecretKey.generate());
    const core = await createCore({
      config: testConfig(dataDir, { keyFile }),
      shell: 'headless',
      version: '0.0.0-test',
      logger: silentLogger(),
      secrets: failing,
    });
    try {
      const message = new KeychainError('native-module-unavailable', 'x').message;
      expect(await core.dispatch('settings.getSecrets', {}, { transport: 'in-process' })).toEqual({
        ok: true,
        value: { keychain: 'unavailable', message, ngrokAuthtoken: 'missing', mysqlPassword: 'missing' },
      });
      const set = await core.dispatch(
        'settings.setSecret',
        { name: 'ngrok-authtoken', value: 'secret-value-123' },
        { transport: 'in-process' },
      );
      expect(set).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message } });
      expect(JSON.stringify(set)).not.toContain('secret-value-123');
      expect(
        await core.dispatch('settings.clearSecret', { name: 'mysql-password' }, { transport: 'in-process' }),
      ).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message } });
    } finally {
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
      if (previous === undefined) delete process.env.SWITCHBOARD_KEYCHAIN_SERVICE;
      else process.env.SWITCHBOARD_KEYCHAIN_SERVICE = previous;
    }
  });
});

describe('the MySQL password from the keychain', () => {
  // The configuration the service's attempt would open (the private step before openDatabase).
  const passwordUsed = async (url: string, secrets: SecretStore): Promise<string> => {
    const service = new DatabaseService({
      databaseUrl: url,
      env: {},
      defaultSqliteFile: ':memory:',
      logger: silentLogger(),
      onStatus: () => {},
      secrets,
    });
    const step = service as unknown as {
      withKeychainPassword(config: unknown): Promise<{ password?: string }>;
    };
    const config = resolveDatabaseConfig({ url, env: {}, defaultSqliteFile: ':memory:' });
    const used = await step.withKeychainPassword(config);
    await service.dispose();
    return used.password ?? '(none)';
  };

  it('takes the keychain password when the configuration has none', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set('mysql-password', 'from-keychain');
    expect(await passwordUsed('mysql://app@127.0.0.1:1/switchboard', secrets)).toBe('from-keychain');
  });

  it('keeps a configured password, and an empty one when the keychain has none', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set('mysql-password', 'from-keychain');
    expect(await passwordUsed('mysql://app:given@127.0.0.1:1/switchboard', secrets)).toBe('given');
    expect(await passwordUsed('mysql://app@127.0.0.1:1/switchboard', new MemorySecretStore())).toBe('');
  });

  it('connects without it when the keychain fails', async () => {
    const failing = new KeytarSecretStore({ loadModule: () => Promise.reject(new Error('no keytar')) });
    expect(await passwordUsed('mysql://app@127.0.0.1:1/switchboard', failing)).toBe('');
  });
});
