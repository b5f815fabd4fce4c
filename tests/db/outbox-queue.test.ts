import { expect, it } from 'vitest';
import { forEachDialect } from '../support/databases';
import { igId, newAccount } from './fixtures';

forEachDialect('outbox queue view repository', (db) => {
  /** Queues a text reply from a rule (due long ago) in the account's conversation. */
  async function queueText(accountId: string, conversationId: number, text: string) {
    const { message } = await db().repos.outbox.enqueue({
      accountId,
      conversationId,
      idempotencyKey: `q:${igId()}`,
      payload: { type: 'text', text },
      text,
      createdBy: { kind: 'rule', id: 'r1' },
      nextAttemptAt: new Date('2000-01-01T00:00:00.000Z'),
    });
    return message;
  }

  /** An account with two conversations and one message in each bucket (two waiting). */
  async function stocked() {
    const { accounts, conversations, outbox } = db().repos;
    const account = await accounts.create(newAccount());
    const ana = await conversations.upsertConversation({
      accountId: account.id,
      participantIgsid: igId(),
      participantUsername: 'ana.bakes',
    });
    const ben = await conversations.upsertConversation({ accountId: account.id, participantIgsid: igId() });
    const early = new Date('2000-01-01T00:00:00.000Z');
    const queue = async (conversationId: number, text: string) =>
      (await queueText(account.id, conversationId, text)).id;
    const ids = {
      waiting1: await queue(ana.id, 'first 🎂'),
      waiting2: await queue(ben.id, 'second'),
      paced: await queue(ana.id, 'paced'),
      held: await queue(ben.id, 'held'),
      failed: await queue(ana.id, 'failed'),
      expired: await queue(ben.id, 'expired'),
    };
    await outbox.setWaiting([ids.paced], 'paced', 'Budget spent', new Date('2030-01-01T00:00:05.000Z'));
    await outbox.setWaiting([ids.held], 'held', 'Needs reconnect');
    await outbox.claim(ids.failed, early);
    await outbox.markFailed(ids.failed, { code: '551', text: 'This person is not available.' });
    await outbox.markExpired(ids.expired, 'The 24-hour window closed.');
    return { account, ana, ids };
  }

  it('lists each bucket with the recipient, oldest first while waiting and newest first when done', async () => {
    const { outboxQueue } = db().repos;
    const { account, ana, ids } = await stocked();
    const page = await outboxQueue.listBucket({ accountId: account.id, bucket: 'waiting' });
    expect(page.rows.map((row) => row.id)).toEqual([ids.waiting1, ids.waiting2]);
    expect(page.rows[0]).toMatchObject({
      text: 'first 🎂',
      createdBy: { kind: 'rule', id: 'r1' },
      recipient: { igsid: ana.participantIgsid, username: 'ana.bakes', name: null },
    });
    expect(page.next).toBeNull();
    for (const bucket of ['paced', 'held', 'failed', 'expired'] as const) {
      const rows = (await outboxQueue.listBucket({ accountId: account.id, bucket })).rows;
      expect(rows.map((row) => row.id)).toEqual([ids[bucket]]);
    }
    const failed = (await outboxQueue.listBucket({ accountId: account.id, bucket: 'failed' })).rows[0];
    expect(failed).toMatchObject({
      errorCode: '551',
      errorText: 'This person is not available.',
      attempts: 1,
    });
    expect((await outboxQueue.listBucket({ accountId: account.id, bucket: 'sending' })).rows).toEqual([]);
  });

  it('pages with a keyset cursor in both directions without gaps or repeats', async () => {
    const { outboxQueue, outbox } = db().repos;
    const { account, ids } = await stocked();
    const extra = await outboxQueue.listBucket({ accountId: account.id, bucket: 'waiting', limit: 1 });
    expect(extra.rows.map((row) => row.id)).toEqual([ids.waiting1]);
    expect(extra.next).toBe(ids.waiting1);
    const second = await outboxQueue.listBucket({
      accountId: account.id,
      bucket: 'waiting',
      limit: 1,
      after: extra.next!,
    });
    expect(second).toMatchObject({ rows: [{ id: ids.waiting2 }], next: null });

    // Fail the two waiting ones too: failed is newest first, and pages walk down.
    for (const id of [ids.waiting1, ids.waiting2]) {
      await outbox.claim(id, new Date());
      await outbox.markFailed(id, { code: '2', text: 'Meta had a temporary problem.' });
    }
    const seen: number[] = [];
    let cursor: number | undefined;
    do {
      const page = await outboxQueue.listBucket({
        accountId: account.id,
        bucket: 'failed',
        limit: 2,
        ...(cursor ? { after: cursor } : {}),
      });
      seen.push(...page.rows.map((row) => row.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual([ids.waiting2, ids.waiting1, ids.failed].sort((a, b) => b - a));
  });

  it('counts recent expiries, says when the next paced one goes, and keeps accounts apart', async () => {
    const { outboxQueue } = db().repos;
    const { account, ids } = await stocked();
    const other = await stocked();
    expect(await outboxQueue.countExpiredSince(account.id, new Date(Date.now() - 60_000))).toBe(1);
    expect(await outboxQueue.countExpiredSince(account.id, new Date(Date.now() + 60_000))).toBe(0);
    expect((await outboxQueue.nextPacedAt(account.id))?.toISOString()).toBe('2030-01-01T00:00:05.000Z');
    const rows = (await outboxQueue.listBucket({ accountId: account.id, bucket: 'paced' })).rows;
    expect(rows.map((row) => row.id)).toEqual([ids.paced]);
    expect(rows.map((row) => row.id)).not.toContain(other.ids.paced);
    const fresh = await db().repos.accounts.create(newAccount());
    expect(await outboxQueue.nextPacedAt(fresh.id)).toBeNull();
  });

  it('queues a message behind one that waits for its account as waiting with it, in that conversation only', async () => {
    const { outbox, outboxQueue, conversations } = db().repos;
    const { account, ana, ids } = await stocked();
    const carla = await conversations.upsertConversation({ accountId: account.id, participantIgsid: igId() });
    const queue = (conversationId: number, text: string) => queueText(account.id, conversationId, text);
    // Ana's queue has a paced message (and the one queued first, still waiting, ahead of it).
    const behindPaced = await queue(ana.id, 'after the budget');
    expect(behindPaced).toMatchObject({ waitKind: 'paced', waitReason: 'Budget spent' });
    expect(behindPaced.nextAttemptAt.toISOString()).toBe('2030-01-01T00:00:05.000Z');
    // Carla's queue is empty: the worker decides about the account when it gets there.
    expect((await queue(carla.id, 'first for Carla')).waitKind).toBeNull();
    // Stored so, not only said so.
    const paced = (await outboxQueue.listBucket({ accountId: account.id, bucket: 'paced' })).rows;
    expect(paced.map((row) => row.id)).toEqual([ids.paced, behindPaced.id]);
    // Once the one ahead has gone, what is queued next waits for nothing.
    await outbox.claim(ids.paced, new Date('2030-01-01T00:00:05.000Z'));
    await outbox.markSent(ids.paced, 'mid.sent');
    await outbox.claim(behindPaced.id, new Date('2030-01-01T00:00:05.000Z'));
    await outbox.markSent(behindPaced.id, 'mid.sent.2');
    expect((await queue(ana.id, 'once it went')).waitKind).toBeNull();
  });

  it('refuses a bad page request before the database sees it', async () => {
    const { outboxQueue } = db().repos;
    await expect(outboxQueue.listBucket({ accountId: 'a b', bucket: 'waiting' })).rejects.toMatchObject({
      code: 'DB_INVALID_INPUT',
    });
    await expect(outboxQueue.listBucket({ accountId: 'a', bucket: 'stuck' as never })).rejects.toMatchObject({
      code: 'DB_INVALID_INPUT',
    });
    await expect(
      outboxQueue.listBucket({ accountId: 'a', bucket: 'failed', limit: 0 }),
    ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT' });
  });
});
