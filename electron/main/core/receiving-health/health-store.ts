/**
 * Where each account's receiving health is kept: one `settings` row per account (`receivingHealth.<id>`).
 *
 * Why settings and not new columns: the values are a diagnostic snapshot that is rewritten whole after
 * each check, never queried by column, and an account without a row simply has not been checked yet.
 */
import type { Repositories } from '../db/repositories';

export type SubscriptionState = 'unchecked' | 'ok' | 'resubscribed' | 'missing' | 'error';

/** The stored snapshot for one account. */
export interface StoredHealth {
  subscription: {
    state: SubscriptionState;
    fields: string[];
    checkedAt: string | null;
    message: string | null;
  };
  recovery: { lastRunAt: string | null; messagesAdded: number; message: string | null };
}

export const EMPTY_HEALTH: StoredHealth = {
  subscription: { state: 'unchecked', fields: [], checkedAt: null, message: null },
  recovery: { lastRunAt: null, messagesAdded: 0, message: null },
};

const keyOf = (accountId: string) => `receivingHealth.${accountId}`;

/** The account's snapshot, or the empty one; a damaged value reads as empty rather than failing. */
export async function readHealth(repos: Repositories, accountId: string): Promise<StoredHealth> {
  const value = await repos.settings.get(keyOf(accountId));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return EMPTY_HEALTH;
  const stored = value as unknown as Partial<StoredHealth>;
  return {
    subscription: { ...EMPTY_HEALTH.subscription, ...stored.subscription },
    recovery: { ...EMPTY_HEALTH.recovery, ...stored.recovery },
  };
}

/** Replaces one part of the snapshot, keeping the other. */
export async function writeHealth(
  repos: Repositories,
  accountId: string,
  patch: Partial<StoredHealth>,
): Promise<StoredHealth> {
  const next = { ...(await readHealth(repos, accountId)), ...patch };
  await repos.settings.set(keyOf(accountId), next);
  return next;
}
