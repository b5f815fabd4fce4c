/**
 * Every contract method, called through both transports (in-process dispatch and loopback HTTP), must keep
 * the same promise; read-only methods must return the very same result on both. A method added to the
 * contract without a case here fails the first test.
 *
 * The core talks to the local Instagram sandbox (Graph API emulator) for the methods that reach Meta.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, type AccountView, type MethodName, type Result } from '../../shared/contract';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox';
import { startCoreUnderTest, type CoreUnderTest } from '../support/core-harness';
import { rulesConformanceCases } from '../rules-service/conformance-cases';
import { inboxConformanceCases } from '../inbox/conformance-cases';
import { diagnosticsConformanceCases } from '../receiving-health/conformance-cases';
import { demoConformanceCases } from '../demo/conformance-cases';
import { settingsConformanceCases } from '../settings/conformance-cases';
import { desktopConformanceCases } from '../desktop/conformance-cases';
import { databaseSettingsConformanceCases } from '../settings/database-conformance-cases';
import { savedRepliesConformanceCases } from '../saved-replies/conformance-cases';

type Transport = 'in-process' | 'http';

interface Ctx {
  harness: CoreUnderTest;
  sandbox: Sandbox;
  /** A fresh account in the core (through the in-process path), backed by a fresh sandbox account. */
  newAccount: () => Promise<AccountView>;
}

interface Case {
  /** The input for one call; made once per transport, so that calls which change state get their own. */
  input: (ctx: Ctx) => unknown;
  /** What the result must satisfy, written from the method's promise. */
  check: (result: Result<unknown>, ctx: Ctx) => void;
  /** Read-only: both transports must return equal results. */
  same?: boolean;
}

const okValue = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value as T;
};

let accountCounter = 0;

