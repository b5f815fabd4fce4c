import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/contract';
import { startCoreUnderTest } from '../support/core-harness';
import { startAccountsWorld, type AccountsWorld } from './support';

let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.dispose();
  world = undefined;
});

/** Every byte Switchboard wrote to its data folder (database, WAL, logs). */
function dataFolderBytes(dataDir: string): Buffer {
  const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) =>
    entry.isFile(),
  );
  return Buffer.concat(files.map((entry) => readFileSync(join(entry.parentPath, entry.name))));
}

describe('accounts', () => {
  it('stores credentials only encrypted, bound to their account', async () => {
    world = await startAccountsWorld();
    const { view, token, appSecret } = await world.addAccount();
    expect(view.credentials).toEqual({
      accessToken: 'present',
      appSecret: 'present',
      instagramAppSecret: 'missing',
    });
    const stored = await world.harness.core.database.repositories.accounts.get(view.id);
    expect(stored?.accessTokenEncrypted).toMatch(/^sb1\./);
    expect(stored?.accessTokenEncrypted).not.toContain(token);
    expect(stored?.appSecretEncrypted).not.toContain(appSecret);
    const bytes = dataFolderBytes(world.harness.dataDir);
    expect(bytes.includes(token)).toBe(false);
    expect(bytes.includes(appSecret)).toBe(false);
  });

  it('shows a credential moved to another account, or damaged, as unreadable — and keeps working', async () => {
    world = await startAccountsWorld();
    const first = await world.addAccount();
    const second = await world.addAccount();
    const accounts = world.harness.core.database.repositories.accounts;
    const firstRow = await accounts.get(first.view.id);
    await accounts.update(second.view.id, {
      accessTokenEncrypted: firstRow!.accessTokenEncrypted,
      appSecretEncrypted: 'sb1.garbage',
    });
    const list = await world.call<{ accounts: AccountView[] }>('accounts.list', {});
    const byId = new Map(list.accounts.map((account) => [account.id, account]));
    expect(byId.get(first.view.id)?.credentials.accessToken).toBe('present');
    expect(byId.get(second.view.id)?.credentials).toMatchObject({
      accessToken: 'unreadable',
      appSecret: 'unreadable',
    });
    const test = await world.call<{ ok: boolean; explanation: string }>('accounts.testConnection', {
      id: second.view.id,
    });
    expect(test.ok).toBe(false);
    expect(test.explanation).toContain('cannot be read');
  });

  it('refuses a second account with the same Instagram id, saying which one it is', async () => {
    world = await startAccountsWorld();
    const { view, token, appSecret, instagramAccountId } = await world.addAccount();
    const result = await world.raw('accounts.create', {
      instagramAccountId,
      username: 'someone_else',
      clientName: 'Other client',
      loginType: 'instagram',
      accessToken: token,
      appSecret,
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: `The Instagram account ${instagramAccountId} is already connected as @${view.username}.`,
        issues: [{ path: 'instagramAccountId', message: 'already connected' }],
      },
    });
  });

  it('explains an expired token, and marks the account as needing reconnect', async () => {
    world = await startAccountsWorld();
    const { view, token } = await world.addAccount();
    world.sandbox.updateToken(token, { expire: true });
    const test = await world.call<{ ok: boolean; explanation: string }>('accounts.testConnection', {
      id: view.id,
    });
    expect(test.ok).toBe(false);
    expect(test.explanation.toLowerCase()).toContain('expired');
    const after = await world.call<AccountView>('accounts.get', { id: view.id });
    expect(after.health.status).toBe('error');
    expect(after.health.needsReconnect).toBe(true);
    expect(after.health.message).not.toMatch(/^Needs reconnect/);
  });

  it('explains a token that belongs to another account (webhooks use the user_id)', async () => {
    world = await startAccountsWorld();
    const mine = await world.addAccount();
    const other = await world.addAccount();
    await world.call('accounts.update', { id: mine.view.id, accessToken: other.token });
    const test = await world.call<{ ok: boolean; explanation: string }>('accounts.testConnection', {
      id: mine.view.id,
    });
    expect(test.ok).toBe(false);
    expect(test.explanation).toContain(
      `belongs to @${other.view.username} (Instagram account id ${other.instagramAccountId})`,
    );
    expect(test.explanation).toContain('user_id');
  });

  it('records every change in the audit log, without secret values', async () => {
    world = await startAccountsWorld();
    const { view, token, appSecret } = await world.addAccount();
    await world.call('accounts.update', { id: view.id, clientName: 'Renamed', accessToken: `${token}x2` });
    await world.call('accounts.setStatus', { id: view.id, status: 'inactive' });
    const entries = await world.harness.core.database.repositories.audit.list({ accountId: view.id });
    expect(entries.map((entry) => entry.action).sort()).toEqual(
      ['account.create', 'account.credentials_change', 'account.status_change'].sort(),
    );
    const text = JSON.stringify(entries);
    expect(text).not.toContain(token);
    expect(text).not.toContain(appSecret);
    expect(entries.every((entry) => entry.actor.length > 0)).toBe(true);
  });

  it('a second workstation with another key finds out at start, and nothing breaks', async () => {
    world = await startAccountsWorld();
    const { view } = await world.addAccount();
    const dbFile = join(world.harness.dataDir, 'switchboard.db');
    // The first workstation stops; a second one (its own data folder and key) opens the same database.
    await world.harness.core.dispose();
    const second = await startCoreUnderTest({ config: { databaseUrl: `sqlite:${dbFile}` } });
    try {
      const encryption = second.core.status.get().encryption;
      expect(encryption.state).toBe('wrong_key');
      expect(encryption.message).toMatch(/^This database was encrypted with another key/);
      const list = await second.core.dispatch('accounts.list', {}, { transport: 'in-process' });
      expect(list).toMatchObject({ ok: true });
      const listed = (list as { value: { accounts: AccountView[] } }).value.accounts;
      expect(listed.map((account) => [account.id, account.credentials.accessToken])).toEqual([
        [view.id, 'unreadable'],
      ]);
      const refused = await second.core.dispatch(
        'accounts.update',
        { id: view.id, accessToken: 'IGAA-some-new-token-0123456789' },
        { transport: 'in-process' },
      );
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE', message: encryption.message },
      });
    } finally {
      await second.dispose();
    }
  });
});
