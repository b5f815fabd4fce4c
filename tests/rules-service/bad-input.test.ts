/**
 * Bad input is refused at the contract with messages that say what to fix (the engine's own schema).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Result } from '../../shared/contract';
import { forEachDialect } from '../support/databases';
import { keywordRule, startRulesWorld, type RulesWorld } from './support';

forEachDialect('rules bad input', (get) => {
  let world: RulesWorld;
  let accountId: string;
  beforeAll(async () => {
    world = startRulesWorld(get().database);
    accountId = (await world.account()).id;
  });
  afterAll(async () => {
    await world.dispose();
  });

  function issues(result: Result<unknown>) {
    expect(result.ok).toBe(false);
    if (result.ok) return [];
    expect(result.error.code).toBe('INVALID_INPUT');
    return result.error.issues ?? [];
  }

  const create = (rule: Record<string, unknown>) => world.raw('rules.create', { accountId, rule });

  it.each([
    ['empty keyword list', keywordRule('R', [], 'x'), 'rule.trigger.keywords', 'Add at least one keyword'],
    ['a blank keyword', keywordRule('R', ['  '], 'x'), 'rule.trigger.keywords.0', 'A keyword is empty'],
    [
      '10,000 keywords',
      keywordRule(
        'R',
        Array.from({ length: 10_000 }, (_, i) => `k${i}`),
        'x',
      ),
      'rule.trigger.keywords',
      'At most 500 keywords per rule',
    ],
    [
      'an invalid pattern',
      { ...keywordRule('R', [], 'x'), trigger: { type: 'pattern', pattern: '(unclosed' } },
      'rule.trigger.pattern',
      'Invalid pattern',
    ],
    [
      'a pattern RE2 cannot run (backreference)',
      { ...keywordRule('R', [], 'x'), trigger: { type: 'pattern', pattern: '(a)\\1' } },
      'rule.trigger.pattern',
      'Invalid pattern',
    ],
    [
      'a pattern too large to run fast',
      { ...keywordRule('R', [], 'x'), trigger: { type: 'pattern', pattern: '\\w{1000}'.repeat(21) } },
      'rule.trigger.pattern',
      'The pattern is too large',
    ],
    [
      'an unknown condition field',
      keywordRule('R', ['a'], 'x', { conditions: { weekdays: ['mon'] } }),
      'rule.conditions',
      'Unknown condition field(s): weekdays',
    ],
    [
      'an unknown template variable',
      keywordRule('R', ['a'], 'Hi {{nickname}}'),
      'rule.response.variants.0',
      'Unknown variable {{nickname}}',
    ],
    ['an unclosed {{', keywordRule('R', ['a'], 'Hi {{name'), 'rule.response.variants.0', 'is never closed'],
    [
      'a priority that is not a number',
      keywordRule('R', ['a'], 'x', { priority: 'high' }),
      'rule.priority',
      'Priority must be a whole number',
    ],
    [
      'a field Switchboard sets',
      keywordRule('R', ['a'], 'x', { version: 9 }),
      'rule.version',
      'set by Switchboard',
    ],
  ])('refuses %s', async (_label, rule, path, message) => {
    const found = issues(await create(rule));
    expect(found).toContainEqual({ path, message: expect.stringContaining(message) as string });
  });

  it('runs a catastrophic-for-backtracking pattern in linear time instead of refusing it', async () => {
    const created = await world.call<{ id: string }>('rules.create', {
      accountId,
      rule: { ...keywordRule('Evil', [], 'x'), trigger: { type: 'pattern', pattern: '(a+)+$' } },
    });
    const result = await world.call<{ reply: string | null }>('rules.test', {
      accountId,
      text: `${'a'.repeat(5_000)}!`,
    });
    expect(created.id).toBeTruthy();
    expect(result.reply).toBeNull();
  });

  it('refuses an intent with no examples, and duplicate intent names', async () => {
    const none = issues(
      await world.raw('rules.setIntents', {
        accountId,
        expectedVersion: 0,
        intents: [{ name: 'hours', examples: [] }],
      }),
    );
    expect(none).toContainEqual({
      path: 'intents.0.examples',
      message: expect.stringContaining('needs at least one example') as string,
    });
    const twice = issues(
      await world.raw('rules.setIntents', {
        accountId,
        expectedVersion: 0,
        intents: [
          { name: 'hours', examples: ['open?'] },
          { name: 'hours', examples: ['closed?'] },
        ],
      }),
    );
    expect(twice).toContainEqual({
      path: 'intents.1.name',
      message: 'Two intents are named "hours": rename one',
    });
  });

  it('says which field is wrong in the top-level message too', async () => {
    const result = await create(keywordRule('R', [], 'x'));
    expect(result).toMatchObject({
      ok: false,
      error: { message: 'Invalid input at "rule.trigger.keywords": Add at least one keyword.' },
    });
  });
});
