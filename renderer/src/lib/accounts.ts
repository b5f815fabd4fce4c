import type { AccountView } from '../../../shared/contract';
import { daysUntil, plural } from './format';

export type Tone = 'ok' | 'warn' | 'error' | 'idle' | 'info';
export type AccountStatus = AccountView['status'];
export type LoginType = AccountView['loginType'];

export interface ClientGroup {
  /** The client's name, or null for accounts not assigned to a client. */
  name: string | null;
  color: string | null;
  accounts: AccountView[];
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Accounts grouped by client, clients and accounts in alphabetical order; unassigned accounts last. */
export function groupByClient(accounts: readonly AccountView[]): ClientGroup[] {
  const groups = new Map<string, ClientGroup>();
  for (const account of accounts) {
    const name = account.clientName?.trim() || null;
    const key = name?.toLocaleLowerCase() ?? '';
    const group = groups.get(key) ?? { name, color: null, accounts: [] };
    group.color ??= account.brandColor;
    group.accounts.push(account);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => {
    if (a.name === null) return 1;
    if (b.name === null) return -1;
    return collator.compare(a.name, b.name);
  });
  for (const group of sorted) group.accounts.sort((a, b) => collator.compare(a.username, b.username));
  return sorted;
}

export const statusMeta: Record<AccountStatus, { label: string; tone: Tone; description: string }> = {
  active: {
    label: 'Active',
    tone: 'ok',
    description: 'In use: its messages arrive in the inbox and replies go out.',
  },
  inactive: {
    label: 'Inactive',
    tone: 'idle',
    description: 'Switched off by your team. Activate it to use it again.',
  },
  suspended: {
    label: 'Suspended',
    tone: 'warn',
    description: 'On hold, for example while the client pauses the service. Activate it to resume.',
  },
  archived: {
    label: 'Archived',
    tone: 'idle',
    description: 'Disconnected and hidden from the inbox. Its messages are kept.',
  },
};

export const loginTypeLabel: Record<LoginType, string> = {
  instagram: 'Instagram Login',
  facebook: 'Facebook Login',
};

export interface HealthSummary {
  tone: Tone;
  /** A few words for a badge. */
  label: string;
  /** The full explanation, when there is one. */
  detail: string | null;
  needsReconnect: boolean;
}

/** Days of token life below which staff are warned. */
export const TOKEN_WARNING_DAYS = 14;

/**
 * One verdict on an account's connection, worst first: unreadable credentials, an error from the last
 * check (needs reconnect or another error), a token close to expiry, a warning, then ok or not tested.
 */
export function accountHealth(account: AccountView, now: number): HealthSummary {
  const { credentials, health, tokenExpiresAt } = account;
  const unreadable = [
    credentials.accessToken === 'unreadable' && 'access token',
    credentials.appSecret === 'unreadable' && 'app secret',
    credentials.instagramAppSecret === 'unreadable' && 'Instagram app secret',
  ].filter((name): name is string => typeof name === 'string');
  if (unreadable.length > 0) {
    return {
      tone: 'error',
      label: 'Credentials unreadable — re-enter them',
      detail: `The stored ${unreadable.join(' and ')} cannot be decrypted (another key, or damaged data). Edit the account and paste ${unreadable.length > 1 ? 'them' : 'it'} again.`,
      needsReconnect: true,
    };
  }
  if (credentials.accessToken === 'missing') {
    return {
      tone: 'error',
      label: 'No access token',
      detail: 'Edit the account and paste its access token.',
      needsReconnect: true,
    };
  }
  if (health.status === 'error') {
    return {
      tone: 'error',
      label: health.needsReconnect ? 'Needs reconnect' : 'Connection error',
      detail: health.message ?? 'The last check failed.',
      needsReconnect: health.needsReconnect,
    };
  }
  if (tokenExpiresAt) {
    const days = daysUntil(tokenExpiresAt, now);
    if (days < 0) {
      return {
        tone: 'error',
        label: 'Token expired',
        detail: 'The access token has expired. Generate a new one in Meta’s dashboard and paste it here.',
        needsReconnect: true,
      };
    }
    if (days <= TOKEN_WARNING_DAYS) {
      return {
        tone: 'warn',
        label: days === 0 ? 'Token expires today' : `Token expires in ${plural(days, 'day')}`,
        detail: health.message,
        needsReconnect: false,
      };
    }
  }
  if (health.status === 'warning') {
    return { tone: 'warn', label: 'Needs attention', detail: health.message, needsReconnect: false };
  }
  if (health.status === 'ok') {
    return { tone: 'ok', label: 'Connected', detail: health.message, needsReconnect: false };
  }
  return {
    tone: 'idle',
    label: 'Not tested yet',
    detail: 'Run “Test connection” to check the token with Instagram.',
    needsReconnect: false,
  };
}

/** The dot shown next to an account in lists: its status first, then its health. */
export function accountDotTone(account: AccountView, now: number): { tone: Tone; label: string } {
  if (account.status !== 'active') {
    return { tone: statusMeta[account.status].tone, label: statusMeta[account.status].label };
  }
  const health = accountHealth(account, now);
  const tone = health.tone === 'error' || health.tone === 'warn' ? health.tone : 'ok';
  return { tone, label: `Active · ${health.label}` };
}
