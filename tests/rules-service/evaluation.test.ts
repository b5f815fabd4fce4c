/**
 * Live evaluation end to end on both dialects: a delivery is stored, ingest turns it into a message,
 * the evaluator runs the published rules, records the decision and queues the reply once.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ruleReplyKey } from '../../electron/main/core/rules';
import type { RuleView } from '../../shared/contract';
import { forEachDialect } from '../support/databases';
import { body, customerItem, mid, store } from '../receiving/support';
import { customer, keywordRule, startRulesWorld, type RulesWorld } from './support';

forEachDialect('rules evaluation', (get) => {
  let world: RulesWorld;
  beforeAll(() => {
    world = startRulesWorld(get().database);
  });
  afterAll(async () => {
    await world.dispose();
  });

  async function outboxOf(accountId: string, igsid: string) {
    const conversation = await world.repos.conversations.findConversation(accountId, igsid);
    return conversation ? world.repos.outbox.listByConversation(conversation.id) : [];
  }

  async function evaluationsOf(accountId: string, messageMid: string) {
    const message = await world.repos.conversations.getMessageByMid(accountId, messageMid);
    if (!message) throw new Error('message not stored');
    return { message, evaluations: await world.repos.rules.listEvaluations(message.id) };
  }

  it('answers an inbound DM: decision and trace stored, the rendered reply queued once', async () => {
    const account = await world.account();
    const rule = await world.publishedRule(
      account.id,
      keywordRule('Prices', ['price'], 'Hi {{name | "there"}}, prices are on our site'),
    );
    const person = customer();
    const messageMid = await world.receive(account, person, { type: 'text', text: 'What is the PRICE?' });

    const { message, evaluations } = await evaluationsOf(account.id, messageMid);
    expect(evaluations).toHaveLength(1);
    expect(evaluations[0]).toMatchObject({ outcome: 'matched', ruleId: rule.id, ruleVersion: rule.version });
    const trace = evaluations[0]?.trace as {
      decision: { trace: { entries: { ruleId: string; outcome: string }[] } };
    };
    expect(trace.decision.trace.entries).toContainEqual(
      expect.objectContaining({ ruleId: rule.id, outcome: 'matched' }),
    );

    const queued = await outboxOf(account.id, person);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      text: 'Hi there, prices are on our site',
      idempotencyKey: ruleReplyKey(account.id, messageMid),
      createdBy: { kind: 'rule', id: rule.id },
      state: 'pending',
    });
    expect(queued[0]?.payload).toMatchObject({
      v: 1,
      content: { kind: 'message', message: { type: 'text', text: 'Hi there, prices are on our site' } },
      humanAgent: false,
    });

    // A re-run (crash recovery, a second event) never queues twice or evaluates twice.
    expect(await world.evaluator.evaluate(message.id)).toMatchObject({ status: 'skipped' });
    expect(await outboxOf(account.id, person)).toHaveLength(1);

    const list = await world.call<{ rules: RuleView[] }>('rules.list', { accountId: account.id });
    expect(list.rules[0]?.counters).toEqual({ matched: 1, answered: 1, failed: 0, suppressed: {} });
    expect(world.events.some((e) => e.name === 'rules.evaluated' && e.payload.messageId === message.id)).toBe(
      true,
    );
  });

  it('loads the rules once for a group of messages, and answers the next one with a republished rule', async () => {
    const account = await world.account();
    const rule = await world.publishedRule(account.id, keywordRule('Prices', ['price'], 'Prices: see site'));
    const people = [customer(), customer(), customer()];
    const mids = people.map(() => mid('in'));
    // Stored before ingest wakes: one transaction ingests them together.
    for (const [i, person] of people.entries())
      await store(
        world.repos,
        body([
          customerItem(
            account.instagramAccountId,
            person,
            world.clock.now.getTime(),
            { type: 'text', text: 'price?' },
            { mid: mids[i] },
          ),
        ]),
      );
    const loads = vi.spyOn(world.cache, 'load');
    try {
      await world.settle();
      expect(loads.mock.calls.filter(([, accountId]) => accountId === account.id)).toHaveLength(1);
    } finally {
      loads.mockRestore();
    }
    for (const messageMid of mids)
      expect((await evaluationsOf(account.id, messageMid)).evaluations[0]).toMatchObject({
        outcome: 'matched',
        ruleVersion: rule.version,
      });

    const edited = await world.call<RuleView>('rules.update', {
      id: rule.id,
      expectedVersion: rule.version,
      rule: keywordRule('Prices', ['price'], 'Prices changed: call us'),
    });
    await world.call('rules.publish', {
      accountId: account.id,
      rules: [{ id: edited.id, expectedVersion: edited.version }],
    });
    const person = customer();
    const next = await world.receive(account, person, { type: 'text', text: 'price now?' });
    expect((await evaluationsOf(account.id, next)).evaluations[0]).toMatchObject({
      outcome: 'matched',
      ruleVersion: edited.version,
    });
    expect((await outboxOf(account.id, person))[0]?.text).toBe('Prices changed: call us');
  });

  it('keeps the message when its evaluation fails, and records the failure in plain words', async () => {
    const account = await world.account();
    await world.publishedRule(account.id, keywordRule('Prices', ['price'], 'Prices are on our site'));
    // Rule settings written by something else (another version, a hand edit) in a shape this one cannot read.
    const { kysely, specifics } = get().database;
    await sql`insert into account_rule_settings (account_id, intents, variables, human_pause_minutes, version, updated_at)
      values (${account.id}, ${'{"not":"a list"}'}, ${'{}'}, ${null}, ${1}, ${specifics.time(new Date())})`.execute(
      kysely,
    );
    world.cache.invalidate(account.id);
    const person = customer();
    const messageMid = await world.receive(account, person, { type: 'text', text: 'price?' });

    const { message, evaluations } = await evaluationsOf(account.id, messageMid);
    expect(message.text).toBe('price?');
    expect(evaluations).toHaveLength(1);
    expect(evaluations[0]?.outcome).toBe('error');
    expect(JSON.stringify(evaluations[0]?.trace)).toMatch(/error/);
    expect(await outboxOf(account.id, person)).toHaveLength(0);
  });

  it('does not run drafts live, and records a miss as no_match', async () => {
    const account = await world.account();
    await world.call('rules.create', {
      accountId: account.id,
      rule: keywordRule('Draft', ['hours'], 'We open at 9'),
    });
    const person = customer();
    const messageMid = await world.receive(account, person, { type: 'text', text: 'hours?' });
    const { evaluations } = await evaluationsOf(account.id, messageMid);
    expect(evaluations[0]).toMatchObject({ outcome: 'no_match', ruleId: null });
    expect(await outboxOf(account.id, person)).toHaveLength(0);
  });

  it('never triggers on echoes or reactions', async () => {
    const account = await world.account();
    await world.publishedRule(account.id, keywordRule('Hello', ['hello'], 'Hello back'));
    const person = customer();
    const first = await world.receive(account, person, { type: 'text', text: 'nothing to see' });
    await world.echo(account, person, 'hello from the phone');
    await world.receive(account, person, {
      type: 'reaction',
      targetMid: first,
      reaction: 'love',
      emoji: '❤️',
    });
    expect(await outboxOf(account.id, person)).toHaveLength(0);
  });

  it('pauses automation after a human replied from the phone, and resumes after the pause', async () => {
    const account = await world.account({ humanPauseMinutes: 30 });
    await world.publishedRule(account.id, keywordRule('Hello', ['hello'], 'Hello back'));
    const person = customer();
    await world.echo(account, person, 'I will handle this one');
    const paused = await world.receive(account, person, { type: 'text', text: 'hello?' });
    expect((await evaluationsOf(account.id, paused)).evaluations[0]).toMatchObject({ outcome: 'suppressed' });
    expect(await outboxOf(account.id, person)).toHaveLength(0);

    world.clock.now = new Date(world.clock.now.getTime() + 31 * 60_000);
    await world.receive(account, person, { type: 'text', text: 'hello again' });
    expect(await outboxOf(account.id, person)).toHaveLength(1);
    world.clock.now = new Date(world.clock.now.getTime() - 31 * 60_000);
  });

  it('does not take the echo of its own rule reply for a human', async () => {
    const account = await world.account();
    await world.publishedRule(account.id, keywordRule('Hello', ['hello'], 'Hello back'));
    const person = customer();
    await world.receive(account, person, { type: 'text', text: 'hello' });
    await world.echo(account, person, 'Hello back');
    await world.receive(account, person, { type: 'text', text: 'hello once more' });
    expect((await outboxOf(account.id, person)).map((m) => m.text)).toEqual(['Hello back', 'Hello back']);
  });

  it('sends nothing after STOP until START', async () => {
    const account = await world.account();
    await world.publishedRule(
      account.id,
      keywordRule('Catch all', ['please'], 'Sure!', { isFallback: true, trigger: undefined }),
    );
    const person = customer();
    await world.receive(account, person, { type: 'text', text: 'STOP' });
    await world.receive(account, person, { type: 'text', text: 'please answer' });
    expect(await outboxOf(account.id, person)).toHaveLength(0);
    expect(
      (
        await world.repos.automationState.getState(
          (await world.repos.conversations.findConversation(account.id, person))!.id,
        )
      ).optedOut,
    ).toBe(true);
    await world.receive(account, person, { type: 'text', text: 'Start' });
    expect((await outboxOf(account.id, person)).map((m) => m.text)).toEqual(['Sure!']);
  });

  it('keeps a per-account cooldown across people, and other rules are not held by it', async () => {
    const account = await world.account();
    const limited = await world.publishedRule(
      account.id,
      keywordRule('Sale', ['sale'], 'The sale ends Sunday', {
        conditions: { cooldown: { perAccountSeconds: 600 } },
      }),
    );
    await world.publishedRule(account.id, keywordRule('Hours', ['hours'], 'We open at 9'));
    const first = customer();
    const second = customer();
    await world.receive(account, first, { type: 'text', text: 'sale?' });
    world.clock.now = new Date(world.clock.now.getTime() + 60_000);
    const held = await world.receive(account, second, { type: 'text', text: 'is the sale on' });
    await world.receive(account, second, { type: 'text', text: 'hours?' });
    expect(await outboxOf(account.id, first)).toHaveLength(1);
    const secondReplies = await outboxOf(account.id, second);
    expect(secondReplies.map((reply) => reply.text)).toEqual(['We open at 9']);
    expect((await evaluationsOf(account.id, held)).evaluations[0]).toMatchObject({ outcome: 'suppressed' });
    const view = await world.call<RuleView>('rules.get', { id: limited.id });
    expect(view.counters).toMatchObject({ answered: 1, suppressed: { cooldownPerAccount: 1 } });
    world.clock.now = new Date(world.clock.now.getTime() + 600_000);
    await world.receive(account, second, { type: 'text', text: 'sale' });
    expect((await outboxOf(account.id, second)).map((reply) => reply.text)).toContain('The sale ends Sunday');
    world.clock.now = new Date(world.clock.now.getTime() - 660_000);
  });

  it('keeps a per-person cooldown from past rule replies', async () => {
    const account = await world.account();
    const rule = await world.publishedRule(
      account.id,
      keywordRule('Menu', ['menu'], 'Here is the menu', {
        conditions: { cooldown: { perPersonSeconds: 3600 } },
      }),
    );
    const person = customer();
    await world.receive(account, person, { type: 'text', text: 'menu' });
    world.clock.now = new Date(world.clock.now.getTime() + 60_000);
    const second = await world.receive(account, person, { type: 'text', text: 'menu please' });
    expect(await outboxOf(account.id, person)).toHaveLength(1);
    expect((await evaluationsOf(account.id, second)).evaluations[0]).toMatchObject({ outcome: 'suppressed' });
    const view = await world.call<RuleView>('rules.get', { id: rule.id });
    expect(view.counters).toMatchObject({ matched: 2, answered: 1, suppressed: { cooldownPerPerson: 1 } });
    world.clock.now = new Date(world.clock.now.getTime() + 3600_000);
    await world.receive(account, person, { type: 'text', text: 'menu' });
    expect(await outboxOf(account.id, person)).toHaveLength(2);
    world.clock.now = new Date(world.clock.now.getTime() - 3660_000);
  });

  it('with automation off, records what would have fired and queues nothing', async () => {
    const account = await world.account({ automationEnabled: false });
    const rule = await world.publishedRule(account.id, keywordRule('Hello', ['hello'], 'Hello back'));
    const person = customer();
    const messageMid = await world.receive(account, person, { type: 'text', text: 'hello' });
    expect((await evaluationsOf(account.id, messageMid)).evaluations[0]).toMatchObject({
      outcome: 'suppressed',
      ruleId: rule.id,
    });
    expect(await outboxOf(account.id, person)).toHaveLength(0);
    const view = await world.call<RuleView>('rules.get', { id: rule.id });
    expect(view.counters.suppressed).toEqual({ automation_off: 1 });
  });

  it('answers with the fallback only when nothing else matched', async () => {
    const account = await world.account();
    await world.publishedRule(account.id, keywordRule('Hello', ['hello'], 'Hello back'));
    await world.publishedRule(account.id, {
      name: 'Fallback',
      priority: 0,
      isFallback: true,
      response: { kind: 'text', variants: ['A person will answer soon'] },
    });
    const person = customer();
    await world.receive(account, person, { type: 'text', text: 'hello' });
    await world.receive(account, person, { type: 'text', text: 'something else' });
    expect((await outboxOf(account.id, person)).map((m) => m.text)).toEqual([
      'Hello back',
      'A person will answer soon',
    ]);
  });

  it("keeps answering on one account while another account's rule set is broken", async () => {
    const broken = await world.account();
    const healthy = await world.account();
    await world.call('rules.setIntents', {
      accountId: broken.id,
      expectedVersion: 0,
      intents: [{ name: 'hours', examples: ['when are you open'] }],
    });
    await world.publishedRule(broken.id, {
      name: 'Hours',
      priority: 5,
      trigger: { type: 'intent', intent: 'hours', threshold: 0.3 },
      response: { kind: 'text', variants: ['9 to 6'] },
    });
    // The intent disappears after the rule was published: that rule no longer compiles.
    await world.call('rules.setIntents', { accountId: broken.id, expectedVersion: 1, intents: [] });
    await world.publishedRule(healthy.id, keywordRule('Hello', ['hello'], 'Hello back'));

    const person = customer();
    const brokenMid = await world.receive(broken, person, { type: 'text', text: 'when are you open' });
    await world.receive(healthy, person, { type: 'text', text: 'hello' });
    expect(await outboxOf(healthy.id, person)).toHaveLength(1);
    expect((await evaluationsOf(broken.id, brokenMid)).evaluations[0]).toMatchObject({ outcome: 'no_match' });
    const list = await world.call<{ rules: RuleView[] }>('rules.list', { accountId: broken.id });
    expect(list.rules[0]?.liveErrors.join(' ')).toContain('"hours" does not exist');
  });
});
