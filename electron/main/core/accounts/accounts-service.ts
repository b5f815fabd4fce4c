import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  accountPatchInputSchema,
  AccountView,
  newAccountInputSchema,
} from '../../../../shared/contract';
import { ApiError } from '../api/api-error';
import type { EventBus } from '../api/event-bus';
import type { DatabaseService } from '../database-service';
import type { Account, AccountPatch, Repositories } from '../db';
import { DEFAULT_ACCOUNT_SETTINGS } from '../db/repositories/accounts-repository';
import type { Logger } from '../lib/logger';
import { decryptSecret, encryptSecret, reencrypt, type SecretKey } from '../secrets';
import { credentialAad, needsReconnectPrefix, toAccountView, type CredentialField } from './account-view';
import type { KeyService } from './key-service';
import { isGraphApiError, type InstagramClientFactory } from '../instagram';
import { workstationUser } from '../workstation-user';

export interface ConnectionTest {
  ok: boolean;
  explanation: string;
  username: string | null;
  tokenExpiresAt: string | null;
}

type NewAccountInput = z.output<typeof newAccountInputSchema>;
type AccountPatchInput = z.output<typeof accountPatchInputSchema>;

/** An account's credentials in clear, for the Graph client and the webhook receiver only. */
export interface AccountCredentials {
  accessToken: string | null;
  appSecret: string | null;
  instagramAppSecret: string | null;
}

const credentialColumns: readonly [
  CredentialField,
  'accessTokenEncrypted' | 'appSecretEncrypted' | 'instagramAppSecretEncrypted',
][] = [
  ['access_token', 'accessTokenEncrypted'],
  ['app_secret', 'appSecretEncrypted'],
  ['instagram_app_secret', 'instagramAppSecretEncrypted'],
];

/** A fresh webhook verify token: 24 random bytes, URL-safe (pasted into Meta's dashboard). */
export function generateVerifyToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Client accounts: create, edit, change status, credentials encrypted at rest (bound to account and field),
 * every change in the audit log (never a secret), a pushed `accounts.changed` event.
 */
export class AccountsService {
  private readonly actor = workstationUser();

  constructor(
    private readonly deps: {
      database: DatabaseService;
      keys: KeyService;
      events: EventBus;
      logger: Logger;
      /** The base URL Meta should call (the tunnel's public URL when online, else the local receiver). */
      webhookBaseUrl: () => string;
      /** Builds a Graph client for an account's current credentials. */
      clientFactory: InstagramClientFactory;
    },
  ) {}

  private get repos(): Repositories {
    return this.deps.database.repositories;
  }

  private view(account: Account): AccountView {
    const key = this.deps.keys.getStatus().state === 'ready' ? this.deps.keys.requireKey() : undefined;
    return toAccountView(account, key, this.deps.webhookBaseUrl());
  }

  private async require(id: string): Promise<Account> {
    const account = await this.repos.accounts.get(id);
    if (!account) throw new ApiError('NOT_FOUND', 'This account no longer exists.');
    return account;
  }

  private changed(accountId: string): void {
    this.deps.events.publish('accounts.changed', { accountId });
  }

  async list(includeArchived: boolean): Promise<AccountView[]> {
    const accounts = await this.repos.accounts.list({ includeArchived });
    return accounts.map((account) => this.view(account));
  }

  async get(id: string): Promise<AccountView> {
    return this.view(await this.require(id));
  }

  async create(input: NewAccountInput): Promise<AccountView> {
    const key = this.deps.keys.requireKey();
    const existing = await this.repos.accounts.getByInstagramId(input.instagramAccountId);
    if (existing) {
      throw new ApiError(
        'CONFLICT',
        `The Instagram account ${input.instagramAccountId} is already connected as @${existing.username}${existing.status === 'archived' ? ' (archived — restore it instead)' : ''}.`,
        [{ path: 'instagramAccountId', message: 'already connected' }],
      );
    }
    const id = randomUUID();
    const account = await this.repos.transaction(async (tx) => {
      const created = await tx.accounts.create({
        id,
        instagramAccountId: input.instagramAccountId,
        username: input.username,
        displayName: input.displayName || null,
        clientName: input.clientName,
        brandColor: input.brandColor ?? null,
        loginType: input.loginType,
        accessTokenEncrypted: encryptSecret(key, input.accessToken, credentialAad(id, 'access_token')),
        appSecretEncrypted: encryptSecret(key, input.appSecret, credentialAad(id, 'app_secret')),
        instagramAppSecretEncrypted: input.instagramAppSecret
          ? encryptSecret(key, input.instagramAppSecret, credentialAad(id, 'instagram_app_secret'))
          : null,
        webhookVerifyToken: generateVerifyToken(),
        settings: { ...DEFAULT_ACCOUNT_SETTINGS, ...input.settings },
        status: 'active',
      });
      await tx.audit.record({
        actor: this.actor,
        action: 'account.create',
        entityType: 'account',
        entityId: id,
        accountId: id,
        after: this.auditSummary(created),
      });
      return created;
    });
    this.changed(id);
    return this.view(account);
  }

