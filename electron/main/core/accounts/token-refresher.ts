import { userInfo } from 'node:os';
import type { EventBus } from '../api/event-bus';
import type { DatabaseService } from '../database-service';
import type { Account } from '../db';
import { isGraphApiError, type InstagramClientFactory } from '../instagram';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import { encryptSecret } from '../secrets';
import { credentialAad, needsReconnectPrefix } from './account-view';
import type { AccountsService } from './accounts-service';
import type { KeyService } from './key-service';

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;
/** Meta refuses to refresh a token younger than this (instagram-api.md §7). */
export const minimumTokenAgeMs = dayMs;
/** Days before expiry at which staff are warned while refreshing fails. */
export const expiryWarningDays = [7, 3, 1] as const;

export interface RefreshOutcome {
  accountId: string;
  result: 'refreshed' | 'too_young' | 'failed' | 'skipped';
  message?: string;
}

/**
 * Keeps long-lived Instagram Login tokens alive: refreshes each one once it is older than 24 hours (Meta's
 * minimum) and not expired, stores the new expiry, and when refreshing keeps failing, marks the account
 * "needs reconnect" and warns staff 7, 3 and 1 days before the token dies. Facebook Login Page tokens do not
 * expire and are left alone.
 */
export class TokenRefresher implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly actor = (() => {
    try {
      return userInfo().username || 'unknown';
    } catch {
      return 'unknown';
    }
  })();

  constructor(
    private readonly deps: {
      database: DatabaseService;
      keys: KeyService;
      accounts: AccountsService;
      events: EventBus;
      logger: Logger;
      clientFactory: InstagramClientFactory;
      now?: () => number;
      intervalMs?: number;
    },
  ) {}

  /** Checks now, then every interval (hourly by default). */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      void this.runOnce().catch((error: unknown) =>
        this.deps.logger.error({ err: error }, 'token refresh run failed'),
      );
    };
    this.timer = setInterval(tick, this.deps.intervalMs ?? hourMs);
    this.timer.unref();
    tick();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over every active Instagram Login account; never throws for one account's failure. */
  async runOnce(): Promise<RefreshOutcome[]> {
    if (this.running || !this.deps.database.isReady || this.deps.keys.getStatus().state !== 'ready')
      return [];
    this.running = true;
    try {
      const accounts = await this.deps.database.repositories.accounts.list();
      const outcomes: RefreshOutcome[] = [];
      for (const account of accounts) {
        if (account.status !== 'active' || account.loginType !== 'instagram') continue;
        outcomes.push(await this.refresh(account));
      }
      return outcomes;
    } finally {
      this.running = false;
    }
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private async refresh(account: Account): Promise<RefreshOutcome> {
    const repos = this.deps.database.repositories;
    const now = this.now();
    const issuedAt = (account.tokenRefreshedAt ?? account.createdAt).getTime();
    if (now - issuedAt < minimumTokenAgeMs) return { accountId: account.id, result: 'too_young' };
    const expiresAt = account.tokenExpiresAt?.getTime() ?? null;
    if (expiresAt !== null && expiresAt <= now) {
      await repos.accounts.setHealth(account.id, {
        status: 'error',
        message: `${needsReconnectPrefix} the access token has expired. Paste a new token in the account settings.`,
      });
      this.deps.events.publish('accounts.changed', { accountId: account.id });
      return { accountId: account.id, result: 'skipped', message: 'expired' };
    }
    const { accessToken } = this.deps.accounts.decryptAll(account);
    if (!accessToken) return { accountId: account.id, result: 'skipped', message: 'no readable token' };
    const client = this.deps.clientFactory({
      loginType: 'instagram',
      accountId: account.instagramAccountId,
      accessToken,
    });
    try {
      const refreshed = await client.refreshLongLivedToken();
      const key = this.deps.keys.requireKey();
      await repos.transaction(async (tx) => {
        await tx.accounts.update(account.id, {
          accessTokenEncrypted: encryptSecret(
            key,
            refreshed.accessToken,
            credentialAad(account.id, 'access_token'),
          ),
          tokenRefreshedAt: new Date(now),
          tokenExpiresAt: new Date(refreshed.expiresAt),
        });
        await tx.accounts.setHealth(account.id, { status: 'ok', message: 'Token refreshed.' });
        await tx.audit.record({
          actor: this.actor,
          action: 'account.token_refresh',
          entityType: 'account',
          entityId: account.id,
          accountId: account.id,
          after: { tokenExpiresAt: new Date(refreshed.expiresAt).toISOString() },
        });
      });
      this.deps.events.publish('accounts.changed', { accountId: account.id });
      this.deps.logger.info({ accountId: account.id }, 'access token refreshed');
      return { accountId: account.id, result: 'refreshed' };
    } catch (error) {
      if (!isGraphApiError(error)) throw error;
      const daysLeft = expiresAt === null ? null : Math.ceil((expiresAt - now) / dayMs);
      const message = error.needsReconnect
        ? `${needsReconnectPrefix} ${error.explanation}`
        : `Refreshing the token failed (${error.explanation})${daysLeft === null ? '' : `; it expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`}. Switchboard keeps retrying.`;
      await repos.accounts.setHealth(account.id, {
        status: error.needsReconnect || (daysLeft !== null && daysLeft <= 7) ? 'error' : 'warning',
        message,
      });
      if (daysLeft !== null) await this.warnIfDue(account, daysLeft, message);
      this.deps.events.publish('accounts.changed', { accountId: account.id });
      return { accountId: account.id, result: 'failed', message };
    }
  }

  /** One desktop warning per threshold (7, 3, 1 days), remembered in settings so restarts do not repeat it. */
  private async warnIfDue(account: Account, daysLeft: number, message: string): Promise<void> {
    const threshold = [...expiryWarningDays].reverse().find((days) => daysLeft <= days);
    if (threshold === undefined) return;
    const settingKey = `tokenExpiryWarning.${account.id}`;
    const settings = this.deps.database.repositories.settings;
    const already = await settings.get(settingKey);
    if (typeof already === 'number' && already <= threshold) return;
    await settings.set(settingKey, threshold);
    this.deps.events.publish('accounts.tokenExpiring', {
      accountId: account.id,
      username: account.username,
      daysLeft,
      message,
    });
  }
}
