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

  /** One of our messages to the person, claimed for sending (`sending`, no Graph id yet). */
  async function sending(key: string, text: string, createdBy: { kind: 'staff' | 'rule'; id: string }) {
    const { repos } = db();
    const { message } = await repos.outbox.enqueue({
      accountId: 'acc',
      conversationId,
      idempotencyKey: `acc:${key}`,
      payload: { v: 1 },
      text,
      createdBy,
    });
    const claimed = await repos.outbox.claim(message.id, new Date());
    expect(claimed?.state).toBe('sending');
    return message;
  }

  it('getByGraphMessageId finds a sent message; its echo is ours', async () => {
    const { repos } = db();
    const message = await sending('k1', 'Hello', { kind: 'staff', id: 'me' });
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
    const message = await sending('k2', 'Lost answer', { kind: 'rule', id: 'r1' });
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

  it('an echo that comes before the send is recorded is linked to the send in flight, which stays sending', async () => {
    const { repos } = db();
    const message = await sending('k3', 'On its way', { kind: 'staff', id: 'me' });
    const echo = { accountId: 'acc', participantIgsid: '900', at: new Date() };
    // Someone typing other words on the phone meanwhile is not our send.
    expect(await repos.outbox.reconcileEcho({ ...echo, mid: 'mid.phone.2', text: 'Be right there' })).toEqual(
      {
        ours: false,
        resolved: null,
      },
    );
    const linked = await repos.outbox.reconcileEcho({ ...echo, mid: 'mid.echo.3', text: 'On its way' });
    expect(linked).toMatchObject({
      ours: true,
      resolved: { id: message.id, state: 'sending', graphMessageId: 'mid.echo.3' },
    });
    // The answer then arrives with the same id.
    await repos.outbox.markSent(message.id, 'mid.echo.3');
    expect(await repos.outbox.get(message.id)).toMatchObject({ state: 'sent', graphMessageId: 'mid.echo.3' });
  });

  it('a linked send whose answer was lost and that was marked unknown is resolved by its echo again', async () => {
    const { repos } = db();
    const message = await sending('k4', 'Twice seen', { kind: 'rule', id: 'r1' });
    const echo = {
      accountId: 'acc',
      participantIgsid: '900',
      mid: 'mid.echo.4',
      text: 'Twice seen',
      at: new Date(),
    };
    await repos.outbox.reconcileEcho(echo);
    await repos.outbox.markUnknown(message.id, 'Unknown — check the thread');
    const again = await repos.outbox.reconcileEcho(echo);
    expect(again).toMatchObject({
      ours: true,
      resolved: { id: message.id, state: 'sent', graphMessageId: 'mid.echo.4' },
    });
  });
});
