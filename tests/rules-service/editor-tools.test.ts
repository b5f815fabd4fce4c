/**
 * The editor's offline tools on both dialects: the test panel (draft, unsaved rule, full trace),
 * replay of the draft over stored history compared with what fired, and conflict warnings.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Decision } from '../../shared/rules/index';
import type { RuleView } from '../../shared/contract';
import { forEachDialect } from '../support/databases';
import { keywordRule, MONDAY_10_PARIS, startRulesWorld, type RulesWorld } from './support';

interface TestResult {
  decision: Decision;
  reply: string | null;
  compileErrors: string[];
}

forEachDialect('rules editor tools', (get) => {
  let world: RulesWorld;
  beforeAll(() => {
    world = startRulesWorld(get().database);
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('test panel: runs drafts with a full trace and the rendered reply', async () => {
    const account = await world.account();
    const hours = await world.call<RuleView>('rules.create', {
      accountId: account.id,
      rule: keywordRule('Open', ['open'], 'Yes {{first_name | "friend"}}, we are open', {
        priority: 20,
        conditions: { businessHours: { when: 'open' } },
      }),
    });
    await world.call('rules.create', {
      accountId: account.id,
      rule: keywordRule('Closed', ['open'], 'We are closed now', { priority: 10 }),
    });

    const during = await world.call<TestResult>('rules.test', {
      accountId: account.id,
      text: 'Are you OPEN?',
      at: new Date(MONDAY_10_PARIS).toISOString(),
      conversation: { name: 'Ana Lima' },
    });
    expect(during.reply).toBe('Yes Ana, we are open');
    expect(during.decision.trace.detail).toBe('full');
    expect(during.decision.trace.entries.map((e) => [e.ruleName, e.outcome])).toEqual([
      ['Open', 'matched'],
      ['Closed', 'shadowed_by_higher'],
    ]);

    const sunday = await world.call<TestResult>('rules.test', {
      accountId: account.id,
      text: 'open?',
      at: '2025-01-05T10:00:00Z',
    });
    expect(sunday.reply).toBe('We are closed now');
    const open = sunday.decision.trace.entries.find((e) => e.ruleId === hours.id);
    expect(open).toMatchObject({ outcome: 'condition_failed', failedCondition: 'businessHours' });

    // The rule being edited, unsaved, replaces the stored one in the test.
    const unsaved = await world.call<TestResult>('rules.test', {
      accountId: account.id,
      text: 'open?',
      at: new Date(MONDAY_10_PARIS).toISOString(),
      draftRule: { ...keywordRule('Open', ['open'], 'Edited reply', { priority: 20 }), id: hours.id },
    });
    expect(unsaved.reply).toBe('Edited reply');

    const comment = await world.call<TestResult>('rules.test', {
      accountId: account.id,
      text: 'open',
      eventType: 'comment',
    });
    expect(comment.decision).toMatchObject({ outcome: 'no_reply', reason: 'no_rule_matched' });
  });

  it('replay: what the draft would answer vs what fired', async () => {
    const account = await world.account();
    const live = await world.publishedRule(account.id, keywordRule('Price', ['price'], 'Prices online'));
    const person = '1254400000000777';
    await world.receive(account, person, { type: 'text', text: 'price?' });
    await world.receive(account, person, { type: 'text', text: 'do you deliver?' });
    // The draft adds a delivery rule and changes the price rule's reply.
    await world.call('rules.create', {
      accountId: account.id,
      rule: keywordRule('Delivery', ['deliver'], 'We deliver'),
    });
    await world.call('rules.update', {
      id: live.id,
      expectedVersion: live.version,
      rule: keywordRule('Price', ['price'], 'New prices online'),
    });

    const replay = await world.call<{
      items: {
        text: string;
        draft: { ruleName: string | null; reply: string | null };
        actual: { outcome: string; reply: string | null } | null;
        changed: boolean;
      }[];
      summary: { examined: number; wouldReply: number; didReply: number; changed: number };
    }>('rules.replay', { accountId: account.id });
    expect(replay.summary).toEqual({ examined: 2, wouldReply: 2, didReply: 1, changed: 1 });
    expect(replay.items.map((i) => [i.text, i.draft.reply, i.actual?.reply ?? null, i.changed])).toEqual([
      ['price?', 'New prices online', 'Prices online', false],
      ['do you deliver?', 'We deliver', null, true],
    ]);
  });

  it('conflicts: a rule that can never fire and rules sharing a keyword', async () => {
    const account = await world.account();
    await world.call('rules.create', {
      accountId: account.id,
      rule: keywordRule('Broad', ['price'], 'a', { priority: 20 }),
    });
    await world.call('rules.create', {
      accountId: account.id,
      rule: keywordRule('Narrow', ['price list'], 'b', { priority: 10 }),
    });
    // A higher rule limited to first messages does not always answer first: a shared keyword, not shadowing.
    await world.call('rules.create', {
      accountId: account.id,
      rule: keywordRule('Welcome', ['hello'], 'c', { priority: 8, conditions: { firstMessageOnly: true } }),
    });
    await world.call('rules.create', {
      accountId: account.id,
      rule: keywordRule('Hello', ['hello'], 'd', { priority: 5 }),
    });
    const { conflicts } = await world.call<{ conflicts: { kind: string; message: string }[] }>(
      'rules.conflicts',
      {
        accountId: account.id,
      },
    );
    expect(conflicts.map((c) => c.kind).sort()).toEqual(['never_fires', 'same_keyword']);
    expect(conflicts.find((c) => c.kind === 'never_fires')?.message).toContain('"Narrow" can never answer');
    const live = await world.call<{ conflicts: unknown[] }>('rules.conflicts', {
      accountId: account.id,
      mode: 'live',
    });
    expect(live.conflicts).toEqual([]);
  });
});
