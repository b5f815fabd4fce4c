/**
 * Whether an account may send now, and with which client and budget.
 *
 * A 190 (token unusable) is recorded as the account's health "Needs reconnect: …" — the same words
 * the connection test writes — and holds the account's queue until a new token is saved (its
 * `tokenRefreshedAt` moves past the health check) or a connection test succeeds.
 */
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { InstagramClient, InstagramClientFactory } from '../instagram';
import { DEFAULT_PER_SECOND_BUDGET, type SendBudget } from './send-pacing';
import { accountNeedsReconnect, needsReconnectPrefix } from '../accounts/account-view';

/** The health message prefix that means "the token does not work". */

/** Settings key of an account's per-second budget. */
export function perSecondKey(accountId: string): string {
  return `outbox.perSecond.${accountId}`;
}

/** An account ready to send, or why it is held. */
export type AccountGate =
  | { open: true; account: Account; client: InstagramClient; budget: SendBudget }
  | { open: false; account: Account; reason: string };

/** Why an account's queue is held, or null. Pure: from the stored account alone. */
export function heldReason(account: Account): string | null {
  if (account.status !== 'active')
    return `The account @${account.username} is ${account.status}; its messages wait until it is active again.`;
  const reconnect = accountNeedsReconnect(account);
  const newTokenSince =
    account.tokenRefreshedAt !== null &&
    account.healthCheckedAt !== null &&
    account.tokenRefreshedAt.getTime() > account.healthCheckedAt.getTime();
  if (reconnect && !newTokenSince)
    return `${account.healthMessage ?? needsReconnectPrefix} Messages wait and go out once the account is reconnected.`;
  return null;
}

/** The account's budgets: per second from the outbox setting, per hour from the account's settings. */
export async function budgetOf(repos: Repositories, account: Account): Promise<SendBudget> {
  const stored = await repos.settings.get(perSecondKey(account.id));
  const perSecond = typeof stored === 'number' && stored >= 1 ? stored : DEFAULT_PER_SECOND_BUDGET;
  return { perSecond, perHour: account.settings.hourlySendBudget };
}

/** Opens the gate for an account: not held, a readable token, a client for it. */
export async function openGate(
  repos: Repositories,
  account: Account,
  deps: {
    credentials: (account: Account) => { accessToken: string | null; appSecret: string | null };
    clientFactory: InstagramClientFactory;
  },
): Promise<AccountGate> {
  const held = heldReason(account);
  if (held) return { open: false, account, reason: held };
  const credentials = deps.credentials(account);
  if (!credentials.accessToken)
    return {
      open: false,
      account,
      reason: `The access token of @${account.username} is missing or cannot be read. Edit the account and paste it again; messages wait until then.`,
    };
  const client = deps.clientFactory({
    loginType: account.loginType,
    accountId: account.instagramAccountId,
    accessToken: credentials.accessToken,
    ...(account.loginType === 'facebook' && credentials.appSecret
      ? { appSecret: credentials.appSecret }
      : {}),
  });
  return { open: true, account, client, budget: await budgetOf(repos, account) };
}