  async update(input: AccountPatchInput): Promise<AccountView> {
    const before = await this.require(input.id);
    const patch: AccountPatch = {};
    if (input.username !== undefined) patch.username = input.username;
    if (input.displayName !== undefined) patch.displayName = input.displayName || null;
    if (input.clientName !== undefined) patch.clientName = input.clientName;
    if (input.brandColor !== undefined) patch.brandColor = input.brandColor;
    if (input.loginType !== undefined) patch.loginType = input.loginType;
    if (input.settings !== undefined) patch.settings = { ...before.settings, ...input.settings };
    const credentialChanges: string[] = [];
    if (
      input.accessToken !== undefined ||
      input.appSecret !== undefined ||
      input.instagramAppSecret !== undefined
    ) {
      const key = this.deps.keys.requireKey();
      if (input.accessToken !== undefined) {
        patch.accessTokenEncrypted = encryptSecret(
          key,
          input.accessToken,
          credentialAad(before.id, 'access_token'),
        );
        // A new token starts a new life: its age and expiry are unknown until tested or refreshed.
        patch.tokenRefreshedAt = new Date();
        patch.tokenExpiresAt = null;
        credentialChanges.push('access token');
      }
      if (input.appSecret !== undefined) {
        patch.appSecretEncrypted = encryptSecret(
          key,
          input.appSecret,
          credentialAad(before.id, 'app_secret'),
        );
        credentialChanges.push('app secret');
      }
      if (input.instagramAppSecret !== undefined) {
        patch.instagramAppSecretEncrypted =
          input.instagramAppSecret === null
            ? null
            : encryptSecret(key, input.instagramAppSecret, credentialAad(before.id, 'instagram_app_secret'));
        credentialChanges.push('Instagram app secret');
      }
    }
    const after = await this.repos.transaction(async (tx) => {
      const updated = await tx.accounts.update(before.id, patch);
      await tx.audit.record({
        actor: this.actor,
        action: credentialChanges.length > 0 ? 'account.credentials_change' : 'account.update',
        entityType: 'account',
        entityId: before.id,
        accountId: before.id,
        before: this.auditSummary(before),
        after: { ...this.auditSummary(updated), credentialsChanged: credentialChanges },
      });
      return updated;
    });
    this.changed(before.id);
    return this.view(after);
  }

  async setStatus(id: string, status: Account['status']): Promise<AccountView> {
    const before = await this.require(id);
    if (before.status === status) return this.view(before);
    const after = await this.repos.transaction(async (tx) => {
      const updated = await tx.accounts.update(id, { status });
      await tx.audit.record({
        actor: this.actor,
        action: 'account.status_change',
        entityType: 'account',
        entityId: id,
        accountId: id,
        before: { status: before.status },
        after: { status },
      });
      return updated;
    });
    this.changed(id);
    return this.view(after);
  }

  async regenerateVerifyToken(id: string): Promise<AccountView> {
    await this.require(id);
    const after = await this.repos.transaction(async (tx) => {
      const updated = await tx.accounts.update(id, { webhookVerifyToken: generateVerifyToken() });
      await tx.audit.record({
        actor: this.actor,
        action: 'account.verify_token_regenerate',
        entityType: 'account',
        entityId: id,
        accountId: id,
      });
      return updated;
    });
    this.changed(id);
    return this.view(after);
  }