const cases: Record<MethodName, Case[]> = {
  ...rulesConformanceCases,
  ...inboxConformanceCases,
  ...diagnosticsConformanceCases,
  ...demoConformanceCases,
  ...settingsConformanceCases,
  ...desktopConformanceCases,
  ...databaseSettingsConformanceCases,
  ...savedRepliesConformanceCases,
  'app.getInfo': [
    {
      same: true,
      input: () => ({}),
      check: (result, { harness }) =>
        expect(okValue(result)).toEqual({
          name: 'Switchboard',
          version: '0.0.0-test',
          shell: 'headless',
          demo: false,
          dataDir: harness.dataDir,
          platform: process.platform,
        }),
    },
  ],
  'app.getStatus': [
    {
      same: true,
      input: () => ({}),
      check: (result, { harness }) => {
        const status = okValue<{
          database: unknown;
          tunnel: { state: string };
          webhookBaseUrl: string;
          encryption: unknown;
        }>(result);
        expect(status.database).toEqual({
          state: 'ok',
          dialect: 'sqlite',
          location: `${harness.dataDir}/switchboard.db`,
        });
        expect(status.tunnel.state).toBe('off');
        expect(status.webhookBaseUrl).toBe(harness.core.webhookServer.origin);
        expect(status.encryption).toMatchObject({ state: 'ready', source: 'key-file', message: null });
      },
    },
  ],
  'accounts.list': [
    {
      input: async ({ newAccount }) => {
        await newAccount();
        return {};
      },
      check: (result) => {
        const { accounts } = okValue<{ accounts: AccountView[] }>(result);
        expect(accounts.length).toBeGreaterThan(0);
        for (const account of accounts) expect(account.credentials.accessToken).toBe('present');
      },
    },
  ],
  'accounts.get': [
    {
      same: true,
      input: () => ({ id: 'no-such-account' }),
      check: (result) => expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }),
    },
  ],
  'accounts.create': [
    {
      input: ({ sandbox }) => {
        const created = sandbox.createAccount({ loginType: 'instagram' });
        return {
          instagramAccountId: created.account.id,
          username: `@${created.account.username}`,
          clientName: 'Bakery Brown',
          brandColor: '#AA5500',
          loginType: 'instagram',
          accessToken: created.token,
          appSecret: created.app.secret,
        };
      },
      check: (result, { harness }) => {
        const account = okValue<AccountView>(result);
        expect(account.clientName).toBe('Bakery Brown');
        expect(account.username).not.toMatch(/^@/);
        expect(account.status).toBe('active');
        expect(account.credentials).toEqual({
          accessToken: 'present',
          appSecret: 'present',
          instagramAppSecret: 'missing',
        });
        expect(account.webhookVerifyToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
        expect(account.callbackUrl).toBe(
          `${harness.core.webhookServer.origin}/webhooks/instagram/${account.instagramAccountId}`,
        );
      },
    },
    {
      same: true,
      input: () => ({
        instagramAccountId: '12x',
        username: 'has space',
        clientName: '',
        loginType: 'instagram',
        accessToken: 'IGAAtoken with\nnewline',
        appSecret: 'short',
      }),
      check: (result) => {
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
        const paths = (result as { error: { issues: { path: string }[] } }).error.issues
          .map((issue) => issue.path)
          .sort();
        expect(paths).toEqual(['accessToken', 'appSecret', 'clientName', 'instagramAccountId', 'username']);
      },
    },
  ],
  'accounts.update': [
    {
      input: async ({ newAccount }) => ({
        id: (await newAccount()).id,
        clientName: 'Gym North',
        settings: { timezone: 'Europe/Berlin' },
      }),
      check: (result) => {
        const account = okValue<AccountView>(result);
        expect(account.clientName).toBe('Gym North');
        expect(account.settings.timezone).toBe('Europe/Berlin');
        expect(account.settings.hourlySendBudget).toBe(200);
      },
    },
    {
      same: true,
      input: () => ({ id: 'x', settings: { timezone: 'Mars/Olympus_Mons' } }),
      check: (result) =>
        expect(result).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT', issues: [{ path: 'settings.timezone' }] },
        }),
    },
  ],
  'accounts.setStatus': [
    {
      input: async ({ newAccount }) => ({ id: (await newAccount()).id, status: 'suspended' }),
      check: (result) => expect(okValue<AccountView>(result).status).toBe('suspended'),
    },
  ],
  'accounts.regenerateVerifyToken': [
    {
      input: async ({ newAccount }) => ({ id: (await newAccount()).id }),
      check: (result) =>
        expect(okValue<AccountView>(result).webhookVerifyToken).toMatch(/^[A-Za-z0-9_-]{32}$/),
    },
  ],
  'accounts.testConnection': [
    {
      input: async ({ newAccount }) => ({ id: (await newAccount()).id }),
      check: (result) => {
        const test = okValue<{ ok: boolean; explanation: string; username: string }>(result);
        expect(test.ok).toBe(true);
        expect(test.explanation).toBe(`Connected: the token works for @${test.username}.`);
      },
    },
  ],
  'keys.getStatus': [
    {
      same: true,
      input: () => ({}),
      check: (result) =>
        expect(okValue(result)).toMatchObject({ state: 'ready', source: 'key-file', message: null }),
    },
  ],
  'keys.rotate': [
    {
      same: true,
      input: () => ({}),
      // The key comes from a key file here: only the file's owner can replace it.
      check: (result) =>
        expect(result).toEqual({
          ok: false,
          error: {
            code: 'CONFLICT',
            message:
              'The key comes from the key file (--key-file), so Switchboard cannot replace it. Change the key file (--key-file) instead.',
          },
        }),
    },
  ],
  'keys.export': [
    {
      input: () => ({ passphrase: 'correct horse battery staple' }),
      check: (result, { harness }) => {
        const file = okValue<{ fileName: string; contents: string }>(result);
        expect(file.fileName).toBe(`switchboard-key-${harness.core.keys.getStatus().keyId}.sbkey`);
        expect(() => JSON.parse(file.contents) as unknown).not.toThrow();
      },
    },
    {
      same: true,
      input: () => ({ passphrase: 'short' }),
      check: (result) => expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } }),
    },
  ],
  'keys.import': [
    {
      same: true,
      input: () => ({ contents: '{"not":"a key file"}', passphrase: 'correct horse battery staple' }),
      check: (result) => expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } }),
    },
  ],
  'outbox.send': [
    {
      same: true,
      input: () => ({ conversationId: 999_999, text: 'Hello' }),
      check: (result) => expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }),
    },
  ],
  'outbox.listConversation': [
    {
      same: true,
      input: () => ({ conversationId: 999_999 }),
      check: (result) => expect(okValue(result)).toEqual({ messages: [] }),
    },
  ],
  'outbox.retry': [
    {
      same: true,
      input: () => ({ id: 999_999 }),
      check: (result) => expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }),
    },
  ],
  'outbox.cancel': [
    {
      same: true,
      input: () => ({ id: 999_999 }),
      check: (result) => expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }),
    },
  ],
  'outbox.queue': [
    {
      same: true,
      input: () => ({}),
      check: (result) => expect(Array.isArray(okValue<{ accounts: unknown[] }>(result).accounts)).toBe(true),
    },
  ],
  'outbox.queueList': [
    {
      same: true,
      input: () => ({ accountId: 'no-such-account', bucket: 'waiting' }),
      check: (result) => expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } }),
    },
    {
      same: true,
      input: () => ({ accountId: 'x', bucket: 'stuck' }),
      check: (result) =>
        expect(result).toMatchObject({
          ok: false,
          error: { code: 'INVALID_INPUT', issues: [{ path: 'bucket' }] },
        }),
    },
    {
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id, bucket: 'failed', limit: 10 }),
      check: (result) => expect(okValue(result)).toEqual({ rows: [], next: null }),
    },
  ],
  'outbox.setPacing': [
    {
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id, perSecond: 5 }),
      check: (result) =>
        expect(okValue(result)).toMatchObject({ budget: { perSecond: 5, perHour: 200, usedLastHour: 0 } }),
    },
  ],
};

