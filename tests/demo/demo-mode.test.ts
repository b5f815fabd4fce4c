/**
 * Demo mode end to end inside one process: the core starts with `demo: true`, seeds the demo clients in
 * its own folder once, reuses them on the next start, and a simulated customer's message goes the real way
 * (sandbox → webhook server → ingest → rule → outbox → sandbox Send API).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { ConfigError, parseCommandLine } from '../../electron/main/core/config';
import { createCore, type Core } from '../../electron/main/core/create-core';
import { DEMO_CLIENTS } from '../../electron/main/core/demo';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { testConfig } from '../support/core-harness';

const folders: string[] = [];
const cores: Core[] = [];

afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function demoFolder(): string {
  const base = mkdtempSync(join(tmpdir(), 'switchboard-demo-'));
  folders.push(base);
  // As parseCommandLine does with --demo: the demo folder inside the data folder.
  return join(base, 'demo');
}

async function startDemoCore(dataDir: string): Promise<Core> {
  const core = await createCore({
    config: testConfig(dataDir, { demo: true }),
    shell: 'headless',
    version: '0.0.0-test',
    logger: silentLogger(),
  });
  cores.push(core);
  return core;
}

async function call<M extends MethodName>(
  core: Core,
  name: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await core.dispatch(name, input, { transport: 'in-process' });
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.value as MethodOutput<M>;
}

async function stop(core: Core): Promise<void> {
  cores.splice(cores.indexOf(core), 1);
  await core.dispose();
}

describe('demo mode', () => {
  it('seeds three clients with healthy accounts, published rules and past conversations, once', async () => {
    const dataDir = demoFolder();
    const first = await startDemoCore(dataDir);
    expect(first.info.demo).toBe(true);
    // Its own key file, private, inside the demo folder: demo never touches the keychain.
    expect(statSync(join(dataDir, 'demo-master.key')).mode & 0o777).toBe(0o600);
    expect(first.status.get().database).toMatchObject({
      dialect: 'sqlite',
      location: join(dataDir, 'switchboard.db'),
    });

    const { accounts } = await call(first, 'accounts.list', {});
    expect(accounts.map((a) => a.clientName).sort()).toEqual(DEMO_CLIENTS.map((c) => c.clientName).sort());
    for (const account of accounts) {
      expect(account.brandColor).toMatch(/^#[0-9A-F]{6}$/i);
      expect(account.health.status).toBe('ok');
      expect(account.settings.automationEnabled).toBe(true);
      const { rules } = await call(first, 'rules.list', { accountId: account.id });
      expect(rules.map((r) => r.name)).toHaveLength(3);
      expect(rules.every((r) => r.status === 'published' && r.isActive)).toBe(true);
    }
    const pastCount = DEMO_CLIENTS.reduce((sum, c) => sum + c.history.length, 0);
    await vi.waitFor(
      async () => {
        const { conversations } = await call(first, 'inbox.list', { limit: 100 });
        expect(conversations).toHaveLength(pastCount);
      },
      { timeout: 10_000, interval: 50 },
    );
    await stop(first);

    const second = await startDemoCore(dataDir);
    const again = await call(second, 'accounts.list', {});
    expect(again.accounts.map((a) => a.id).sort()).toEqual(accounts.map((a) => a.id).sort());
    for (const account of again.accounts) {
      const { rules } = await call(second, 'rules.list', { accountId: account.id });
      expect(rules).toHaveLength(3);
    }
    const { conversations } = await call(second, 'inbox.list', { limit: 100 });
    expect(conversations).toHaveLength(pastCount);
    // The restarted sandbox knows the earlier customers again, so the simulate panel can pick them.
    const overview = await call(second, 'demo.overview', {});
    expect(overview.accounts).toHaveLength(3);
    expect(overview.accounts.flatMap((a) => a.customers.map((c) => c.igsid)).sort()).toEqual(
      conversations.map((c) => c.participantIgsid).sort(),
    );
  });

  it('delivers a simulated message through the webhook path and a rule answers it', async () => {
    const core = await startDemoCore(demoFolder());
    const bakery = (await call(core, 'demo.overview', {})).accounts.find(
      (a) => a.clientName === 'Crumb & Co. Bakery',
    );
    if (!bakery) throw new Error('no bakery');
    const sent = await call(core, 'demo.simulate', {
      accountId: bakery.accountId,
      username: 'curious.carla',
      event: { type: 'text', text: 'Hi! What are your opening hours?' },
    });
    expect(sent.customer.username).toBe('curious.carla');

    await vi.waitFor(
      async () => {
        const { conversations } = await call(core, 'inbox.list', {
          filter: { search: 'opening hours', accountIds: [bakery.accountId] },
        });
        expect(conversations.map((c) => c.participantIgsid)).toContain(sent.customer.igsid);
      },
      { timeout: 10_000, interval: 50 },
    );
    await vi.waitFor(
      async () => {
        const received = await call(core, 'demo.customerReceived', {
          accountId: bakery.accountId,
          igsid: sent.customer.igsid,
        });
        expect(received.messages.map((m) => m.text).join('\n')).toContain('We bake from 7:00');
      },
      { timeout: 10_000, interval: 50 },
    );

    // A reaction lands on the latest message of the conversation, again through the webhook path.
    const reaction = await call(core, 'demo.simulate', {
      accountId: bakery.accountId,
      igsid: sent.customer.igsid,
      event: { type: 'reaction', emoji: '❤️' },
    });
    expect(reaction.mid).toBeNull();
    const unknown = await core.dispatch(
      'demo.simulate',
      { accountId: 'not-a-demo-account', event: { type: 'image' } },
      { transport: 'in-process' },
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a MySQL database with one clear line', async () => {
    expect(() =>
      parseCommandLine(['--demo', '--database', 'mysql://sb@db.example:3306/switchboard'], {}),
    ).toThrow(ConfigError);
    expect(() =>
      parseCommandLine(['--demo', '--database', 'mysql://sb@db.example:3306/switchboard'], {}),
    ).toThrow(/^--demo cannot be combined with --database mysql:\/\/…/);
    const dataDir = demoFolder();
    await expect(
      createCore({
        config: testConfig(dataDir, { demo: true, databaseUrl: 'mysql://sb@127.0.0.1:1/switchboard' }),
        shell: 'headless',
        version: '0.0.0-test',
        logger: silentLogger(),
      }),
    ).rejects.toThrow(ConfigError);
  });
});
