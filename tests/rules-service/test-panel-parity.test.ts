/**
 * The editor's test panel runs the shared engine in the window (offline, with the unsaved rule): it
 * must show exactly what the core's `rules.test` shows for the same rules, draft and message.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MethodOutput, RuleView } from '../../shared/contract';
import { compileWorkingRules, testMessage } from '../../shared/rules/index';
import { forEachDialect } from '../support/databases';
import { keywordRule, MONDAY_10_PARIS, startRulesWorld, type RulesWorld } from './support';

forEachDialect('test panel in the window', (get) => {
  let world: RulesWorld;
  beforeAll(() => {
    world = startRulesWorld(get().database);
  });
  afterAll(async () => {
    await world.dispose();
  });

  type Draft = (pricesId: string) => Record<string, unknown> | null;
  it.each<[string, Draft, string]>([
    ['the saved rules', () => null, 'how much is it?'],
    [
      'an unsaved new rule',
      () => keywordRule('Parking', ['parking'], 'Free parking behind the shop'),
      'any parking?',
    ],
    [
      'an unsaved edit replacing the stored rule',
      (id) => ({ ...keywordRule('Prices', ['cost'], 'Edited: {{first_name}}'), id }),
      'what does it cost',
    ],
  ])('%s: same decision, reply, trace and errors as rules.test', async (_label, draftOf, text) => {
    const account = await world.account();
    const prices = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('Prices', ['price', 'how much'], 'From 5 €'),
    });
    const draftRule = draftOf(prices.id);
    await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('Hours', ['open'], 'We open at 9', {
        conditions: { businessHours: { when: 'open' } },
      }),
    });
    const at = new Date(MONDAY_10_PARIS).toISOString();
    const conversation = { name: 'Ana Ruiz', username: 'ana.ruiz' };
    const core = await world.call<MethodOutput<'rules.test'>>('rules.test', {
      accountId: account.id,
      text,
      at,
      conversation,
      ...(draftRule ? { draftRule } : {}),
    });

    const list = await world.call<MethodOutput<'rules.list'>>('rules.list', { accountId: account.id });
    const settings = await world.call<MethodOutput<'rules.getIntents'>>('rules.getIntents', {
      accountId: account.id,
    });
    const compiled = compileWorkingRules(account, settings, list.rules, draftRule);
    const local = testMessage(compiled, {
      text,
      eventType: 'dm',
      at: MONDAY_10_PARIS,
      firstMessage: false,
      conversation,
    });
    expect(local).toEqual(core);
    expect(local.decision.outcome).toBe('reply');
  });

  it('a draft that cannot compile is reported in the window while the other rules still answer', async () => {
    const account = await world.account();
    await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('Prices', ['price'], 'From 5 €'),
    });
    const list = await world.call<MethodOutput<'rules.list'>>('rules.list', { accountId: account.id });
    const settings = await world.call<MethodOutput<'rules.getIntents'>>('rules.getIntents', {
      accountId: account.id,
    });
    const broken = keywordRule('Broken', [], 'x');
    const local = testMessage(compileWorkingRules(account, settings, list.rules, broken), {
      text: 'price?',
      eventType: 'dm',
      at: MONDAY_10_PARIS,
      firstMessage: false,
    });
    expect(local.compileErrors).toEqual(['Broken: trigger.keywords: Add at least one keyword']);
    expect(local.reply).toBe('From 5 €');
    // The contract refuses the same draft with the same words.
    const refused = await world.raw('rules.test', {
      accountId: account.id,
      text: 'price?',
      draftRule: broken,
    });
    expect(refused.ok ? null : refused.error.issues?.[0]?.message).toBe('Add at least one keyword');
  });
});
