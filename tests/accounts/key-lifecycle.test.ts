/**
 * The master key in the real OS keychain, through the whole account lifecycle: create, test, refresh,
 * rotate, export, a second workstation that finds the wrong key, import. Afterwards no secret may appear in
 * clear in the database files, the log file, any contract output or any error message.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AccountView, Result } from '../../shared/contract';
import { TokenRefresher } from '../../electron/main/core/accounts/token-refresher';
import { createGraphInstagramClientFactory } from '../../electron/main/core/instagram';
import { createLogger, silentLogger } from '../../electron/main/core/lib/logger';
import { KeytarSecretStore } from '../../electron/main/core/secrets';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox';
import { startCoreUnderTest, type CoreUnderTest } from '../support/core-harness';
import { describeWhen, probeKeychain, uniqueService } from '../secrets/support/keychain';

const keychain = await probeKeychain();
const dayMs = 24 * 60 * 60 * 1000;

describeWhen(keychain, 'the master key in the OS keychain, through a full account cycle', () => {
  const services = [uniqueService(), uniqueService()];
  const outputs: string[] = [];
  let sandbox: Sandbox;
  let first: CoreUnderTest;
  let savedService: string | undefined;

  const record = (result: Result<unknown>) => {
    outputs.push(JSON.stringify(result));
    return result;
  };
  const call = async <T>(core: CoreUnderTest, method: string, input: unknown): Promise<T> => {
    const result = record(await core.core.dispatch(method, input, { transport: 'in-process' }));
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.value as T;
  };

  beforeAll(async () => {
    savedService = process.env.SWITCHBOARD_KEYCHAIN_SERVICE;
    sandbox = await startSandbox({ port: 0, seed: 5 });
  });
  afterAll(async () => {
    await first?.dispose();
    await sandbox?.dispose();
    for (const service of services) {
      const store = new KeytarSecretStore({ service });
      await store.delete('master-key');
      await store.delete('master-key-next');
    }
    if (savedService === undefined) delete process.env.SWITCHBOARD_KEYCHAIN_SERVICE;
    else process.env.SWITCHBOARD_KEYCHAIN_SERVICE = savedService;
  });

  it('keeps every secret out of sight from creation to import on a second workstation', async () => {
    process.env.SWITCHBOARD_KEYCHAIN_SERVICE = services[0];
    const logDir = join(process.cwd(), 'test-results');
    const logFile = join(logDir, `key-lifecycle-${services[0]}.log`);
    first = await startCoreUnderTest({
      config: { graphUrl: sandbox.url, keyFile: undefined },
      logger: createLogger({ file: logFile, level: 'debug' }),
    });
    expect(first.core.keys.getStatus()).toMatchObject({ state: 'ready', source: 'keychain' });
    const firstKey = await new KeytarSecretStore({ service: services[0] }).get('master-key');
    expect(firstKey).toBeTruthy();

    const created = sandbox.createAccount({ loginType: 'instagram' });
    const token = sandbox.issueToken(created.account.id, { ageSeconds: 2 * 24 * 3600 }).token;
    const account = await call<AccountView>(first, 'accounts.create', {
      instagramAccountId: created.account.id,
      username: created.account.username,
      clientName: 'Clinic Blue',
      loginType: 'instagram',
      accessToken: token,
      appSecret: created.app.secret,
      instagramAppSecret: created.app.instagramAppSecret,
    });
    expect((await call<{ ok: boolean }>(first, 'accounts.testConnection', { id: account.id })).ok).toBe(true);

    // Refresh: the token is two days old.
    await first.core.database.repositories.accounts.update(account.id, {
      tokenRefreshedAt: new Date(Date.now() - 2 * dayMs),
    });
    const refresher = new TokenRefresher({
      database: first.core.database,
      keys: first.core.keys,
      accounts: first.core.accounts,
      events: first.core.events,
      logger: silentLogger(),
      clientFactory: createGraphInstagramClientFactory({ baseUrl: sandbox.url }),
    });
    expect(await refresher.runOnce()).toEqual([{ accountId: account.id, result: 'refreshed' }]);
    const refreshedToken = first.core.accounts.decryptAll(
      (await first.core.database.repositories.accounts.get(account.id))!,
    ).accessToken!;

    // Rotate: every credential re-encrypted under a new key; the account still works.
    const rotated = await call<{ keyId: string; reencrypted: number }>(first, 'keys.rotate', {});
    expect(rotated.reencrypted).toBe(3);
    const secondKey = await new KeytarSecretStore({ service: services[0] }).get('master-key');
    expect(secondKey).not.toBe(firstKey);
    expect(await new KeytarSecretStore({ service: services[0] }).get('master-key-next')).toBeNull();
    expect((await call<AccountView>(first, 'accounts.get', { id: account.id })).credentials).toEqual({
      accessToken: 'present',
      appSecret: 'present',
      instagramAppSecret: 'present',
    });
    expect((await call<{ ok: boolean }>(first, 'accounts.testConnection', { id: account.id })).ok).toBe(true);

    // Export with a passphrase; a wrong passphrase on import is refused in plain words.
    const passphrase = 'violet staircase under the harbour 42';
    const exported = await call<{ fileName: string; contents: string }>(first, 'keys.export', { passphrase });
    const dbFile = join(first.dataDir, 'switchboard.db');
    await first.core.dispose();

    // A second workstation with its own (new) keychain key opens the same database.
    process.env.SWITCHBOARD_KEYCHAIN_SERVICE = services[1];
    const second = await startCoreUnderTest({
      config: { databaseUrl: `sqlite:${dbFile}`, keyFile: undefined, graphUrl: sandbox.url },
    });
    try {
      expect(second.core.keys.getStatus().state).toBe('wrong_key');
      const wrong = record(
        await second.core.dispatch(
          'keys.import',
          { contents: exported.contents, passphrase: `${passphrase}!` },
          { transport: 'in-process' },
        ),
      );
      expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const imported = await call<{ state: string; keyId: string }>(second, 'keys.import', {
        contents: exported.contents,
        passphrase,
      });
      expect(imported).toMatchObject({ state: 'ready', keyId: rotated.keyId });
      expect(
        (await call<{ accounts: AccountView[] }>(second, 'accounts.list', {})).accounts[0]?.credentials
          .accessToken,
      ).toBe('present');
      expect((await call<{ ok: boolean }>(second, 'accounts.testConnection', { id: account.id })).ok).toBe(
        true,
      );
    } finally {
      await second.dispose();
    }

    // Nothing secret anywhere: database files, the log, every contract output and error.
    const secrets = [
      token,
      refreshedToken,
      created.app.secret,
      created.app.instagramAppSecret,
      passphrase,
      firstKey!,
      secondKey!,
    ];
    const dataFiles = readdirSync(first.dataDir).map((name) => readFileSync(join(first.dataDir, name)));
    const haystacks = [
      ...dataFiles,
      readFileSync(logFile),
      Buffer.from(outputs.join('\n')),
      Buffer.from(exported.contents),
    ];
    for (const secret of secrets) {
      for (const haystack of haystacks)
        expect(haystack.includes(secret), 'a secret appeared in clear').toBe(false);
    }
  });
});
