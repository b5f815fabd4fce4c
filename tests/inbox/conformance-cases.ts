/**
 * Conformance cases for the inbox methods, spread into `tests/core/conformance.test.ts` (kept here so
 * that file only gains one line per feature). Each case runs over both transports; the core under
 * test has no conversations, so the cases pin the empty answers and the refusals.
 */
import { expect } from 'vitest';
import type { MethodName, Result } from '../../shared/contract';

interface Case {
  input: () => unknown;
  check: (result: Result<unknown>) => void;
  same?: boolean;
}

type InboxMethod = Extract<MethodName, `inbox.${string}`>;

const notFound = (result: Result<unknown>) =>
  expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
const invalid = (result: Result<unknown>) =>
  expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
const missing = { conversationId: 999_999 };

export const inboxConformanceCases: Record<InboxMethod, Case[]> = {
  'inbox.list': [
    {
      same: true,
      input: () => ({ filter: { unread: true, search: 'café 🎉' }, limit: 10 }),
      check: (result) => expect(result).toEqual({ ok: true, value: { conversations: [], nextCursor: null } }),
    },
    { same: true, input: () => ({ cursor: 'not a cursor' }), check: invalid },
  ],
  'inbox.counts': [
    {
      same: true,
      input: () => ({}),
      check: (result) =>
        expect(result).toEqual({
          ok: true,
          value: { totalUnread: 0, totalUnreadConversations: 0, accounts: [] },
        }),
    },
  ],
  'inbox.labels': [
    {
      same: true,
      input: () => ({}),
      check: (result) => expect(result).toEqual({ ok: true, value: { labels: [] } }),
    },
  ],
  'inbox.getConversation': [{ same: true, input: () => missing, check: notFound }],
  'inbox.thread': [{ same: true, input: () => missing, check: notFound }],
  'inbox.markRead': [{ same: true, input: () => missing, check: notFound }],
  'inbox.markUnread': [{ same: true, input: () => missing, check: notFound }],
  'inbox.update': [
    { same: true, input: () => ({ ...missing, status: 'archived' }), check: notFound },
    { same: true, input: () => ({ ...missing, status: 'deleted' }), check: invalid },
  ],
  'inbox.setAutomationPause': [
    { same: true, input: () => ({ ...missing, until: null }), check: notFound },
    { same: true, input: () => ({ ...missing, until: 'tomorrow' }), check: invalid },
  ],
  'inbox.addNote': [
    { same: true, input: () => ({ ...missing, text: 'Called her back', author: 'Sam' }), check: notFound },
    { same: true, input: () => ({ ...missing, text: '   ', author: 'Sam' }), check: invalid },
  ],
  'inbox.deleteNote': [
    {
      same: true,
      input: () => ({ id: 999_999 }),
      check: (result) => expect(result).toEqual({ ok: true, value: { deleted: false } }),
    },
  ],
};
