/**
 * Conformance cases for the diagnostics methods, spread into `tests/core/conformance.test.ts`. Each case
 * runs over both transports.
 */
import { expect } from 'vitest';
import type { AccountView, MethodName, ReceivingHealth, Result } from '../../shared/contract';
import type { CoreUnderTest } from '../support/core-harness';

interface Ctx {
  harness: CoreUnderTest;
  newAccount: () => Promise<AccountView>;
}

interface Case {
  input: (ctx: Ctx) => unknown;
  check: (result: Result<unknown>, ctx: Ctx) => void;
  same?: boolean;
}

type DiagnosticsMethod = Extract<MethodName, `diagnostics.${string}`>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value as T;
};

const errorCode = (code: string) => (result: Result<unknown>) =>
  expect(result).toMatchObject({ ok: false, error: { code } });

export const diagnosticsConformanceCases: Record<DiagnosticsMethod, Case[]> = {
  'diagnostics.health': [
    {
      input: async ({ newAccount }) => {
        await newAccount();
        return {};
      },
      check: (result) => {
        const { accounts } = value<{ accounts: ReceivingHealth[] }>(result);
        expect(accounts.length).toBeGreaterThan(0);
        for (const account of accounts) expect(account.subscription.state).toMatch(/^[a-z]+$/);
      },
    },
  ],
  'diagnostics.checkSubscriptions': [
    {
      // A sandbox account starts unsubscribed, as on Meta before the first subscribed_apps POST.
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id }),
      check: (result) => {
        const [health] = value<{ accounts: ReceivingHealth[] }>(result).accounts;
        expect(health?.subscription.state).toBe('resubscribed');
        expect(health?.subscription.fields).toContain('messages');
      },
    },
    { same: true, input: () => ({ accountId: 'no-such-account' }), check: errorCode('NOT_FOUND') },
  ],
  'diagnostics.recoverGaps': [
    {
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id }),
      check: (result) => {
        const health = value<ReceivingHealth>(result);
        expect(health.recovery.messagesAdded).toBe(0);
        expect(health.recovery.lastRunAt).not.toBeNull();
      },
    },
    { same: true, input: () => ({ accountId: 'no-such-account' }), check: errorCode('NOT_FOUND') },
  ],
  'diagnostics.listDeliveries': [
    {
      same: true,
      input: () => ({ accountId: 'no-such-account' }),
      check: (result) => expect(value(result)).toEqual({ deliveries: [] }),
    },
    { same: true, input: () => ({ limit: 0 }), check: errorCode('INVALID_INPUT') },
  ],
  'diagnostics.listNotUnderstood': [
    {
      same: true,
      input: () => ({ accountId: 'no-such-account', limit: 5 }),
      check: (result) => expect(value(result)).toEqual({ deliveries: [] }),
    },
  ],
  'diagnostics.replayDelivery': [
    { same: true, input: () => ({ id: 999_999 }), check: errorCode('NOT_FOUND') },
  ],
  'diagnostics.listSecurityLog': [
    {
      same: true,
      input: () => ({ accountId: 'no-such-account' }),
      check: (result) => expect(value(result)).toEqual({ entries: [] }),
    },
  ],
};