  /**
   * Calls the Graph API with the account's token and explains the result in plain words: expired, revoked,
   * missing permission, or a token that belongs to another account (webhooks carry the `user_id`, not `id`).
   */
  async testConnection(id: string): Promise<ConnectionTest> {
    const { account, credentials } = await this.credentials(id);
    const fail = async (explanation: string, needsReconnect: boolean): Promise<ConnectionTest> => {
      await this.repos.accounts.setHealth(id, {
        status: 'error',
        message: needsReconnect ? `${needsReconnectPrefix} ${explanation}` : explanation,
      });
      this.changed(id);
      return { ok: false, explanation, username: null, tokenExpiresAt: null };
    };
    if (!credentials.accessToken) {
      return fail(
        account.accessTokenEncrypted === null
          ? 'This account has no access token. Edit the account and paste one.'
          : 'The stored access token cannot be read (it was encrypted with another key or is damaged). Edit the account and paste the token again.',
        true,
      );
    }
    const client = this.deps.clientFactory({
      loginType: account.loginType,
      accountId: account.instagramAccountId,
      accessToken: credentials.accessToken,
      ...(account.loginType === 'facebook' && credentials.appSecret
        ? { appSecret: credentials.appSecret }
        : {}),
    });
    try {
      const me = await client.getMe();
      let username: string | null = null;
      if (me.loginType === 'instagram') {
        username = me.username;
        if (me.userId !== account.instagramAccountId) {
          return fail(
            `The token works, but it belongs to @${me.username} (Instagram account id ${me.userId}), not to the id ${account.instagramAccountId} entered here. Use the account's user_id from Meta's dashboard — webhooks are addressed to it.`,
            false,
          );
        }
      } else if (me.instagramAccountId !== null && me.instagramAccountId !== account.instagramAccountId) {
        return fail(
          `The Page token works, but the Page's Instagram account is ${me.instagramAccountId}, not ${account.instagramAccountId}.`,
          false,
        );
      }
      const explanation = username
        ? `Connected: the token works for @${username}.`
        : 'Connected: the Page token works.';
      await this.repos.accounts.setHealth(id, { status: 'ok', message: explanation });
      this.changed(id);
      return {
        ok: true,
        explanation,
        username,
        tokenExpiresAt: account.tokenExpiresAt?.toISOString() ?? null,
      };
    } catch (error) {
      if (isGraphApiError(error)) return fail(error.explanation, error.needsReconnect);
      throw error;
    }
  }

  /** Decrypted credentials for internal callers; a credential that cannot be read is null. */
  async credentials(id: string): Promise<{ account: Account; credentials: AccountCredentials }> {
    const account = await this.require(id);
    return { account, credentials: this.decryptAll(account) };
  }

  decryptAll(account: Account): AccountCredentials {
    const key = this.deps.keys.requireKey();
    const read = (field: CredentialField, ciphertext: string | null): string | null => {
      if (ciphertext === null) return null;
      try {
        return decryptSecret(key, ciphertext, credentialAad(account.id, field));
      } catch (error) {
        this.deps.logger.warn({ accountId: account.id, field, err: error }, 'credential unreadable');
        return null;
      }
    };
    return {
      accessToken: read('access_token', account.accessTokenEncrypted),
      appSecret: read('app_secret', account.appSecretEncrypted),
      instagramAppSecret: read('instagram_app_secret', account.instagramAppSecretEncrypted),
    };
  }

  /** Re-encrypts every account's credentials with a new key, all or nothing (inside the caller's transaction). */
  async reencryptAll(tx: Repositories, oldKey: SecretKey, newKey: SecretKey): Promise<number> {
    const accounts = await tx.accounts.list({ includeArchived: true });
    const rows = accounts.flatMap((account) =>
      credentialColumns.flatMap(([field, column]) => {
        const ciphertext = account[column];
        return ciphertext === null
          ? []
          : [{ accountId: account.id, column, aad: credentialAad(account.id, field), ciphertext }];
      }),
    );
    const rotated = reencrypt(rows, oldKey, newKey);
    for (const row of rotated) await tx.accounts.update(row.accountId, { [row.column]: row.ciphertext });
    await tx.audit.record({
      actor: this.actor,
      action: 'key.rotate',
      entityType: 'encryption_key',
      entityId: newKey.id,
      before: { keyId: oldKey.id },
      after: { keyId: newKey.id, values: rotated.length },
    });
    return rotated.length;
  }

  private auditSummary(account: Account) {
    return {
      instagramAccountId: account.instagramAccountId,
      username: account.username,
      displayName: account.displayName,
      clientName: account.clientName,
      brandColor: account.brandColor,
      loginType: account.loginType,
      status: account.status,
      settings: { ...account.settings },
    };
  }
}
