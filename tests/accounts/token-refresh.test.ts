import { afterEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/contract';
import { TokenRefresher } from '../../electron/main/core/accounts/token-refresher';
import { createGraphInstagramClientFactory } from '../../electron/main/core/instagram';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { startAccountsWorld, type AccountsWorld } from './support';

const dayMs = 24 * 60 * 60 * 1000;
let world: AccountsWorld | undefined;
afterEach(async () => {
  await world?.dispose();
  world = undefined;
});

function refresherFor(w: AccountsWorld, now: () => number, graphUrl = w.sandbox.url) {
  const { core } = w.harness;
  return new TokenRefresher({
    database: core.database,
    keys: core.keys,
    accounts: core.accounts,
    events: core.events,
    logger: silentLogger(),
    clientFactory: createGraphInstagramClientFactory({ baseUrl: graphUrl, timeoutMs: 2_000 }),
    now,
  });
}

describe('token refresh', () => {
  it('refreshes a token older than 24 hours, stores the new one encrypted and its expiry', async () => {
    world = await startAccountsWorld();
    const { view, token } = await world.addAccount({ tokenAgeSeconds: 2 * 24 * 3600 });
    const repos = world.harness.core.database.repositories;
    await repos.accounts.update(view.id, { tokenRefreshedAt: new Date(Date.now() - 2 * dayMs) });
    const outcomes = await refresherFor(world, () => Date.now()).runOnce();
    expect(outcomes).toEqual([{ accountId: view.id, result: 'refreshed' }]);
    const stored = await repos.accounts.get(view.id);
    const { accessToken } = world.harness.core.accounts.decryptAll(stored!);
    expect(accessToken).not.toBe(token);
    expect(accessToken).toBeTruthy();
    const daysLeft = (stored!.tokenExpiresAt!.getTime() - Date.now()) / dayMs;
    expect(daysLeft).toBeGreaterThan(59);
    expect(daysLeft).toBeLessThanOrEqual(60);
    // The new token works.
    const test = await world.call<{ ok: boolean }>('accounts.testConnection', { id: view.id });
    expect(test.ok).toBe(true);
  });

  it('leaves a token younger than 24 hours alone (Meta refuses to refresh it)', async () => {
    world = await startAccountsWorld();
    const { view, token } = await world.addAccount();
    const outcomes = await refresherFor(world, () => Date.now()).runOnce();
    expect(outcomes).toEqual([{ accountId: view.id, result: 'too_young' }]);
    const stored = await world.harness.core.database.repositories.accounts.get(view.id);
    expect(world.harness.core.accounts.decryptAll(stored!).accessToken).toBe(token);
  });

  it('marks a revoked token as needing reconnect', async () => {
    world = await startAccountsWorld();
    const { view, token } = await world.addAccount({ tokenAgeSeconds: 3 * 24 * 3600 });
    await world.harness.core.database.repositories.accounts.update(view.id, {
      tokenRefreshedAt: new Date(Date.now() - 3 * dayMs),
    });
    world.sandbox.updateToken(token, { revokeSubcode: 460 });
    const [outcome] = await refresherFor(world, () => Date.now()).runOnce();
    expect(outcome?.result).toBe('failed');
    const after = await world.call<AccountView>('accounts.get', { id: view.id });
    expect(after.health.status).toBe('error');
    expect(after.health.needsReconnect).toBe(true);
    expect(after.health.message).not.toMatch(/^Needs reconnect/);
  });

  it('warns staff once per threshold (7, 3, 1 days) while refreshing keeps failing', async () => {
    world = await startAccountsWorld();
    const { view } = await world.addAccount({ tokenAgeSeconds: 50 * 24 * 3600 });
    const now = Date.now();
    await world.harness.core.database.repositories.accounts.update(view.id, {
      tokenRefreshedAt: new Date(now - 50 * dayMs),
      tokenExpiresAt: new Date(now + 2.5 * dayMs),
    });
    const warnings: unknown[] = [];
    world.harness.core.events.subscribe((event) => {
      if (event.name === 'accounts.tokenExpiring') warnings.push(event.payload);
    });
    // Meta unreachable (nothing listens on port 1): a transient failure, retried on every run.
    const refresher = refresherFor(world, () => now, 'http://127.0.0.1:1');
    const [first] = await refresher.runOnce();
    await refresher.runOnce();
    expect(first?.result).toBe('failed');
    expect(warnings).toEqual([
      { accountId: view.id, username: view.username, daysLeft: 3, message: first?.message },
    ]);
    const after = await world.call<AccountView>('accounts.get', { id: view.id });
    expect(after.health.status).toBe('error');
    expect(after.health.message).toContain('expires in 3 days');
  });
});
