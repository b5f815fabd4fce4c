/**
 * Echo webhooks of our own sends: marked as the app's, and an `unknown` send resolved by its echo.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/databases';

forEachDialect('outbox echo reconciliation', (db) => {
  let conversationId = 0;
  beforeAll(async () => {
    const { repos } = db();
    await repos.accounts.create({ id: 'acc', instagramAccountId: '17841400000000001', username: 'shop' });
    conversationId = (
      await repos.conversations.ingest({
        accountId: 'acc',
        participantIgsid: '900',
        mid: 'm_in',
        direction: 'inbound',
        text: 'hi',
        createdAt: new Date(),
      })
    ).conversationId;
  });
  afterAll(() => undefined);

  it('getByGraphMessageId finds a sent message; its echo is ours', async () => {
    const { repos } = db();
    const { message } = await repos.outbox.enqueue({
      accountId: 'acc',
      conversationId,
      idempotencyKey: 'acc:k1',
      payload: { v: 1 },
      text: 'Hello',
      createdBy: { kind: 'staff', id: 'me' },
    });
    const [claimed] = await Promise.all([repos.outbox.claim(message.id, new Date())]);
    expect(claimed?.state).toBe('sending');
    await repos.outbox.markSent(message.id, 'mid.sent.1');
    expect((await repos.outbox.getByGraphMessageId('acc', 'mid.sent.1'))?.id).toBe(message.id);
    expect(
      await repos.outbox.reconcileEcho({
        accountId: 'acc',
        participantIgsid: '900',
        mid: 'mid.sent.1',
        text: 'Hello',
        at: new Date(),
      }),
    ).toEqual({ ours: true, resolved: null });
    expect(
      await repos.outbox.reconcileEcho({
        accountId: 'acc',
        participantIgsid: '900',
        mid: 'mid.phone',
        text: 'Other',
        at: new Date(),
      }),
    ).toEqual({ ours: false, resolved: null });
  });

  it('an unknown send is resolved by the echo with the same text', async () => {
    const { repos } = db();
    const { message } = await repos.outbox.enqueue({
      accountId: 'acc',
      conversationId,
      idempotencyKey: 'acc:k2',
      payload: { v: 1 },
      text: 'Lost answer',
      createdBy: { kind: 'rule', id: 'r1' },
    });
    await repos.outbox.claim(message.id, new Date());
    await repos.outbox.markUnknown(message.id, 'Unknown — check the thread');
    const result = await repos.outbox.reconcileEcho({
      accountId: 'acc',
      participantIgsid: '900',
      mid: 'mid.echo.2',
      text: 'Lost answer',
      at: new Date(),
    });
    expect(result.ours).toBe(true);
    expect(result.resolved).toMatchObject({ id: message.id, state: 'sent', graphMessageId: 'mid.echo.2' });
  });
});
