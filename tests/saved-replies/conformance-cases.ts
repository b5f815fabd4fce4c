/**
 * Conformance cases for the saved-replies methods, spread into `tests/core/conformance.test.ts`. Each call
 * that writes gets its own account, so both transports see the same starting point.
 */
import { expect } from 'vitest';
import type { AccountView, MethodName, Result, SavedReplyView } from '../../shared/contract';

interface Ctx {
  newAccount: () => Promise<AccountView>;
}

interface Case {
  input: (ctx: Ctx) => unknown;
  check: (result: Result<unknown>) => void;
  same?: boolean;
}

type SavedRepliesMethod = Extract<MethodName, `savedReplies.${string}`>;

const refused = (code: string) => (result: Result<unknown>) =>
  expect(result).toMatchObject({ ok: false, error: { code } });

const created = (result: Result<unknown>) => {
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  const reply = result.value as SavedReplyView;
  expect(reply).toMatchObject({ name: 'hours', body: 'Hi {{first_name | "there"}}!', version: 1 });
  expect(reply.rendered).toBeUndefined();
};

export const savedRepliesConformanceCases: Record<SavedRepliesMethod, Case[]> = {
  'savedReplies.list': [
    {
      same: true,
      input: () => ({ accountId: 'no-such-account' }),
      check: refused('NOT_FOUND'),
    },
    { same: true, input: () => ({ conversationId: 999_999 }), check: refused('NOT_FOUND') },
    { same: true, input: () => ({ conversationId: -1 }), check: refused('INVALID_INPUT') },
  ],
  'savedReplies.create': [
    {
      input: async ({ newAccount }) => ({
        accountId: (await newAccount()).id,
        name: 'hours',
        body: 'Hi {{first_name | "there"}}!',
      }),
      check: created,
    },
    {
      same: true,
      input: () => ({ accountId: null, name: 'two words', body: 'Hi' }),
      check: refused('INVALID_INPUT'),
    },
    {
      same: true,
      input: () => ({ accountId: null, name: 'bad-variable', body: 'Hi {{nmae}}' }),
      check: refused('INVALID_INPUT'),
    },
  ],
  'savedReplies.update': [
    { same: true, input: () => ({ id: 999_999, version: 1, body: 'Hello' }), check: refused('NOT_FOUND') },
    { same: true, input: () => ({ id: 1, version: 0 }), check: refused('INVALID_INPUT') },
  ],
  'savedReplies.delete': [
    { same: true, input: () => ({ id: 999_999, version: 1 }), check: refused('NOT_FOUND') },
    { same: true, input: () => ({ id: 'one', version: 1 }), check: refused('INVALID_INPUT') },
  ],
};
