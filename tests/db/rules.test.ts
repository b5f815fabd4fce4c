import { expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { forEachDialect } from '../support/databases';
import { igId, longMid, newAccount } from './fixtures';

forEachDialect('rules repository', (db) => {
  it('creates, lists in priority order, updates with version bump and deletes', async () => {
    const { rules, accounts } = db().repos;
    const account = await accounts.create(newAccount());
    const global = await rules.create({
      name: 'Opening hours 🕘',
      triggerType: 'keyword',
      priority: 1,
      conditions: { keywords: ['open', 'hours'] },
      responseTemplate: 'We open at 9 ☀️',
    });
    const specific = await rules.create({
      accountId: account.id,
      name: 'Price',
      triggerType: 'pattern',
      priority: 10,
      conditions: { pattern: '(?i)price' },
      responseTemplate: 'See {{link}}',
    });
    const inactive = await rules.create({
      accountId: account.id,
      name: 'Off',
      triggerType: 'intent',
      priority: 100,
      isActive: false,
      conditions: {},
      responseTemplate: '-',
    });
    expect(global).toMatchObject({
      version: 1,
      isActive: true,
      accountId: null,
      conditions: { keywords: ['open', 'hours'] },
    });

    const listed = (await rules.list({ accountId: account.id })).map((r) => r.id);
    expect(listed.indexOf(inactive.id)).toBeLessThan(listed.indexOf(specific.id));
    expect(listed.indexOf(specific.id)).toBeLessThan(listed.indexOf(global.id));
    expect((await rules.list({ accountId: account.id, activeOnly: true })).map((r) => r.id)).not.toContain(
      inactive.id,
    );

    const updated = await rules.update(specific.id, 1, { responseTemplate: 'New text', isActive: false });
    expect(updated).toMatchObject({
      version: 2,
      responseTemplate: 'New text',
      isActive: false,
      name: 'Price',
    });
    await rules.delete(updated.id, 2);
    expect(await rules.get(updated.id)).toBeNull();
  });

  it('refuses a change made against a stale version (optimistic concurrency)', async () => {
    const { rules } = db().repos;
    const rule = await rules.create({
      name: 'Greeting',
      triggerType: 'keyword',
      conditions: { keywords: ['hi'] },
      responseTemplate: 'Hello!',
    });
    await rules.update(rule.id, 1, { responseTemplate: 'Edited on workstation A' });
    const error = await rules
      .update(rule.id, 1, { responseTemplate: 'Edited offline on workstation B' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DB_CONFLICT' });
    expect((error as Error).message).toMatch(/version 1.*current version is 2/);
    expect((await rules.get(rule.id))?.responseTemplate).toBe('Edited on workstation A');
    await expect(rules.delete(rule.id, 1)).rejects.toMatchObject({ code: 'DB_CONFLICT' });
    await expect(rules.update(randomUUID(), 1, { name: 'x' })).rejects.toMatchObject({
      code: 'DB_NOT_FOUND',
    });
  });

  it('lets exactly one of two concurrent editors of the same version win', async () => {
    const { rules } = db().repos;
    const rule = await rules.create({
      name: 'Race',
      triggerType: 'keyword',
      conditions: {},
      responseTemplate: 'v1',
    });
    const outcomes = await Promise.allSettled([
      rules.update(rule.id, 1, { responseTemplate: 'A' }),
      rules.update(rule.id, 1, { responseTemplate: 'B' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect((await rules.get(rule.id))?.version).toBe(2);
  });

  it('accepts client-chosen ids (rules created offline)', async () => {
    const id = randomUUID();
    const rule = await db().repos.rules.create({
      id,
      name: 'Offline',
      triggerType: 'keyword',
      conditions: [],
      responseTemplate: 't',
    });
    expect(rule.id).toBe(id);
  });

  it('validates trigger type, name length and JSON conditions', async () => {
    const { rules } = db().repos;
    await expect(
      rules.create({ name: 'x', triggerType: 'regex' as never, conditions: {}, responseTemplate: 't' }),
    ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'triggerType' });
    await expect(
      rules.create({ name: 'n'.repeat(256), triggerType: 'keyword', conditions: {}, responseTemplate: 't' }),
    ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'name' });
    await expect(
      rules.create({
        name: 'x',
        triggerType: 'keyword',
        conditions: { f: () => 1 } as never,
        responseTemplate: 't',
      }),
    ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(
      rules.create({ name: 'x', triggerType: 'keyword', conditions: cyclic as never, responseTemplate: 't' }),
    ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT' });
  });

  it('records rule evaluations with their trace', async () => {
    const { rules, accounts, conversations } = db().repos;
    const account = await accounts.create(newAccount());
    const message = await conversations.ingest({
      accountId: account.id,
      participantIgsid: igId(),
      mid: longMid(),
      direction: 'inbound',
      text: 'price?',
      createdAt: new Date(),
    });
    const rule = await rules.create({
      accountId: account.id,
      name: 'Price',
      triggerType: 'keyword',
      conditions: {},
      responseTemplate: 't',
    });
    const at = new Date('2026-04-01T08:00:00.999Z');
    await rules.recordEvaluation({
      accountId: account.id,
      messageId: message.messageId,
      ruleId: rule.id,
      ruleVersion: 1,
      outcome: 'matched',
      trace: [{ rule: rule.id, matched: true }],
      evaluatedAt: at,
    });
    const [evaluation] = await rules.listEvaluations(message.messageId);
    expect(evaluation).toMatchObject({
      ruleId: rule.id,
      ruleVersion: 1,
      outcome: 'matched',
      trace: [{ rule: rule.id, matched: true }],
    });
    expect(evaluation!.evaluatedAt.toISOString()).toBe('2026-04-01T08:00:00.999Z');
    await expect(
      rules.recordEvaluation({
        accountId: account.id,
        messageId: message.messageId,
        outcome: 'maybe' as never,
        trace: {},
      }),
    ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'outcome' });
  });

  it('records a batch of evaluations together, and refuses the whole batch when one is invalid', async () => {
    const { rules, accounts, conversations, automationState } = db().repos;
    const account = await accounts.create(newAccount());
    const stored = await conversations.ingestMany(
      ['one', 'two', 'three'].map((text, i) => ({
        accountId: account.id,
        participantIgsid: i === 2 ? igId() : `${account.instagramAccountId}9`,
        mid: longMid(),
        direction: 'inbound' as const,
        text,
        createdAt: new Date(Date.UTC(2026, 3, 1, 8, 0, i)),
      })),
    );
    const ids = stored.map((row) => row.messageId);
    const at = new Date('2026-04-01T08:00:01.250Z');
    await rules.recordEvaluations(
      ids.map((messageId, i) => ({
        accountId: account.id,
        messageId,
        outcome: i === 1 ? 'no_match' : 'suppressed',
        trace: { n: i, text: 'é 👍' },
        evaluatedAt: at,
      })),
    );
    for (const [i, messageId] of ids.entries()) {
      const [evaluation] = await rules.listEvaluations(messageId);
      expect(evaluation).toMatchObject({
        outcome: i === 1 ? 'no_match' : 'suppressed',
        trace: { n: i, text: 'é 👍' },
      });
      expect(evaluation!.evaluatedAt.toISOString()).toBe('2026-04-01T08:00:01.250Z');
    }
    // Read back together: the messages and their two conversations, unknown ids left out.
    const messages = await automationState.getMessages([...ids, 987_654_321]);
    expect([...messages.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(messages.get(ids[1]!)).toMatchObject({ text: 'two', direction: 'inbound', accountId: account.id });
    const conversationIds = stored.map((row) => row.conversationId);
    const found = await conversations.getConversations([...conversationIds, 987_654_321]);
    expect(found.size).toBe(2);
    expect(found.get(conversationIds[2]!)?.accountId).toBe(account.id);

    await expect(
      rules.recordEvaluations([
        { accountId: account.id, messageId: ids[0]!, outcome: 'matched', trace: {} },
        { accountId: account.id, messageId: ids[1]!, outcome: 'maybe' as never, trace: {} },
      ]),
    ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'outcome' });
    expect(await rules.listEvaluations(ids[0]!)).toHaveLength(1);
  });

  it("adds to a rule's counters, creating each on first use, without touching other rules", async () => {
    const { rules, accounts, ruleEditor } = db().repos;
    const account = await accounts.create(newAccount());
    const rule = (name: string) =>
      rules.create({
        accountId: account.id,
        name,
        triggerType: 'keyword',
        conditions: {},
        responseTemplate: 't',
      });
    const [price, hours] = [await rule('Price'), await rule('Hours')];
    await ruleEditor.bumpCounters(account.id, price.id, ['matched', 'answered']);
    await ruleEditor.bumpCounters(account.id, price.id, ['matched', 'matched']);
    await ruleEditor.bumpCounters(account.id, hours.id, ['failed']);
    await ruleEditor.bumpCounters(account.id, hours.id, []);
    const counters = await ruleEditor.counters(account.id);
    expect(counters.get(price.id)).toEqual({ matched: 2, answered: 1 });
    expect(counters.get(hours.id)).toEqual({ failed: 1 });
  });
});
