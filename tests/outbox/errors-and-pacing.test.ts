/**
 * Graph failures (each retryable and each permanent one), the 190 hold, and pacing measured by the
 * emulator's own counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxMessageView, OutboxQueue } from '../../shared/contract';
import { HOUR, settled, startOutboxWorld, type OutboxWorld } from './support';

let world: OutboxWorld;
beforeAll(async () => {
  world = await startOutboxWorld();
});
afterAll(async () => {
  await world.dispose();
});

const send = (conversationId: number, text: string) =>
  world.call<OutboxMessageView>('outbox.send', { conversationId, text });

describe('retryable failures: retried with backoff, sent exactly once', () => {
  it.each([
    ['HTTP 5xx (Meta code 2)', { kind: 'status', status: 502 } as const, '2'],
    [
      '613 per-second rate limit',
      { kind: 'error', code: 613, message: 'Calls to this API have exceeded the rate limit.' } as const,
      '613',
    ],
    [
      '4 application rate limit',
      { kind: 'error', code: 4, message: 'Application request limit reached' } as const,
      '4',
    ],
    ['a hang (client timeout)', { kind: 'hang' } as const, 'TIMEOUT'],
    ['a dropped connection', { kind: 'drop' } as const, 'NETWORK'],
  ])('%s', async (_name, fault, code) => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    world.sandbox.injectFault(account.igId, fault, 2);
    const queued = await send(conversationId, `After ${code}`);
    const changes: string[] = [];
    world.core.events.subscribe((e) => {
      if (e.name === 'outbox.messageChanged' && e.payload.id === queued.id && e.payload.errorCode)
        changes.push(e.payload.errorCode);
    });
    const row = await settled(world, queued.id, 'sent');
    expect(row.attempts).toBeGreaterThanOrEqual(3);
    expect(changes.some((c) => c.startsWith(code))).toBe(true);
    const sent = world.sandbox.sentMessages({ accountId: account.igId }).filter((s) => s.kind === 'message');
    expect(sent).toHaveLength(1);
  });

  it('gives up after the last attempt with the reason', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    world.sandbox.injectFault(account.igId, { kind: 'status', status: 503 }, null);
    const row = await settled(world, (await send(conversationId, 'Never')).id, 'failed');
    expect(row.errorText).toMatch(/^Not sent after 4 attempts: Meta had a temporary problem/);
    world.sandbox.clearFaults(account.igId);
  });
});

describe('permanent failures: not retried, Meta code and plain words stored', () => {
  it('551: the person is unavailable', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    world.sandbox.injectFault(
      account.igId,
      { kind: 'error', code: 551, subcode: 1545041, message: "This person isn't available right now" },
      1,
    );
    const row = await settled(world, (await send(conversationId, 'Hi')).id, 'failed');
    expect(row).toMatchObject({ errorCode: '551/1545041', attempts: 1 });
    expect(row.errorText).toContain("isn't receiving messages from you");
  });

  it("outside the window by Meta's clock", async () => {
    const account = await world.addAccount();
    const customer = world.sandbox.createCustomer(account.igId, { lastInboundSecondsAgo: 25 * 3600 });
    // The core believes the person wrote a minute ago (a webhook it got late, say): Meta decides.
    const { conversationId } = await world.core.database.repositories.conversations.ingest({
      accountId: account.view.id,
      participantIgsid: customer.igsid,
      mid: `m_late_${customer.igsid}`,
      direction: 'inbound',
      text: 'hi',
      createdAt: new Date(world.now().getTime() - 60_000),
    });
    const row = await settled(world, (await send(conversationId, 'Hi')).id, 'failed');
    expect(row).toMatchObject({ errorCode: '10/2534022', attempts: 1 });
    expect(row.errorText).toContain('within 24 hours');
  });

  it('10: a permission is missing', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    world.sandbox.injectFault(
      account.igId,
      { kind: 'error', code: 10, message: 'Permission denied', status: 403 },
      1,
    );
    const row = await settled(world, (await send(conversationId, 'Hi')).id, 'failed');
    expect(row).toMatchObject({ errorCode: '10', attempts: 1 });
    expect(row.errorText).toContain('permission');
  });

  it('190 holds the account queue, and a new token through accounts.update resumes it', async () => {
    const account = await world.addAccount();
    const { conversationId } = await world.addCustomer(account);
    world.sandbox.updateToken(account.token, { revokeSubcode: 460 });
    const first = await send(conversationId, 'one');
    const second = await send(conversationId, 'two');
    await world.until(async () => {
      const row = await world.core.database.repositories.outbox.get(first.id);
      return row?.errorCode === '190/460' && row.waitKind === 'held';
    }, 'held');
    const view = await world.call<{ accounts: OutboxQueue[] }>('outbox.queue', {
      accountId: account.view.id,
    });
    expect(view.accounts[0]).toMatchObject({ held: 2, failed: 0 });
    expect(view.accounts[0]!.heldReason).toContain('Needs reconnect: The password was changed');
    const accountView = await world.call<{ health: unknown }>('accounts.get', { id: account.view.id });
    expect(accountView.health).toMatchObject({ status: 'error', needsReconnect: true });
    expect(world.sandbox.sentMessages({ accountId: account.igId })).toHaveLength(0);

    const fresh = world.sandbox.issueToken(account.igId);
    await world.call('accounts.update', { id: account.view.id, accessToken: fresh.token });
    await settled(world, second.id, 'sent');
    expect((await world.core.database.repositories.outbox.get(first.id))?.state).toBe('sent');
    expect(world.sandbox.sentMessages({ accountId: account.igId }).map((s) => s.message?.text)).toEqual([
      'one',
      'two',
    ]);
  });
});

describe('pacing', () => {
  it('never exceeds the per-second and hourly budgets; spent budget waits visibly, nothing dropped', async () => {
    const account = await world.addAccount({ hourlyBudget: 5, rateLimits: { perSecond: 2, perHour: 5 } });
    await world.call('outbox.setPacing', { accountId: account.view.id, perSecond: 2 });
    const ids: number[] = [];
    for (let c = 0; c < 4; c += 1) {
      const { conversationId } = await world.addCustomer(account);
      for (const text of ['a', 'b']) ids.push((await send(conversationId, `${text}${c}`)).id);
    }
    await world.until(async () => {
      const pending = await world.core.database.repositories.outbox.listPendingByAccount(account.view.id);
      return (
        world.sandbox.sentMessages({ accountId: account.igId }).length === 5 &&
        pending.length === 3 &&
        pending.every((row) => row.waitKind === 'paced' && row.waitReason?.includes('per hour'))
      );
    }, 'five sent and three waiting for the hourly budget');
    const [queue] = (
      await world.call<{ accounts: OutboxQueue[] }>('outbox.queue', { accountId: account.view.id })
    ).accounts;
    expect(queue).toMatchObject({ paced: 3, budget: { perSecond: 2, perHour: 5, usedLastHour: 5 } });
    const paced = (
      await world.call<{ messages: OutboxMessageView[] }>('outbox.listConversation', {
        conversationId: (await world.core.database.repositories.outbox.get(ids[7]!))!.conversationId,
      })
    ).messages.find((m) => m.state === 'pending');
    expect(paced?.reason).toContain('has used its budget of 5 messages per hour');

    world.advance(HOUR);
    world.sandbox.clock.advance(HOUR);
    world.core.outbox.worker.notify();
    for (const id of ids) await settled(world, id, 'sent');
    const counters = world.sandbox.counters(account.igId);
    expect(counters.accepted).toBe(8);
    expect(counters.rejected).toBe(0);
    expect(counters.maxPerSecond).toBeLessThanOrEqual(2);
    expect(counters.maxPerHour).toBeLessThanOrEqual(5);
  });
});
