import type { AccountView } from '../../../../shared/contract';
import type { Account } from '../db';
import { decryptSecret, ownerAad, type SecretKey } from '../secrets';

export type CredentialField = 'access_token' | 'app_secret' | 'instagram_app_secret';
export type CredentialState = AccountView['credentials']['accessToken'];

/** The associated data that binds a credential to its account and field. */
export function credentialAad(accountId: string, field: CredentialField): string {
  return ownerAad('account', accountId, field);
}

/** Whether a stored credential is there and opens with the current key — never its value. */
export function credentialState(
  key: SecretKey | undefined,
  accountId: string,
  field: CredentialField,
  ciphertext: string | null,
): CredentialState {
  if (ciphertext === null) return 'missing';
  if (!key) return 'unreadable';
  try {
    decryptSecret(key, ciphertext, credentialAad(accountId, field));
    return 'present';
  } catch {
    return 'unreadable';
  }
}

/** The prefix that marks a health message whose cure is a new token. */
export const needsReconnectPrefix = 'Needs reconnect:';
const reconnectMarker = /^Needs reconnect: /;

/** Whether the account's token was refused for good (expired, revoked): someone must paste a new one. */
export function accountNeedsReconnect(account: Pick<Account, 'healthStatus' | 'healthMessage'>): boolean {
  return account.healthStatus === 'error' && (account.healthMessage ?? '').startsWith(needsReconnectPrefix);
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The contract's view of an account: everything staff may see, no secret. */
export function toAccountView(
  account: Account,
  key: SecretKey | undefined,
  webhookBaseUrl: string,
): AccountView {
  return {
    id: account.id,
    instagramAccountId: account.instagramAccountId,
    username: account.username,
    displayName: account.displayName,
    clientName: account.clientName,
    brandColor: account.brandColor,
    loginType: account.loginType,
    status: account.status,
    settings: account.settings,
    webhookVerifyToken: account.webhookVerifyToken,
    callbackUrl: `${webhookBaseUrl.replace(/\/+$/, '')}/webhooks/instagram/${account.instagramAccountId}`,
    credentials: {
      accessToken: credentialState(key, account.id, 'access_token', account.accessTokenEncrypted),
      appSecret: credentialState(key, account.id, 'app_secret', account.appSecretEncrypted),
      instagramAppSecret: credentialState(
        key,
        account.id,
        'instagram_app_secret',
        account.instagramAppSecretEncrypted,
      ),
    },
    tokenExpiresAt: iso(account.tokenExpiresAt),
    tokenRefreshedAt: iso(account.tokenRefreshedAt),
    health: {
      status: account.healthStatus,
      needsReconnect: accountNeedsReconnect(account),
      message: account.healthMessage?.replace(reconnectMarker, '') ?? null,
      checkedAt: iso(account.healthCheckedAt),
    },
    lastWebhookAt: iso(account.lastWebhookAt),
    createdAt: account.createdAt.toISOString(),
    updatedAt: account.updatedAt.toISOString(),
  };
}
