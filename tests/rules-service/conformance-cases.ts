/**
 * Conformance cases for the rules methods, spread into `tests/core/conformance.test.ts` (kept here so
 * that file only gains one line per feature). Each case runs over both transports.
 */
import { expect } from 'vitest';
import type { AccountView, MethodName, Result } from '../../shared/contract';
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

type RulesMethod = Extract<MethodName, `rules.${string}`>;

const value = <T>(result: Result<unknown>): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value as T;
};

const rule = {
  name: 'Prices',
  priority: 10,
  trigger: { type: 'keyword', keywords: ['price'] },
  response: { kind: 'text', variants: ['See our prices'] },
};

async function createdRule(ctx: Ctx): Promise<{ id: string; version: number }> {
  const accountId = (await ctx.newAccount()).id;
  const result = await ctx.harness.core.dispatch(
    'rules.create',
    { accountId, rule },
    { transport: 'in-process' },
  );
  return value(result);
}

const errorCode = (code: string) => (result: Result<unknown>) =>
  expect(result).toMatchObject({ ok: false, error: { code } });

/** One or more cases per rules method. */
export const rulesConformanceCases: Record<RulesMethod, Case[]> = {
  'rules.list': [
    {
      same: true,
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id }),
      check: (result) => expect(value(result)).toEqual({ rules: [], accountErrors: [], intentErrors: [] }),
    },
  ],
  'rules.get': [{ same: true, input: () => ({ id: 'no-such-rule' }), check: errorCode('NOT_FOUND') }],
  'rules.create': [
    {
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id, rule }),
      check: (result) => expect(value(result)).toMatchObject({ name: 'Prices', version: 1, status: 'draft' }),
    },
    {
      same: true,
      input: () => ({ accountId: 'any', rule: { ...rule, trigger: { type: 'keyword', keywords: [] } } }),
      check: errorCode('INVALID_INPUT'),
    },
  ],
  'rules.update': [
    {
      input: async (ctx) => {
        const created = await createdRule(ctx);
        return { id: created.id, expectedVersion: created.version, rule: { ...rule, name: 'Renamed' } };
      },
      check: (result) => expect(value(result)).toMatchObject({ name: 'Renamed', version: 2 }),
    },
  ],
  'rules.delete': [
    { same: true, input: () => ({ id: 'no-such-rule', expectedVersion: 1 }), check: errorCode('NOT_FOUND') },
  ],
  'rules.reorder': [
    {
      same: true,
      input: async ({ newAccount }) => ({
        accountId: (await newAccount()).id,
        order: [{ id: 'x', expectedVersion: 1 }],
      }),
      check: errorCode('NOT_FOUND'),
    },
  ],
  'rules.setActive': [
    {
      input: async (ctx) => {
        const created = await createdRule(ctx);
        return { id: created.id, expectedVersion: created.version, isActive: false };
      },
      check: (result) => expect(value(result)).toMatchObject({ isActive: false, version: 2 }),
    },
  ],
  'rules.publish': [
    {
      same: true,
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id }),
      check: (result) => expect(value(result)).toEqual({ published: [], rules: [] }),
    },
  ],
  'rules.test': [
    {
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id, text: 'hello' }),
      check: (result) =>
        expect(value(result)).toMatchObject({
          reply: null,
          decision: { outcome: 'no_reply', reason: 'no_rule_matched' },
        }),
    },
  ],
  'rules.replay': [
    {
      same: true,
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id }),
      check: (result) =>
        expect(value(result)).toEqual({
          items: [],
          summary: { examined: 0, wouldReply: 0, didReply: 0, changed: 0 },
        }),
    },
  ],
  'rules.conflicts': [
    {
      same: true,
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id }),
      check: (result) => expect(value(result)).toEqual({ conflicts: [] }),
    },
  ],
  'rules.export': [
    {
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id }),
      check: (result) =>
        expect(value(result)).toMatchObject({
          document: { format: 'switchboard.rules', rules: [], intents: [] },
        }),
    },
  ],
  'rules.import': [
    {
      same: true,
      input: () => ({ accountId: 'any', document: { format: 'something else' } }),
      check: errorCode('INVALID_INPUT'),
    },
  ],
  'rules.copy': [
    {
      same: true,
      input: async ({ newAccount }) => {
        const id = (await newAccount()).id;
        return { fromAccountId: id, toAccountId: id };
      },
      check: errorCode('INVALID_INPUT'),
    },
  ],
  'rules.getIntents': [
    {
      same: true,
      input: async ({ newAccount }) => ({ accountId: (await newAccount()).id }),
      check: (result) =>
        expect(value(result)).toEqual({ intents: [], variables: {}, humanPauseMinutes: null, version: 0 }),
    },
  ],
  'rules.setIntents': [
    {
      same: true,
      input: () => ({ accountId: 'any', expectedVersion: 0, intents: [{ name: 'hours', examples: [] }] }),
      check: errorCode('INVALID_INPUT'),
    },
  ],
  'rules.setVariables': [
    {
      input: async ({ newAccount }) => ({
        accountId: (await newAccount()).id,
        expectedVersion: 0,
        variables: { phone: '+33 1 23 45 67 89' },
      }),
      check: (result) =>
        expect(value(result)).toMatchObject({ variables: { phone: '+33 1 23 45 67 89' }, version: 1 }),
    },
  ],
};
