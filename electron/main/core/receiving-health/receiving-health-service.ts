/**
 * Owns the receiving-health work: subscription checks (at start and daily) and gap recovery (at start,
 * after a re-subscription, and when an account has been quiet far longer than usual), with their timer.
 */
import type { ReceivingHealth } from '../../../../shared/contract';
import type { AccountsService } from '../accounts/accounts-service';
import type { KeyService } from '../accounts/key-service';
import { ApiError } from '../api/api-error';
import type { EventBus } from '../api/event-bus';
import type { DatabaseService } from '../database-service';
import type { Account } from '../db/repositories/accounts-repository';
import { isGraphApiError, type InstagramClient, type InstagramClientFactory } from '../instagram';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import type { StoredMessageHook } from '../receiving/ingest-delivery';
import { recoverGaps } from './gap-recovery';
import { readHealth, writeHealth, type StoredHealth } from './health-store';
import { checkSubscription } from './subscription-check';

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;

export interface ReceivingHealthOptions {
  database: DatabaseService;
  keys: KeyService;
  accounts: AccountsService;
  events: EventBus;
  logger: Logger;
  clientFactory: InstagramClientFactory;
  /** Work done with each recovered message in its transaction (the rules). */
  onStored?: StoredMessageHook;
  /** How often the timer looks (hourly); subscriptions are checked when the last check is a day old. */
  tickMs?: number;
  /** No webhook for this long means "far longer than usual" for a DM inbox: recover (6 h). */
  quietAfterMs?: number;
  /** Spacing of one account's Graph calls during recovery: Meta allows about 2 a second (500 ms). */
  callSpacingMs?: number;
  now?: () => Date;
}

