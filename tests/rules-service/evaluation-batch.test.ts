/**
 * Rules on a group of deliveries ingested in one transaction, on both dialects: the evaluator takes a
 * chunk's new messages together (rows read at once, one savepoint, decisions recorded together), and each
 * decision must still be the one it would be alone, in order: a person's second message sees the reply queued
 * for the first, an echo between two messages pauses the second, and one failing evaluation is recorded for
 * its message alone.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Account } from '../../electron/main/core/db/repositories/accounts-repository';
import { forEachDialect } from '../support/databases';
import type { WebhookItem } from '../../electron/main/sandbox';
import { body, customerItem, echoItem, mid, store } from '../receiving/support';
import { customer, keywordRule, startRulesWorld, type RulesWorld } from './support';

forEachDialect('rules evaluation of a group of messages', (get) => {
  let world: RulesWorld;
  beforeAll(() => {
    world = startRulesWorld(get().database);
  });
  afterAll(async () => {
    await world.dispose();
  });

  /** Stores one delivery per item before ingest wakes (so one transaction takes them), then ingests. */
  async function receiveTogether(items: readonly WebhookItem[]): Promise<void> {
    for (const item of items) await store(world.repos, body([item]));
    await world.settle();
  }

  function said(account: Account, person: string, text: string, at: number, messageMid = mid('in')) {
    return {
      mid: messageMid,
      item: customerItem(account.instagramAccountId, person, at, { type: 'text', text }, { mid: messageMid }),
    };
  }

  async function outcomeOf(account: Account, messageMid: string) {
    const message = await world.repos.conversations.getMessageByMid(account.id, messageMid);
    if (!message) throw new Error(`message ${messageMid} not stored`);
    const evaluations = await world.repos.rules.listEvaluations(message.id);
    expect(evaluations).toHaveLength(1);
    return evaluations[0]!.outcome;
  }

  async function repliesTo(account: Account, person: string) {
    const conversation = await world.repos.conversations.findConversation(account.id, person);
    if (!conversation) return [];
    return (await world.repos.outbox.listByConversation(conversation.id)).map((row) => row.text);
  }

  it('decides each message after the ones before it in the group: cooldowns and STOP hold within it', async () => {
    const account = await world.account();
    await world.publishedRule(
      account.id,
      keywordRule('Menu', ['menu'], 'Here is the menu', {
        conditions: { cooldown: { perPersonSeconds: 3600 } },
      }),
    );
    const at = world.clock.now.getTime();
    const repeat = customer();
    const other = customer();
    const stopper = customer();
    const first = said(account, repeat, 'menu', at);
    const second = said(account, repeat, 'menu again', at + 1_000);
    const another = said(account, other, 'menu?', at + 2_000);
    const stop = said(account, stopper, 'STOP', at + 3_000);
    const afterStop = said(account, stopper, 'menu', at + 4_000);
    await receiveTogether([first.item, second.item, another.item, stop.item, afterStop.item]);

    expect(await outcomeOf(account, first.mid)).toBe('matched');
    expect(await outcomeOf(account, second.mid)).toBe('suppressed');
    expect(await outcomeOf(account, another.mid)).toBe('matched');
    expect(await outcomeOf(account, afterStop.mid)).toBe('suppressed');
    expect(await repliesTo(account, repeat)).toEqual(['Here is the menu']);
    expect(await repliesTo(account, other)).toEqual(['Here is the menu']);
    expect(await repliesTo(account, stopper)).toEqual([]);
  });

  it('takes an echo in its place: the message before it is answered, the one after it is not', async () => {
    const account = await world.account({ humanPauseMinutes: 30 });
    await world.publishedRule(account.id, keywordRule('Hello', ['hello'], 'Hello back'));
    const person = customer();
    const at = world.clock.now.getTime();
    const before = said(account, person, 'hello', at);
    const after = said(account, person, 'hello??', at + 2_000);
    await receiveTogether([
      before.item,
      echoItem(account.instagramAccountId, person, at + 1_000, mid('echo'), 'I will handle this one'),
      after.item,
    ]);

    expect(await outcomeOf(account, before.mid)).toBe('matched');
    expect(await outcomeOf(account, after.mid)).toBe('suppressed');
    expect(await repliesTo(account, person)).toEqual(['Hello back']);
  });

  it('records a failing evaluation for its message alone; the rest of the group is answered', async () => {
    const broken = await world.account();
    const healthy = await world.account();
    await world.publishedRule(broken.id, keywordRule('Prices', ['price'], 'Prices are on our site'));
    await world.publishedRule(healthy.id, keywordRule('Prices', ['price'], 'See our prices'));
    // Rule settings in a shape this version cannot read: evaluating for that account throws.
    const { kysely, specifics } = get().database;
    await sql`insert into account_rule_settings (account_id, intents, variables, human_pause_minutes, version, updated_at)
      values (${broken.id}, ${'{"not":"a list"}'}, ${'{}'}, ${null}, ${1}, ${specifics.time(new Date())})`.execute(
      kysely,
    );
    world.cache.invalidate(broken.id);
    const at = world.clock.now.getTime();
    const one = customer();
    const two = customer();
    const three = customer();
    const healthyFirst = said(healthy, one, 'price?', at);
    const failing = said(broken, two, 'price?', at + 1_000);
    const healthyLast = said(healthy, three, 'price please', at + 2_000);
    await receiveTogether([healthyFirst.item, failing.item, healthyLast.item]);

    expect(await outcomeOf(healthy, healthyFirst.mid)).toBe('matched');
    expect(await outcomeOf(broken, failing.mid)).toBe('error');
    expect(await outcomeOf(healthy, healthyLast.mid)).toBe('matched');
    expect(await repliesTo(healthy, one)).toEqual(['See our prices']);
    expect(await repliesTo(healthy, three)).toEqual(['See our prices']);
    expect(await repliesTo(broken, two)).toEqual([]);
    // Each message stored once, evaluated once, published once.
    const evaluated = world.events.filter(
      (event) =>
        event.name === 'rules.evaluated' && [healthy.id, broken.id].includes(event.payload.accountId),
    );
    expect(evaluated).toHaveLength(3);
  });
});
