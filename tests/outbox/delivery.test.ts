/**
 * The outbox against the Graph emulator over real HTTP: sending, window rules, order, idempotency,
 * validation, conversation state, retry and cancel, events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessageView } from '../../shared/contract';
import { HOUR, settled, startOutboxWorld, type OutboxWorld } from './support';

let world: OutboxWorld;
beforeAll(async () => {
  world = await startOutboxWorld();
});
afterAll(async () => {
  await world.dispose();
});

const send = (conversationId: number, text: string, extra: Record<string, unknown> = {}) =>
  world.call<OutboxMessageView>('outbox.send', { conversationId, text, ...extra });

describe('sending', () => {
  it('queues, sends once, records the mid and pushes every state change', async () => {
    const account = await world.addAccount();
    const { conversationId, igsid } = await world.addCustomer(account);
    const queued = await send(conversationId, 'Thanks for writing! 👋');
    expect(queued.state).toBe('pending');
    const row = await settled(world, queued.id, 'sent');
    const sent = world.sandbox.sentMessages({ accountId: account.igId });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ recipientId: igsid, messageId: row.graphMessageId });
    expect(sent[0]!.body).not.toHaveProperty('tag');
    const states = world.events
      .filter((e) => e.name === 'outbox.messageChanged' && e.payload.id === queued.id)
      .map((e) => (e.name === 'outbox.messageChanged' ? e.payload.state : ''));
    expect(states).toEqual(['pending', 'sending', 'sent']);
    const listed = await world.call<{ messages: OutboxMessageView[] }>('outbox.listConversation', {
      conversationId,
    });
    expect(listed.messages.map((m) => m.state)).toEqual(['sent']);
  });

  it('the same clientRequestId queues one message', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    const first = await send(conversationId, 'Once', { clientRequestId: 'req-1' });
    const second = await send(conversationId, 'Once', { clientRequestId: 'req-1' });
    expect(second.id).toBe(first.id);
    await settled(world, first.id, 'sent');
    expect(world.sandbox.sentMessages({ accountId: account.igId })).toHaveLength(1);
  });

  it('keeps the order of messages to one person, even when the first one needs retries', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    world.sandbox.injectFault(account.igId, { kind: 'status', status: 503 }, 2);
    const ids: number[] = [];
    for (const text of ['one', 'two', 'three', 'four']) ids.push((await send(conversationId, text)).id);
    await settled(world, ids[3]!, 'sent');
    const texts = world.sandbox.sentMessages({ accountId: account.igId }).map((s) => s.message?.text);
    expect(texts).toEqual(['one', 'two', 'three', 'four']);
  });
});

describe('refused when queued, with a clear message', () => {
  it.each([
    ['an empty text', '   ', 'The message is empty.'],
    ['a text over 1,000 bytes', 'é'.repeat(501), 'The message is too long for Instagram: 1002 bytes'],
  ])('%s', async (_name, text, message) => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    const result = await world.raw('outbox.send', { conversationId, text });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!result.ok && result.error.message).toContain(message);
    expect(world.sandbox.sentMessages({ accountId: account.igId })).toHaveLength(0);
  });

  it('more than 13 quick replies', async () => {
    const account = await world.addAccount();
    const { igsid } = await world.addCustomer(account);
    const quickReplies = Array.from({ length: 14 }, (_, i) => ({
      contentType: 'text' as const,
      title: `Q${i}`,
      payload: `p${i}`,
    }));
    await expect(
      world.core.outbox.sender.sendMessage({
        accountId: account.view.id,
        recipientId: igsid,
        message: { type: 'text', text: 'Pick one', quickReplies },
        origin: { kind: 'rule', ruleId: 'r1' },
      }),
    ).rejects.toThrow('Instagram allows at most 13 quick replies; this message has 14.');
  });

  it('an invalid or unknown recipient', async () => {
    const account = await world.addAccount();
    const base = {
      accountId: account.view.id,
      message: { type: 'text' as const, text: 'Hi' },
      origin: { kind: 'rule' as const, ruleId: 'r1' },
    };
    await expect(
      world.core.outbox.sender.sendMessage({ ...base, recipientId: 'not an id/../' }),
    ).rejects.toThrow('is not a valid Instagram id');
    await expect(world.core.outbox.sender.sendMessage({ ...base, recipientId: '12345' })).rejects.toThrow(
      'Instagram only allows messages to people who wrote to the account first',
    );
  });

  it('an account that is not active', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    for (const status of ['inactive', 'suspended', 'archived']) {
      await world.call('accounts.setStatus', { id: account.view.id, status });
      const result = await world.raw('outbox.send', { conversationId, text: 'Hi' });
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(!result.ok && result.error.message).toContain(`is ${status}; activate it`);
    }
  });

  it('an unknown template, or parameters that do not fit', async () => {
    const account = await world.addAccount();
    const { igsid } = await world.addCustomer(account);
    const base = {
      accountId: account.view.id,
      recipientId: igsid,
      origin: { kind: 'rule' as const, ruleId: 'r1' },
    };
    await expect(
      world.core.outbox.sender.sendTemplate({ ...base, templateId: 'welcome', params: {} }),
    ).rejects.toThrow('There is no saved template "welcome".');
  });
});

describe('the messaging window, checked at each attempt', () => {
  it('just inside 24 hours: sent without a tag', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account, 24 * HOUR - 60_000);
    const row = await settled(world, (await send(conversationId, 'Inside')).id, 'sent');
    expect(row.graphMessageId).not.toBeNull();
    expect(world.sandbox.sentMessages({ accountId: account.igId })[0]!.body).not.toHaveProperty('tag');
  });

  it('just outside 24 hours: expired with the reason, Meta never called', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account, 24 * HOUR + 60_000);
    const row = await settled(world, (await send(conversationId, 'Too late')).id, 'expired');
    expect(row.errorText).toContain('Instagram allows replies within 24 hours');
    expect(world.sandbox.sentMessages({ accountId: account.igId })).toHaveLength(0);
  });

  it('a window that closes while the message waits expires it at its attempt', async () => {
    const account = await world.addAccount({ hourlyBudget: 1 });
    const { conversationId } = await world.addCustomer(account, 24 * HOUR - 5 * 60_000);
    await settled(world, (await send(conversationId, 'first')).id, 'sent');
    const second = await send(conversationId, 'second');
    await world.until(
      async () => (await world.core.database.repositories.outbox.get(second.id))?.waitKind === 'paced',
      'paced',
    );
    world.advance(HOUR);
    const row = await settled(world, second.id, 'expired');
    expect(row.errorText).toContain('Not sent.');
    expect(world.sandbox.sentMessages({ accountId: account.igId })).toHaveLength(1);
  });

  it('HUMAN_AGENT on: staff who ask may reply after 3 days, with the tag', async () => {
    const account = await world.addAccount({ humanAgent: true });
    const { conversationId } = await world.addCustomer(account, 72 * HOUR);
    await settled(world, (await send(conversationId, 'Sorry for the wait', { humanAgent: true })).id, 'sent');
    expect(world.sandbox.sentMessages({ accountId: account.igId })[0]!.body).toMatchObject({
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
  });

  it('HUMAN_AGENT off for the account: expired, never tagged', async () => {
    const account = await world.addAccount({ humanAgent: false });
    const { conversationId } = await world.addCustomer(account, 72 * HOUR);
    const row = await settled(
      world,
      (await send(conversationId, 'Hello again', { humanAgent: true })).id,
      'expired',
    );
    expect(row.errorText).toContain('not enabled for this account');
    expect(world.sandbox.sentMessages({ accountId: account.igId })).toHaveLength(0);
  });

  it('HUMAN_AGENT beyond 7 days: expired', async () => {
    const account = await world.addAccount({ humanAgent: true });
    const { conversationId } = await world.addCustomer(account, 8 * 24 * HOUR);
    const row = await settled(world, (await send(conversationId, 'Hi', { humanAgent: true })).id, 'expired');
    expect(row.errorText).toContain('within 7 days');
  });

  it('automation never uses the tag, even where the account allows it', async () => {
    const account = await world.addAccount({ humanAgent: true });
    const { igsid } = await world.addCustomer(account, 30 * HOUR);
    const result = await world.core.outbox.sender.sendMessage({
      accountId: account.view.id,
      recipientId: igsid,
      message: { type: 'text', text: 'Automatic' },
      humanAgent: true,
      origin: { kind: 'rule', ruleId: 'r1' },
    });
    const row = await settled(world, result.outboxId, 'expired');
    expect(row.errorText).toContain('automatic replies may only be sent within 24 hours');
    expect(world.sandbox.sentMessages({ accountId: account.igId })).toHaveLength(0);
  });
});

describe('conversation state', () => {
  it('pausing automation removes queued automatic replies, keeps staff ones', async () => {
    const account = await world.addAccount({ hourlyBudget: 0 });
    const { conversationId, igsid } = await world.addCustomer(account);
    const auto = await world.core.outbox.sender.sendMessage({
      accountId: account.view.id,
      recipientId: igsid,
      message: { type: 'text', text: 'Auto' },
      origin: { kind: 'rule', ruleId: 'r1' },
    });
    const staff = await send(conversationId, 'Staff');
    await world.core.database.repositories.conversations.updateConversation(conversationId, {
      automationPausedUntil: new Date(world.now().getTime() + HOUR),
    });
    world.core.events.publish('inbox.conversationChanged', { accountId: account.view.id, conversationId });
    const row = await settled(world, auto.outboxId, 'cancelled');
    expect(row.errorText).toContain('Automation was paused');
    expect((await world.core.database.repositories.outbox.get(staff.id))?.state).toBe('pending');
  });

  it('blocking a conversation cancels its queue', async () => {
    const account = await world.addAccount({ hourlyBudget: 0 });
    const { conversationId } = await world.addCustomer(account);
    const a = await send(conversationId, 'A');
    await world.core.database.repositories.conversations.updateConversation(conversationId, {
      status: 'blocked',
    });
    world.core.events.publish('inbox.conversationChanged', { accountId: account.view.id, conversationId });
    const row = await settled(world, a.id, 'cancelled');
    expect(row.errorText).toContain('blocked');
  });
});

describe('retry and cancel', () => {
  it('a failed message can be retried and sent; a pending one cancelled', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    world.sandbox.injectFault(account.igId, { kind: 'error', code: 100, message: 'Invalid parameter' }, 1);
    const failed = await settled(world, (await send(conversationId, 'Try me')).id, 'failed');
    expect(failed.errorCode).toBe('100');
    await world.call('outbox.retry', { id: failed.id });
    await settled(world, failed.id, 'sent');
    const conflict = await world.raw('outbox.retry', { id: failed.id });
    expect(conflict).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('cancel a pending message', async () => {
    const account = await world.addAccount({ hourlyBudget: 0 });
    const { conversationId } = await world.addCustomer(account);
    const queued = await send(conversationId, 'Never mind');
    const cancelled = await world.call<OutboxMessageView>('outbox.cancel', { id: queued.id });
    expect(cancelled.state).toBe('cancelled');
    expect(world.sandbox.sentMessages({ accountId: account.igId })).toHaveLength(0);
  });
});
