/**
 * An outbox world: the sandbox Graph emulator over real HTTP, and a core (own data folder, SQLite)
 * whose outbox uses small delays and a clock the test can move.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox';
import { createCore, type Core } from '../../electron/main/core/create-core';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { SecretKey, writeKeyFile } from '../../electron/main/core/secrets';
import type { OutboxTuning } from '../../electron/main/core/outbox/create-outbox';
import type { AccountView, Result } from '../../shared/contract';
import type { AnyEvent } from '../../electron/main/core/api/event-bus';
import { testConfig } from '../support/core-harness';

export const HOUR = 3_600_000;

export interface OutboxWorld {
  sandbox: Sandbox;
  core: Core;
  /** Moves the core's outbox clock (windows, pacing, retry times). */
  advance(ms: number): void;
  now(): Date;
  events: AnyEvent[];
  call<T>(method: string, input: unknown): Promise<T>;
  raw(method: string, input: unknown): Promise<Result<unknown>>;
  addAccount(options?: {
    humanAgent?: boolean;
    hourlyBudget?: number;
    rateLimits?: { perSecond?: number | null; perHour?: number | null };
  }): Promise<{ view: AccountView; igId: string; token: string }>;
  /** A customer who last wrote `agoMs` ago, on both sides (emulator and core). */
  addCustomer(
    account: { view: AccountView; igId: string },
    agoMs?: number,
  ): Promise<{ igsid: string; conversationId: number }>;
  /** Waits until `check` passes (polling; no timing assertions). */
  until(check: () => Promise<boolean> | boolean, what: string): Promise<void>;
  dispose(): Promise<void>;
}

/** Small, fast delays: retries in tens of ms, Graph timeout 500 ms. */
export const fastTuning: OutboxTuning = {
  retry: { initialMs: 20, maxMs: 100, maxAttempts: 4, rateLimitedMinMs: 60 },
  graphTimeoutMs: 500,
  maxSleepMs: 100,
  holdRecheckMs: 200,
  random: () => 0.5,
};

export async function startOutboxWorld(tuning: OutboxTuning = {}): Promise<OutboxWorld> {
  const sandbox = await startSandbox({ port: 0, seed: 5 });
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-outbox-'));
  const keyFile = join(dataDir, 'master.key');
  await writeKeyFile(keyFile, SecretKey.generate());
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const core = await createCore({
    config: testConfig(dataDir, { keyFile, graphUrl: sandbox.url }),
    shell: 'headless',
    version: '0.0.0-test',
    logger: silentLogger(),
    outbox: { ...fastTuning, now, ...tuning },
  });
  const events: AnyEvent[] = [];
  core.events.subscribe((event) => events.push(event));
  const raw = (method: string, input: unknown) => core.dispatch(method, input, { transport: 'in-process' });
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await raw(method, input);
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value as T;
  };
  let count = 0;
  return {
    sandbox,
    core,
    events,
    call,
    raw,
    now,
    advance: (ms) => {
      offset += ms;
    },
    async addAccount(options = {}) {
      const created = sandbox.createAccount({
        loginType: 'instagram',
        humanAgentEnabled: options.humanAgent ?? false,
        ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
      });
      count += 1;
      const view = await call<AccountView>('accounts.create', {
        instagramAccountId: created.account.id,
        username: created.account.username,
        clientName: `Client ${count}`,
        loginType: 'instagram',
        accessToken: created.token,
        appSecret: created.app.secret,
        settings: {
          timezone: 'UTC',
          businessHours: [],
          automationEnabled: true,
          hourlySendBudget: options.hourlyBudget ?? 200,
          humanAgentAllowed: options.humanAgent ?? false,
        },
      });
      return { view, igId: created.account.id, token: created.token };
    },
    async addCustomer(account, agoMs = 60_000) {
      const customer = sandbox.createCustomer(account.igId, {
        lastInboundSecondsAgo: Math.round(agoMs / 1000),
      });
      const result = await core.database.repositories.conversations.ingest({
        accountId: account.view.id,
        participantIgsid: customer.igsid,
        mid: `m_in_${customer.igsid}`,
        direction: 'inbound',
        text: 'Hello?',
        createdAt: new Date(now().getTime() - agoMs),
      });
      return { igsid: customer.igsid, conversationId: result.conversationId };
    },
    async until(check, what) {
      const deadline = Date.now() + 10_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async dispose() {
      await core.dispose();
      await sandbox.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The state of an outbox message, read from the database. */
export async function stateOf(world: OutboxWorld, id: number): Promise<string | undefined> {
  return (await world.core.database.repositories.outbox.get(id))?.state;
}

/** Waits until the message reaches `state` and returns the row. */
export async function settled(world: OutboxWorld, id: number, state: string) {
  await world.until(async () => (await stateOf(world, id)) === state, `message ${id} to be ${state}`);
  const row = await world.core.database.repositories.outbox.get(id);
  expect(row).not.toBeNull();
  return row!;
}