let ctx: Ctx;
beforeAll(async () => {
  const sandbox = await startSandbox({ port: 0, seed: 7 });
  const harness = await startCoreUnderTest({ config: { graphUrl: sandbox.url } });
  ctx = {
    harness,
    sandbox,
    newAccount: async () => {
      const created = sandbox.createAccount({ loginType: 'instagram' });
      accountCounter += 1;
      const result = await harness.core.dispatch(
        'accounts.create',
        {
          instagramAccountId: created.account.id,
          username: created.account.username,
          clientName: `Client ${accountCounter}`,
          loginType: 'instagram',
          accessToken: created.token,
          appSecret: created.app.secret,
        },
        { transport: 'in-process' },
      );
      return okValue<AccountView>(result);
    },
  };
});
afterAll(async () => {
  await ctx.harness.dispose();
  await ctx.sandbox.dispose();
});

async function callOver(transport: Transport, name: string, input: unknown): Promise<Result<unknown>> {
  if (transport === 'in-process') return ctx.harness.core.dispatch(name, input, { transport: 'in-process' });
  return (await ctx.harness.httpCall(name, input)).json as Result<unknown>;
}

describe('contract conformance over both transports', () => {
  it('has cases for every contract method', () => {
    expect(Object.keys(cases).sort()).toEqual([...methodNames].sort());
  });

  for (const name of methodNames) {
    it(`${name}: both transports keep the method's promise`, async () => {
      for (const testCase of cases[name]) {
        const results: Result<unknown>[] = [];
        for (const transport of ['in-process', 'http'] as const) {
          const result = await callOver(transport, name, await testCase.input(ctx));
          testCase.check(result, ctx);
          results.push(result);
        }
        if (testCase.same) expect(results[1]).toEqual(results[0]);
      }
    });

    it(`${name}: both transports refuse unknown input fields the same way`, async () => {
      const bad = { unexpectedField: 1 };
      const direct = await callOver('in-process', name, bad);
      const overHttp = await ctx.harness.httpCall(name, bad);
      expect(direct).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(overHttp.status).toBe(400);
      expect(overHttp.json).toEqual(direct);
    });
  }

  it('an unknown method is UNKNOWN_METHOD on both transports', async () => {
    const direct = await callOver('in-process', 'app.doesNotExist', {});
    const overHttp = await ctx.harness.httpCall('app.doesNotExist', {});
    expect(direct).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(overHttp.status).toBe(404);
    expect(overHttp.json).toEqual(direct);
  });
});
