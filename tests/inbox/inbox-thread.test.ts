/**
 * Thread pages on both dialects: newest first with a cursor for older messages, replies quoted with
 * the quoted text, reactions by side, unsent and edited messages, who sent an outbound message and
 * its outbox state, and attachment URLs reduced to http(s).
 */
import { beforeAll, expect, it } from 'vitest';
import type { ThreadMessage } from '../../shared/contract';
import { forEachDialect } from '../support/databases';
import { HOUR, addAccount, igsid, inboxService, message } from './support';

forEachDialect('inbox thread', (get) => {
  let accountId: string;
  let conversationId: number;
  const person = { igsid: igsid(), name: 'Quinn', username: 'quinn' };
  const mids: Record<string, string> = {};

  beforeAll(async () => {
    const { repos } = get();
    accountId = (await addAccount(repos, 'Thread Client')).id;
    const first = message(accountId, person, 10 * HOUR, { text: 'Do you have <b>vegan</b> options?' });
    const answer = message(accountId, person, 9 * HOUR, {
      direction: 'outbound',
      isEcho: true,
      sentBy: 'app',
      text: 'Yes, three!',
    });
    const phone = message(accountId, person, 8 * HOUR, {
      direction: 'outbound',
      isEcho: true,
      sentBy: 'phone',
      text: 'Typed on the phone',
    });
    const reply = message(accountId, person, 7 * HOUR, { text: 'Great', replyToMid: answer.mid });
    const media = message(accountId, person, 6 * HOUR, {
      kind: 'story_mention',
      text: null,
      attachments: [
        { type: 'story_mention', url: 'javascript:alert(1)', title: null, payload: null },
        { type: 'image', url: 'https://cdn.example/a.jpg', title: null, payload: null },
      ],
    });
    const tapped = message(accountId, person, 5 * HOUR, {
      kind: 'postback',
      text: 'Opening hours',
      attachments: [{ type: 'postback', payload: 'HOURS', title: 'Opening hours' }],
    });
    await repos.conversations.ingestMany([first, answer, phone, reply, media, tapped]);
    Object.assign(mids, { first: first.mid, answer: answer.mid, reply: reply.mid, phone: phone.mid });
    conversationId = (await repos.conversations.findConversation(accountId, person.igsid))!.id;
    await repos.conversations.recordEdit(accountId, first.mid, {
      text: 'Do you have vegan cakes?',
      editedAt: new Date(Date.now() - 9.5 * HOUR),
    });
    await repos.conversations.markMessageDeleted(accountId, phone.mid, new Date());
    await repos.conversations.setReaction(accountId, answer.mid, person.igsid, '❤️');
    // The staff reply went through the outbox: its row names who sent it and its state.
    const queued = await repos.outbox.enqueue({
      accountId,
      conversationId,
      idempotencyKey: `t-${answer.mid.slice(-12)}`,
      payload: { text: 'Yes, three!' },
      text: 'Yes, three!',
      createdBy: { kind: 'staff', id: 'sam' },
    });
    await repos.outbox.claim(queued.message.id, new Date());
    await repos.outbox.markSent(queued.message.id, answer.mid);
  });

  const page = async (cursor?: string, limit = 3) =>
    inboxService(get().repos).service.thread({ conversationId, limit, ...(cursor ? { cursor } : {}) });

  it('pages newest first and reaches the oldest message by cursor', async () => {
    const first = await page();
    expect(first.messages.map((m) => m.kind)).toEqual(['postback', 'story_mention', 'text']);
    expect(first.nextCursor).not.toBeNull();
    const second = await page(first.nextCursor!);
    expect(second.messages.map((m) => m.text)).toEqual([null, 'Yes, three!', 'Do you have vegan cakes?']);
    expect(second.nextCursor).toBeNull();
  });

  async function all(): Promise<Map<string, ThreadMessage>> {
    const { messages } = await page(undefined, 50);
    return new Map(messages.map((m) => [m.mid, m]));
  }

  it('quotes the message a reply answers, and puts reactions on the message they react to', async () => {
    const byMid = await all();
    expect(byMid.get(mids.reply!)!.replyTo).toEqual({
      mid: mids.answer,
      found: true,
      text: 'Yes, three!',
      kind: 'text',
      direction: 'outbound',
      isDeleted: false,
    });
    expect(byMid.get(mids.answer!)!.reactions).toEqual([{ emoji: '❤️', from: 'customer' }]);
  });

  it('keeps edit history and the unsent state, with the text gone', async () => {
    const byMid = await all();
    expect(byMid.get(mids.first!)!.edits).toEqual([
      { previousText: 'Do you have <b>vegan</b> options?', editedAt: expect.any(String) as string },
    ]);
    expect(byMid.get(mids.phone!)).toMatchObject({ isDeleted: true, text: null, origin: { kind: 'phone' } });
  });

  it('says who sent an outbound message and its delivery state', async () => {
    const byMid = await all();
    expect(byMid.get(mids.answer!)).toMatchObject({
      origin: { kind: 'staff', label: 'sam' },
      delivery: { state: 'sent', reason: null },
    });
    expect(byMid.get(mids.first!)!.origin).toEqual({ kind: 'customer', label: null });
  });

  it('drops non-http(s) URLs and shows what the customer tapped', async () => {
    const { messages } = await page(undefined, 2);
    const [tapped, media] = messages;
    expect(tapped!.attachments).toEqual([
      { type: 'postback', url: null, title: 'Opening hours', detail: 'HOURS' },
    ]);
    expect(media!.attachments.map((a) => a.url)).toEqual([null, 'https://cdn.example/a.jpg']);
  });

  it('opening marks read, and a missing conversation is NOT_FOUND', async () => {
    const { service } = inboxService(get().repos);
    expect((await service.markRead(conversationId)).unreadCount).toBe(0);
    await expect(service.thread({ conversationId: 999_999 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
