/**
 * The inbox list on both dialects: newest first, keyset pages, every filter, unread counts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRow } from '../../shared/contract';
import { forEachDialect } from '../support/databases';
import { HOUR, addAccount, igsid, inboxService, message } from './support';

forEachDialect('inbox list', (get) => {
  let bakery: { id: string };
  let bakery2: { id: string };
  let gym: { id: string };
  const people = {
    ana: { igsid: igsid(), name: 'Ana Souza', username: 'ana.s' },
    ben: { igsid: igsid(), name: 'Ben Ode', username: 'ben_ode' },
    cleo: { igsid: igsid(), name: 'Cléo Martin', username: 'cleo' },
    dan: { igsid: igsid(), name: 'Dan', username: 'dan' },
  };

  beforeAll(async () => {
    const { repos } = get();
    bakery = await addAccount(repos, 'Rosie’s Bakery');
    bakery2 = await addAccount(repos, 'Rosie’s Bakery');
    gym = await addAccount(repos, 'Iron Gym');
    await repos.conversations.ingestMany([
      // Ana: answered by the business an hour ago (does not need a reply), read.
      message(bakery.id, people.ana, 3 * HOUR, { text: 'Do you deliver?' }),
      message(bakery.id, people.ana, 1 * HOUR, {
        direction: 'outbound',
        isEcho: true,
        sentBy: 'phone',
        text: 'Yes!',
      }),
      // Ben: wrote 22 hours ago, nobody answered: needs a reply, window closing.
      message(bakery2.id, people.ben, 22 * HOUR, { text: 'Price for a cake?' }),
      // Cléo: two unread messages 2 hours ago.
      message(gym.id, people.cleo, 2 * HOUR, { text: 'Open on Sunday?' }),
      message(gym.id, people.cleo, 2 * HOUR - 1000, {
        kind: 'image',
        text: null,
        attachments: [{ type: 'image', url: 'https://cdn.example/x.jpg' }],
      }),
      // Dan: 30 hours ago, window closed.
      message(gym.id, people.dan, 30 * HOUR, { text: 'Thanks' }),
    ]);
    const ana = await repos.conversations.findConversation(bakery.id, people.ana.igsid);
    await repos.conversations.markRead(ana!.id);
  });

  const names = (rows: ConversationRow[]) => rows.map((row) => row.participantName);

  it('lists every account newest activity first, with the last message’s kind and direction', async () => {
    const { service } = inboxService(get().repos);
    const { conversations, nextCursor } = await service.list({});
    expect(names(conversations)).toEqual(['Ana Souza', 'Cléo Martin', 'Ben Ode', 'Dan']);
    expect(nextCursor).toBeNull();
    const cleo = conversations[1]!;
    expect(cleo).toMatchObject({ unreadCount: 2, lastMessageKind: 'image', lastMessageDirection: 'inbound' });
    expect(cleo.lastMessagePreview).toBe('[image]');
    expect(conversations[0]).toMatchObject({ lastMessageDirection: 'outbound', unreadCount: 0 });
  });

  it('pages by cursor without gaps or repeats, also when times tie', async () => {
    const { repos } = get();
    const tied = await addAccount(repos, 'Tie Client');
    const at = Date.now() - 100 * HOUR;
    await repos.conversations.ingestMany(
      Array.from({ length: 7 }, (_, i) => ({
        ...message(tied.id, { igsid: igsid(), name: `Tied ${i}` }, 0),
        createdAt: new Date(at),
      })),
    );
    const { service } = inboxService(repos);
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const result = await service.list({
        filter: { accountIds: [tied.id] },
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...result.conversations.map((row) => row.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it('filters: unread, needs reply, window closing, account, client', async () => {
    const { service } = inboxService(get().repos);
    const only = async (filter: object) =>
      names(
        (await service.list({ filter: { accountIds: [bakery.id, bakery2.id, gym.id], ...filter } }))
          .conversations,
      );
    expect(await only({ unread: true })).toEqual(['Cléo Martin', 'Ben Ode', 'Dan']);
    expect(await only({ needsReply: true })).toEqual(['Cléo Martin', 'Ben Ode', 'Dan']);
    expect(await only({ windowClosing: true })).toEqual(['Ben Ode']);
    expect(await only({ accountIds: [gym.id] })).toEqual(['Cléo Martin', 'Dan']);
    expect(names((await service.list({ filter: { clientName: 'Rosie’s Bakery' } })).conversations)).toEqual([
      'Ana Souza',
      'Ben Ode',
    ]);
    expect((await service.list({ filter: { accountIds: [] } })).conversations).toEqual([]);
  });

  it('unread counts per account and in total count only active conversations', async () => {
    const { repos } = get();
    const { service } = inboxService(repos);
    const counts = await service.counts();
    const mine = counts.accounts.filter((a) => [bakery.id, bakery2.id, gym.id].includes(a.accountId));
    expect(mine).toEqual(
      expect.arrayContaining([
        { accountId: bakery2.id, unread: 1, unreadConversations: 1 },
        { accountId: gym.id, unread: 3, unreadConversations: 2 },
      ]),
    );
    expect(mine.find((a) => a.accountId === bakery.id)).toBeUndefined();
    expect(counts.totalUnread).toBe(counts.accounts.reduce((sum, a) => sum + a.unread, 0));
  });

  describe('changes', () => {
    it('status: archived and blocked leave the active list and its counts, and come back', async () => {
      const { repos } = get();
      const { service, published } = inboxService(repos);
      const dan = (await repos.conversations.findConversation(gym.id, people.dan.igsid))!;
      const archived = await service.update({ conversationId: dan.id, status: 'archived' });
      expect(archived.status).toBe('archived');
      expect(published).toContainEqual({
        name: 'inbox.conversationChanged',
        payload: { accountId: gym.id, conversationId: dan.id, cause: 'staff' },
      });
      const active = await service.list({ filter: { accountIds: [gym.id] } });
      expect(names(active.conversations)).toEqual(['Cléo Martin']);
      expect(
        names((await service.list({ filter: { accountIds: [gym.id], status: 'archived' } })).conversations),
      ).toEqual(['Dan']);
      expect((await service.counts()).accounts.find((a) => a.accountId === gym.id)).toMatchObject({
        unread: 2,
      });
      await service.update({ conversationId: dan.id, status: 'blocked' });
      expect(
        names((await service.list({ filter: { accountIds: [gym.id], status: 'blocked' } })).conversations),
      ).toEqual(['Dan']);
      await service.update({ conversationId: dan.id, status: 'active' });
      expect(names((await service.list({ filter: { accountIds: [gym.id] } })).conversations)).toEqual([
        'Cléo Martin',
        'Dan',
      ]);
    });

    it('labels: set, listed in use, filtered on (exact label, with spaces and accents)', async () => {
      const { repos } = get();
      const { service } = inboxService(repos);
      const ben = (await repos.conversations.findConversation(bakery2.id, people.ben.igsid))!;
      const cleo = (await repos.conversations.findConversation(gym.id, people.cleo.igsid))!;
      expect(
        (await service.update({ conversationId: ben.id, labels: ['VIP', 'order pending', 'VIP'] })).labels,
      ).toEqual(['VIP', 'order pending']);
      await service.update({ conversationId: cleo.id, labels: ['crème brûlée'] });
      expect((await service.labels()).labels).toEqual(
        expect.arrayContaining(['VIP', 'crème brûlée', 'order pending']),
      );
      expect(names((await service.list({ filter: { label: 'VIP' } })).conversations)).toEqual(['Ben Ode']);
      expect(names((await service.list({ filter: { label: 'crème brûlée' } })).conversations)).toEqual([
        'Cléo Martin',
      ]);
      expect((await service.list({ filter: { label: 'VI' } })).conversations).toEqual([]);
      await service.update({ conversationId: cleo.id, labels: [] });
      expect((await service.list({ filter: { label: 'crème brûlée' } })).conversations).toEqual([]);
    });

    it('assignment and automation pause are stored and filterable', async () => {
      const { repos } = get();
      const { service } = inboxService(repos);
      const ana = (await repos.conversations.findConversation(bakery.id, people.ana.igsid))!;
      const until = new Date(Date.now() + 2 * HOUR).toISOString();
      expect((await service.setAutomationPause(ana.id, until)).automationPausedUntil).toBe(until);
      expect((await service.update({ conversationId: ana.id, assignedTo: 'Sam' })).assignedTo).toBe('Sam');
      expect(names((await service.list({ filter: { assignedTo: 'Sam' } })).conversations)).toEqual([
        'Ana Souza',
      ]);
      expect((await service.setAutomationPause(ana.id, null)).automationPausedUntil).toBeNull();
      expect((await service.update({ conversationId: ana.id, assignedTo: null })).assignedTo).toBeNull();
    });

    it('mark read / mark unread move the row’s count and the totals', async () => {
      const { repos } = get();
      const { service } = inboxService(repos);
      const ben = (await repos.conversations.findConversation(bakery2.id, people.ben.igsid))!;
      expect((await service.markRead(ben.id)).unreadCount).toBe(0);
      expect((await service.counts()).accounts.find((a) => a.accountId === bakery2.id)).toBeUndefined();
      expect((await service.markUnread(ben.id)).unreadCount).toBe(1);
      // Marking unread again does not inflate the count.
      expect((await service.markUnread(ben.id)).unreadCount).toBe(1);
      expect((await service.counts()).accounts.find((a) => a.accountId === bakery2.id)).toMatchObject({
        unread: 1,
      });
    });

    it('notes: added with author and time, listed oldest first, deleted; never part of the thread', async () => {
      const { repos } = get();
      const { service } = inboxService(repos);
      const ana = (await repos.conversations.findConversation(bakery.id, people.ana.igsid))!;
      const first = await service.addNote({
        conversationId: ana.id,
        text: '  Wants 2 cakes <b>Friday</b> 🎂 ',
        author: 'Sam',
      });
      expect(first).toMatchObject({ author: 'Sam', text: 'Wants 2 cakes <b>Friday</b> 🎂' });
      await service.addNote({ conversationId: ana.id, text: 'Paid', author: 'Lee' });
      const detail = await service.getConversation(ana.id);
      expect(detail.notes.map((n) => n.text)).toEqual(['Wants 2 cakes <b>Friday</b> 🎂', 'Paid']);
      expect(await service.deleteNote(first.id)).toEqual({ deleted: true });
      expect(await service.deleteNote(first.id)).toEqual({ deleted: false });
      expect((await service.getConversation(ana.id)).notes.map((n) => n.author)).toEqual(['Lee']);
      const thread = await service.thread({ conversationId: ana.id });
      expect(thread.messages.map((m) => m.text)).not.toContain('Paid');
    });
  });
});