export class ReceivingHealthService implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** One check or recovery per account at a time; a second caller waits for the same run. */
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly background = new Set<Promise<unknown>>();

  constructor(private readonly options: ReceivingHealthOptions) {}

  /** Checks every account now (the app may have been off: recover too), then on every tick. */
  start(): void {
    if (this.timer || this.disposed) return;
    this.timer = setInterval(() => this.runInBackground(false), this.options.tickMs ?? hourMs);
    this.timer.unref();
    this.runInBackground(true);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.background]);
  }

  /** Every non-archived account's receiving health. */
  async health(): Promise<ReceivingHealth[]> {
    const repos = this.repos();
    const accounts = await repos.accounts.list();
    return Promise.all(accounts.map(async (account) => view(account, await readHealth(repos, account.id))));
  }

  /** Checks subscriptions now (one account or all active ones) and returns the health of those. */
  async checkSubscriptions(accountId?: string): Promise<ReceivingHealth[]> {
    this.requireKey();
    const accounts = await this.targets(accountId);
    const results: ReceivingHealth[] = [];
    for (const account of accounts) results.push(await this.exclusive(account.id, () => this.check(account)));
    return results;
  }

  /** Runs gap recovery for one account now. */
  async recover(accountId: string): Promise<ReceivingHealth> {
    this.requireKey();
    const [account] = await this.targets(accountId);
    return this.exclusive(account!.id, () => this.recoverAccount(account!));
  }

  /** One pass of the timer (tests call it): due checks, and recovery where due. */
  async runOnce(atStart: boolean): Promise<void> {
    if (!this.options.database.isReady || this.options.keys.getStatus().state !== 'ready') return;
    const now = this.now().getTime();
    const quietAfter = this.options.quietAfterMs ?? 6 * hourMs;
    for (const account of await this.targets()) {
      if (this.disposed) return;
      try {
        await this.exclusive(account.id, async () => {
          const stored = await readHealth(this.repos(), account.id);
          const checkedAt = stored.subscription.checkedAt ? Date.parse(stored.subscription.checkedAt) : 0;
          let health: ReceivingHealth | undefined;
          if (atStart || now - checkedAt >= dayMs) health = await this.check(account);
          const lastWebhook = account.lastWebhookAt?.getTime() ?? 0;
          const lastRun = stored.recovery.lastRunAt ? Date.parse(stored.recovery.lastRunAt) : 0;
          const quiet = now - Math.max(lastWebhook, lastRun) >= quietAfter;
          if (this.disposed) return;
          if (atStart || quiet || health?.subscription.state === 'resubscribed')
            await this.recoverAccount(account);
        });
      } catch (error) {
        this.options.logger.warn({ err: error, accountId: account.id }, 'receiving health check failed');
      }
    }
  }

  private runInBackground(atStart: boolean): void {
    const run = this.runOnce(atStart).catch((error: unknown) =>
      this.options.logger.error({ err: error }, 'receiving health run failed'),
    );
    this.background.add(run);
    void run.finally(() => this.background.delete(run));
  }

  private async check(account: Account): Promise<ReceivingHealth> {
    const client = this.clientFor(account);
    const subscription = client
      ? await checkSubscription(client, this.now())
      : {
          state: 'error' as const,
          fields: [],
          checkedAt: this.now().toISOString(),
          message: 'The access token cannot be read: the subscription cannot be checked.',
        };
    if (subscription.state === 'resubscribed')
      this.options.logger.warn({ accountId: account.id }, 'webhook subscription was dropped; re-subscribed');
    const stored = await writeHealth(this.repos(), account.id, { subscription });
    this.options.events.publish('diagnostics.healthChanged', { accountId: account.id });
    return view(account, stored);
  }

  private async recoverAccount(account: Account): Promise<ReceivingHealth> {
    const client = this.clientFor(account);
    const lastRunAt = this.now().toISOString();
    let recovery: StoredHealth['recovery'];
    if (!client) {
      recovery = {
        lastRunAt,
        messagesAdded: 0,
        message: 'The access token cannot be read: nothing was fetched.',
      };
    } else {
      try {
        const result = await recoverGaps({
          repos: this.repos(),
          events: this.options.events,
          client,
          account,
          pace: this.pacer(),
          onStored: this.options.onStored,
        });
        recovery = {
          lastRunAt,
          messagesAdded: result.messagesAdded,
          message: `${result.conversationsRead} recent conversation(s) read; ${result.messagesAdded} missing message(s) stored.`,
        };
        if (result.messagesAdded > 0)
          this.options.logger.info(
            { accountId: account.id, ...result },
            'gap recovery stored missing messages',
          );
      } catch (error) {
        if (!isGraphApiError(error)) throw error;
        recovery = {
          lastRunAt,
          messagesAdded: 0,
          message: `Fetching recent conversations failed: ${error.explanation}`,
        };
      }
    }
    const stored = await writeHealth(this.repos(), account.id, { recovery });
    this.options.events.publish('diagnostics.healthChanged', { accountId: account.id });
    return view(account, stored);
  }

  /** Spaces one run's calls; the first goes at once. */
  private pacer(): () => Promise<void> {
    const spacing = this.options.callSpacingMs ?? 500;
    let last = 0;
    return async () => {
      const wait = last + spacing - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      last = Date.now();
    };
  }

  private clientFor(account: Account): InstagramClient | null {
    const credentials = this.options.accounts.decryptAll(account);
    if (!credentials.accessToken) return null;
    return this.options.clientFactory({
      loginType: account.loginType,
      accountId: account.instagramAccountId,
      accessToken: credentials.accessToken,
      ...(account.loginType === 'facebook' && credentials.appSecret
        ? { appSecret: credentials.appSecret }
        : {}),
    });
  }

  private async exclusive<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    while (this.running.has(accountId)) await this.running.get(accountId)!.catch(() => undefined);
    const run = work();
    this.running.set(accountId, run);
    try {
      return await run;
    } finally {
      this.running.delete(accountId);
    }
  }

  /** Active accounts, or the one named (NOT_FOUND when unknown). */
  private async targets(accountId?: string): Promise<Account[]> {
    const repos = this.repos();
    if (accountId !== undefined) {
      const account = await repos.accounts.get(accountId);
      if (!account) throw new ApiError('NOT_FOUND', 'There is no account with this id.');
      return [account];
    }
    return (await repos.accounts.list()).filter((account) => account.status === 'active');
  }

  private requireKey(): void {
    if (this.options.keys.getStatus().state !== 'ready')
      throw new ApiError(
        'UNAVAILABLE',
        'The encryption key is not available: account tokens cannot be read.',
      );
  }

  private repos() {
    return this.options.database.repositories;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

function view(account: Account, stored: StoredHealth): ReceivingHealth {
  return {
    accountId: account.id,
    username: account.username,
    lastWebhookAt: account.lastWebhookAt?.toISOString() ?? null,
    subscription: stored.subscription,
    recovery: stored.recovery,
  };
}
