/**
 * The one read behind a new-message notification (`inbox.notificationFacts`), on both dialects: what it says
 * of the conversation, the account and the message, and what it says when one of them is not there.
 */
import { beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../support/databases';
import { addAccount, igsid, message } from '../inbox/support';

forEachDialect('notification facts', (get) => {
  let account: { id: string; username: string };

  beforeAll(async () => {
    const { repos } = get();
    const created = await addAccount(repos, 'Sunrise Bakery');
    account = await repos.accounts.update(created.id, {
      settings: { ...created.settings, timezone: 'Europe/Madrid' },
    });
  });

  it('reads who wrote, the client, its time zone and the text', async () => {
    const { repos } = get();
    const [stored] = await repos.conversations.ingestMany([
      message(account.id, { igsid: igsid(), name: 'Maria Lopez', username: 'maria.l' }, 0, {
        text: 'Hola 👋',
      }),
    ]);
    const facts = await repos.inbox.notificationFacts({
      accountId: account.id,
      conversationId: stored!.conversationId,
      messageId: stored!.messageId,
    });
    expect(facts).toEqual({
      conversation: { status: 'active', participantName: 'Maria Lopez', participantUsername: 'maria.l' },
      account: { username: account.username, clientName: 'Sunrise Bakery', timezone: 'Europe/Madrid' },
      message: { text: 'Hola 👋', isEcho: false, isDeleted: false },
    });
  });

  it('says when the message was removed, is an echo, or belongs to another conversation', async () => {
    const { repos } = get();
    const person = { igsid: igsid(), name: 'Leo' };
    const [first, echo] = await repos.conversations.ingestMany([
      message(account.id, person, 60_000, { text: 'never mind' }),
      message(account.id, person, 0, { text: 'Thanks!', direction: 'outbound', isEcho: true }),
    ]);
    const [elsewhere] = await repos.conversations.ingestMany([
      message(account.id, { igsid: igsid(), name: 'Ines' }, 0, { text: 'other thread' }),
    ]);
    const unsent = await repos.conversations.getMessage(first!.messageId);
    await repos.conversations.markMessageDeleted(account.id, unsent!.mid, new Date());
    const facts = (messageId: number) =>
      repos.inbox.notificationFacts({
        accountId: account.id,
        conversationId: first!.conversationId,
        messageId,
      });

    expect((await facts(first!.messageId))?.message).toEqual({ text: null, isEcho: false, isDeleted: true });
    expect((await facts(echo!.messageId))?.message).toEqual({
      text: 'Thanks!',
      isEcho: true,
      isDeleted: false,
    });
    expect((await facts(elsewhere!.messageId))?.message).toBeNull();
    expect((await facts(elsewhere!.messageId))?.conversation.participantName).toBe('Leo');
  });

  it('is null for a conversation that is gone, and has no account for an unknown one', async () => {
    const { repos } = get();
    const [stored] = await repos.conversations.ingestMany([message(account.id, { igsid: igsid() }, 0)]);
    expect(
      await repos.inbox.notificationFacts({
        accountId: account.id,
        conversationId: 987_654_321,
        messageId: 1,
      }),
    ).toBeNull();
    const facts = await repos.inbox.notificationFacts({
      accountId: 'no-such-account',
      conversationId: stored!.conversationId,
      messageId: stored!.messageId,
    });
    expect(facts?.account).toBeNull();
    expect(facts?.message).not.toBeNull();
  });
});
