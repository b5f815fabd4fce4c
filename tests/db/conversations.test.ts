import { describe, expect, it } from 'vitest';
import { forEachDialect } from '../support/databases';
import { igId, longMid, newAccount } from './fixtures';

forEachDialect('conversations and messages repository', (db) => {
  async function account() {
    return db().repos.accounts.create(newAccount());
  }

  it('keeps one conversation per (account, participant), and the same person on another account is another conversation', async () => {
    const { conversations } = db().repos;
    const a = await account();
    const b = await account();
    const person = igId();
    const first = await conversations.upsertConversation({
      accountId: a.id,
      participantIgsid: person,
      participantUsername: 'anna',
    });
    const again = await conversations.upsertConversation({
      accountId: a.id,
      participantIgsid: person,
      participantName: 'Anna Schmidt',
    });
    const other = await conversations.upsertConversation({ accountId: b.id, participantIgsid: person });
    expect(again.id).toBe(first.id);
    expect(again).toMatchObject({
      participantUsername: 'anna',
      participantName: 'Anna Schmidt',
      status: 'active',
      unreadCount: 0,
      messageCount: 0,
      labels: [],
    });
    expect(other.id).not.toBe(first.id);
    expect((await conversations.findConversation(a.id, person))?.id).toBe(first.id);
  });

  it('stores a message once: a redelivered mid changes nothing', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const mid = longMid();
    const participantIgsid = igId();
    const input = {
      accountId: acc.id,
      participantIgsid,
      mid,
      direction: 'inbound' as const,
      text: 'Hallo 👋🏽 ¿qué tal?',
      createdAt: new Date('2026-03-01T10:00:00.123Z'),
    };
    const first = await conversations.ingest(input);
    expect(first.inserted).toBe(true);
    const duplicate = await conversations.ingest({
      ...input,
      text: 'something else',
      createdAt: new Date('2026-03-01T11:00:00.000Z'),
    });
    expect(duplicate).toEqual({
      conversationId: first.conversationId,
      messageId: first.messageId,
      inserted: false,
    });

    const thread = await conversations.listThread(first.conversationId);
    expect(thread).toHaveLength(1);
    expect(thread[0]).toMatchObject({
      mid,
      text: 'Hallo 👋🏽 ¿qué tal?',
      direction: 'inbound',
      kind: 'text',
      isEcho: false,
      isDeleted: false,
    });
    expect(thread[0]!.createdAt.toISOString()).toBe('2026-03-01T10:00:00.123Z');
    const conversation = await conversations.getConversation(first.conversationId);
    expect(conversation).toMatchObject({
      messageCount: 1,
      unreadCount: 1,
      lastMessagePreview: 'Hallo 👋🏽 ¿qué tal?',
    });
    expect(conversation?.lastMessageAt?.toISOString()).toBe('2026-03-01T10:00:00.123Z');
  });

  it('treats mids differing only in letter case as different messages', async () => {
    const acc = await account();
    const participantIgsid = igId();
    const mid = `${longMid()}aB`;
    const upper = mid.slice(0, -2) + 'AB';
    const one = await db().repos.conversations.ingest({
      accountId: acc.id,
      participantIgsid,
      mid,
      direction: 'inbound',
      text: '1',
      createdAt: new Date(),
    });
    const two = await db().repos.conversations.ingest({
      accountId: acc.id,
      participantIgsid,
      mid: upper,
      direction: 'inbound',
      text: '2',
      createdAt: new Date(),
    });
    expect(one.inserted && two.inserted).toBe(true);
    expect(two.messageId).not.toBe(one.messageId);
  });

  it('allows the same mid on two accounts (both sides of a chat between managed accounts)', async () => {
    const a = await account();
    const b = await account();
    const mid = longMid();
    const one = await db().repos.conversations.ingest({
      accountId: a.id,
      participantIgsid: igId(),
      mid,
      direction: 'outbound',
      isEcho: true,
      sentBy: 'phone',
      createdAt: new Date(),
    });
    const two = await db().repos.conversations.ingest({
      accountId: b.id,
      participantIgsid: igId(),
      mid,
      direction: 'inbound',
      createdAt: new Date(),
    });
    expect(one.inserted).toBe(true);
    expect(two.inserted).toBe(true);
  });

  it('keeps counters, the 24 h window start and the last message right when events arrive out of order', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const participantIgsid = igId();
    const base = { accountId: acc.id, participantIgsid };
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s, 500));
    await conversations.ingest({
      ...base,
      mid: longMid(),
      direction: 'inbound',
      text: 'second',
      createdAt: t(2),
    });
    await conversations.ingest({
      ...base,
      mid: longMid(),
      direction: 'inbound',
      text: 'first',
      createdAt: t(1),
    });
    const reply = await conversations.ingest({
      ...base,
      mid: longMid(),
      direction: 'outbound',
      isEcho: true,
      sentBy: 'staff',
      text: 'answer',
      createdAt: t(3),
    });
    const c = await conversations.getConversation(reply.conversationId);
    expect(c).toMatchObject({ messageCount: 3, unreadCount: 2, lastMessagePreview: 'answer' });
    expect(c?.lastMessageAt?.getTime()).toBe(t(3).getTime());
    expect(c?.lastInboundAt?.getTime()).toBe(t(2).getTime());

    await conversations.markRead(reply.conversationId);
    expect((await conversations.getConversation(reply.conversationId))?.unreadCount).toBe(0);
  });

  it('pages a thread newest first without gaps or repeats', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const participantIgsid = igId();
    const times = Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2026, 1, 1, 0, 0, 0, i)));
    // Two messages share a millisecond: the id breaks the tie.
    times.push(new Date(times[6]!.getTime()));
    for (const [i, createdAt] of times.entries()) {
      await conversations.ingest({
        accountId: acc.id,
        participantIgsid,
        mid: longMid(),
        direction: 'inbound',
        text: `m${i}`,
        createdAt,
      });
    }
    const conversation = await conversations.findConversation(acc.id, participantIgsid);
    const page1 = await conversations.listThread(conversation!.id, { limit: 3 });
    const last = page1.at(-1)!;
    const page2 = await conversations.listThread(conversation!.id, {
      limit: 3,
      before: { createdAt: last.createdAt, id: last.id },
    });
    const lastOf2 = page2.at(-1)!;
    const page3 = await conversations.listThread(conversation!.id, {
      limit: 3,
      before: { createdAt: lastOf2.createdAt, id: lastOf2.id },
    });
    expect([...page1, ...page2, ...page3].map((m) => m.text)).toEqual([
      'm7',
      'm6',
      'm5',
      'm4',
      'm3',
      'm2',
      'm1',
      'm0',
    ]);
  });

  it('lists the inbox across accounts newest first, filters by account and status, and pages', async () => {
    const { conversations } = db().repos;
    const a = await account();
    const b = await account();
    const when = (minute: number) => new Date(Date.UTC(2099, 0, 1, 0, minute));
    const ids: Record<string, number> = {};
    for (const [name, acc, minute] of [
      ['a1', a, 1],
      ['b1', b, 2],
      ['a2', a, 3],
      ['b2', b, 4],
    ] as const) {
      const r = await conversations.ingest({
        accountId: acc.id,
        participantIgsid: igId(),
        mid: longMid(),
        direction: 'inbound',
        text: name,
        createdAt: when(minute),
      });
      ids[name] = r.conversationId;
    }
    await conversations.updateConversation(ids.b1!, { status: 'archived' });
    const mine = { accountIds: [a.id, b.id] };
    expect((await conversations.listInbox(mine)).map((c) => c.lastMessagePreview)).toEqual([
      'b2',
      'a2',
      'a1',
    ]);
    expect((await conversations.listInbox({ accountIds: [a.id] })).map((c) => c.lastMessagePreview)).toEqual([
      'a2',
      'a1',
    ]);
    expect(
      (await conversations.listInbox({ ...mine, status: 'archived' })).map((c) => c.lastMessagePreview),
    ).toEqual(['b1']);
    const first = await conversations.listInbox({ ...mine, limit: 2 });
    const next = await conversations.listInbox({
      ...mine,
      limit: 2,
      before: { lastMessageAt: first[1]!.lastMessageAt!, id: first[1]!.id },
    });
    expect(next.map((c) => c.lastMessagePreview)).toEqual(['a1']);
    // Across all accounts (other tests' rows too), these newest rows come first.
    expect((await conversations.listInbox({ limit: 2 })).map((c) => c.lastMessagePreview)).toEqual([
      'b2',
      'a2',
    ]);
  });

  it('counts unread messages per account', async () => {
    const { conversations } = db().repos;
    const a = await account();
    const b = await account();
    const quiet = await account();
    const personA1 = igId();
    for (let i = 0; i < 3; i++)
      await conversations.ingest({
        accountId: a.id,
        participantIgsid: personA1,
        mid: longMid(),
        direction: 'inbound',
        createdAt: new Date(),
      });
    const a2 = await conversations.ingest({
      accountId: a.id,
      participantIgsid: igId(),
      mid: longMid(),
      direction: 'inbound',
      createdAt: new Date(),
    });
    await conversations.ingest({
      accountId: b.id,
      participantIgsid: igId(),
      mid: longMid(),
      direction: 'inbound',
      createdAt: new Date(),
    });
    await conversations.ingest({
      accountId: quiet.id,
      participantIgsid: igId(),
      mid: longMid(),
      direction: 'outbound',
      isEcho: true,
      sentBy: 'app',
      createdAt: new Date(),
    });
    await conversations.markRead(a2.conversationId);
    const counts = new Map((await db().repos.inbox.unreadByAccount()).map((c) => [c.accountId, c.unread]));
    expect(counts.get(a.id)).toBe(3);
    expect(counts.get(b.id)).toBe(1);
    expect(counts.has(quiet.id)).toBe(false);
  });

  it('records unsend, edits with history and reactions on the stored message', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const mid = longMid();
    await conversations.ingest({
      accountId: acc.id,
      participantIgsid: igId(),
      mid,
      direction: 'inbound',
      text: 'typo',
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
    });
    expect(
      await conversations.recordEdit(acc.id, mid, {
        text: 'fixed',
        editedAt: new Date('2026-01-01T00:01:00.000Z'),
        numEdit: 1,
      }),
    ).toBe(true);
    expect(await conversations.setReaction(acc.id, mid, '1234', '❤️')).toBe(true);
    let message = await conversations.getMessageByMid(acc.id, mid);
    expect(message).toMatchObject({
      text: 'fixed',
      editHistory: [{ previousText: 'typo', editedAt: '2026-01-01T00:01:00.000Z', numEdit: 1 }],
      reactions: { '1234': '❤️' },
    });
    await conversations.setReaction(acc.id, mid, '1234', null);
    expect(await conversations.markMessageDeleted(acc.id, mid, new Date('2026-01-01T00:02:00.250Z'))).toBe(
      true,
    );
    message = await conversations.getMessageByMid(acc.id, mid);
    expect(message).toMatchObject({ isDeleted: true, text: null, reactions: {} });
    expect(message?.deletedAt?.toISOString()).toBe('2026-01-01T00:02:00.250Z');
    expect(await conversations.markMessageDeleted(acc.id, longMid(), new Date())).toBe(false);
  });

  it('stores rich message fields: kind, attachments, reply_to, echo, raw event', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const replyTo = longMid();
    const rawEvent = {
      sender: { id: '1' },
      recipient: { id: '2' },
      timestamp: 1_762_010_783_728,
      message: { mid: 'x', attachments: [{ type: 'image' }] },
    };
    const r = await conversations.ingest({
      accountId: acc.id,
      participantIgsid: igId(),
      mid: longMid(),
      direction: 'outbound',
      kind: 'image',
      attachments: [{ type: 'image', payload: { url: 'https://cdn.example/a.png' } }],
      replyToMid: replyTo,
      isEcho: true,
      sentBy: 'phone',
      rawEvent,
      createdAt: new Date(1_762_010_783_728),
    });
    const [message] = await conversations.listThread(r.conversationId);
    expect(message).toMatchObject({
      kind: 'image',
      attachments: [{ type: 'image', payload: { url: 'https://cdn.example/a.png' } }],
      replyToMid: replyTo,
      isEcho: true,
      sentBy: 'phone',
      rawEvent,
    });
    expect(message!.createdAt.getTime()).toBe(1_762_010_783_728);
    expect((await conversations.getConversation(r.conversationId))?.lastMessagePreview).toBe('[image]');
    expect((await conversations.getConversation(r.conversationId))?.unreadCount).toBe(0);
  });

  it('updates conversation fields staff edit', async () => {
    const { conversations } = db().repos;
    const acc = await account();
    const c = await conversations.upsertConversation({ accountId: acc.id, participantIgsid: igId() });
    const until = new Date('2026-06-01T12:30:45.678Z');
    const updated = await conversations.updateConversation(c.id, {
      assignedTo: 'maria',
      automationPausedUntil: until,
      labels: ['vip', 'vip', 'lead 🔥'],
      notes: 'Prefers German',
      status: 'blocked',
    });
    expect(updated).toMatchObject({
      assignedTo: 'maria',
      labels: ['vip', 'lead 🔥'],
      notes: 'Prefers German',
      status: 'blocked',
    });
    expect(updated.automationPausedUntil?.toISOString()).toBe('2026-06-01T12:30:45.678Z');
    await expect(conversations.updateConversation(999_999_999, { notes: 'x' })).rejects.toMatchObject({
      code: 'DB_NOT_FOUND',
    });
  });

  describe('input validation', () => {
    it('rejects over-long mids, invalid directions and kinds, text over 64 KB, and non-JSON attachments', async () => {
      const acc = await account();
      const base = {
        accountId: acc.id,
        participantIgsid: igId(),
        direction: 'inbound' as const,
        createdAt: new Date(),
      };
      const { conversations } = db().repos;
      await expect(conversations.ingest({ ...base, mid: 'a'.repeat(513) })).rejects.toMatchObject({
        code: 'DB_INVALID_INPUT',
        field: 'mid',
      });
      await expect(
        conversations.ingest({ ...base, mid: longMid(), direction: 'sideways' as never }),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'direction' });
      await expect(
        conversations.ingest({ ...base, mid: longMid(), kind: 'hologram' as never }),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'kind' });
      await expect(
        conversations.ingest({ ...base, mid: longMid(), text: '😀'.repeat(16_384) }),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'text' });
      await expect(
        conversations.ingest({ ...base, mid: longMid(), attachments: [{ size: 10n }] as never }),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT' });
      await expect(
        conversations.ingest({ ...base, mid: longMid(), createdAt: new Date(Number.NaN) }),
      ).rejects.toMatchObject({ code: 'DB_INVALID_INPUT', field: 'createdAt' });
      expect(await conversations.findConversation(acc.id, base.participantIgsid)).toBeNull();
    });

    it('accepts a 512-character mid and text of exactly 65,535 bytes', async () => {
      const acc = await account();
      const mid = 'Z'.repeat(512);
      const text = '😀'.repeat(16_383) + 'abc';
      const r = await db().repos.conversations.ingest({
        accountId: acc.id,
        participantIgsid: igId(),
        mid,
        direction: 'inbound',
        text,
        createdAt: new Date(),
      });
      const stored = await db().repos.conversations.getMessageByMid(acc.id, mid);
      expect(r.inserted).toBe(true);
      expect(stored?.text).toBe(text);
    });
  });
});
