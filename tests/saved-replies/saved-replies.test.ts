/**
 * Saved replies on both dialects, through the service the contract calls: per-account and all-accounts
 * replies, names unique among what one account is offered, version checks, bodies checked against the
 * account's variables, and the list for a conversation filled in with its values (missing ones flagged).
 */
import { beforeAll, expect, it } from 'vitest';
import { ApiError } from '../../electron/main/core/api/api-error';
import { SavedRepliesService } from '../../electron/main/core/saved-replies/saved-replies-service';
import { forEachDialect } from '../support/databases';
import { HOUR, addAccount, igsid, message } from '../inbox/support';

forEachDialect('saved replies', (get) => {
  let service: SavedRepliesService;
  let bakery: string;
  let gym: string;

  beforeAll(async () => {
    const { repos } = get();
    service = new SavedRepliesService(() => repos);
    bakery = (await addAccount(repos, 'Bakery')).id;
    gym = (await addAccount(repos, 'Gym')).id;
    await repos.ruleEditor.saveSettings(bakery, 0, {
      intents: [],
      variables: { booking_url: 'https://bakery.example/book' },
      humanPauseMinutes: null,
    });
  });

  const codeOf = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      return (error as ApiError | { code: string }).code;
    }
    return 'ok';
  };

  it('offers an account its own replies and the all-accounts ones, by name', async () => {
    await service.create({
      accountId: bakery,
      name: 'hours',
      body: 'We open at 8, {{first_name | "friend"}}.',
    });
    await service.create({
      accountId: null,
      name: 'thanks',
      body: 'Thank you, {{name}}! — {{account.name}}',
    });
    await service.create({ accountId: gym, name: 'prices', body: '<b>€30</b> a month 💪 · مرحبا' });
    const forBakery = await service.list({ accountId: bakery });
    expect(forBakery.replies.map((r) => [r.name, r.accountId])).toEqual([
      ['hours', bakery],
      ['thanks', null],
    ]);
    const forGym = await service.list({ accountId: gym });
    expect(forGym.replies.map((r) => r.name)).toEqual(['prices', 'thanks']);
    expect(forGym.replies[0]?.body).toBe('<b>€30</b> a month 💪 · مرحبا');
    expect((await service.list({})).replies).toHaveLength(3);
  });

  it('refuses a name an account is already offered, ignoring case, and says which', async () => {
    await expect(service.create({ accountId: bakery, name: 'HOURS', body: 'x' })).rejects.toMatchObject({
      code: 'DB_CONFLICT',
      message: expect.stringContaining('for this account') as string,
    });
    await expect(service.create({ accountId: gym, name: 'Thanks', body: 'x' })).rejects.toMatchObject({
      message: expect.stringContaining('for all accounts') as string,
    });
    expect(await codeOf(service.create({ accountId: null, name: 'prices', body: 'x' }))).toBe('DB_CONFLICT');
    // Another account may use the name.
    expect(await codeOf(service.create({ accountId: gym, name: 'hours', body: 'Gym hours' }))).toBe('ok');
  });

  it('checks bodies against the account: its variables, no captures, one message at most', async () => {
    expect(
      await codeOf(service.create({ accountId: bakery, name: 'book', body: 'Book: {{var.booking_url}}' })),
    ).toBe('ok');
    await expect(
      service.create({ accountId: gym, name: 'book', body: 'Book: {{var.booking_url}}' }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('booking_url') as string,
    });
    await expect(
      service.create({ accountId: gym, name: 'cap', body: '{{capture.time}}' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('only exists in rules') as string,
    });
    await expect(
      service.create({ accountId: gym, name: 'long', body: '🎉'.repeat(251) }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('1004 bytes') as string,
    });
    await expect(service.create({ accountId: gym, name: 'typo', body: 'Hi {{name' })).rejects.toBeInstanceOf(
      ApiError,
    );
    // An all-accounts reply may use any account variable: each conversation flags it where it is missing.
    expect(
      await codeOf(service.create({ accountId: null, name: 'book-any', body: '{{var.booking_url}}' })),
    ).toBe('ok');
    await expect(service.create({ accountId: 'nobody', name: 'x', body: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('updates and deletes only from the current version; nothing stored is lost on a refusal', async () => {
    const reply = await service.create({ accountId: gym, name: 'welcome', body: 'Welcome!' });
    const updated = await service.update({ id: reply.id, version: 1, body: 'Welcome, {{first_name}}!' });
    expect(updated).toMatchObject({ version: 2, name: 'welcome', body: 'Welcome, {{first_name}}!' });
    expect(await codeOf(service.update({ id: reply.id, version: 1, body: 'lost' }))).toBe('DB_CONFLICT');
    expect(await codeOf(service.update({ id: reply.id, version: 2, body: '{{nope}}' }))).toBe(
      'INVALID_INPUT',
    );
    expect(await codeOf(service.delete({ id: reply.id, version: 1 }))).toBe('DB_CONFLICT');
    expect((await get().repos.savedReplies.get(reply.id))?.body).toBe('Welcome, {{first_name}}!');
    // Moving it to all accounts, then deleting it.
    const shared = await service.update({ id: reply.id, version: 2, accountId: null });
    expect(shared).toMatchObject({ accountId: null, version: 3 });
    await service.delete({ id: reply.id, version: 3 });
    expect(await get().repos.savedReplies.get(reply.id)).toBeNull();
    expect(await codeOf(service.delete({ id: reply.id, version: 3 }))).toBe('DB_NOT_FOUND');
  });

  it('fills the replies in for a conversation and flags what it has no value for', async () => {
    const { repos } = get();
    const person = { igsid: igsid(), name: 'Ana Lima', username: 'ana.lima' };
    await repos.conversations.ingest(message(bakery, person, 2 * HOUR, { text: 'When do you open?' }));
    const conversation = await repos.conversations.findConversation(bakery, person.igsid);
    await service.create({
      accountId: bakery,
      name: 'echo',
      body: 'You asked: "{{message.text}}" @{{username}}',
    });
    await service.create({
      accountId: null,
      name: 'promo',
      body: 'Code {{var.promo_code}} for {{first_name}}',
    });
    const { replies } = await service.list({ conversationId: conversation!.id });
    const byName = new Map(replies.map((r) => [r.name, r.rendered]));
    expect(byName.get('hours')).toEqual({ text: 'We open at 8, Ana.', missing: [] });
    expect(byName.get('thanks')).toEqual({ text: 'Thank you, Ana Lima! — Bakery', missing: [] });
    expect(byName.get('echo')).toEqual({ text: 'You asked: "When do you open?" @ana.lima', missing: [] });
    expect(byName.get('book')?.text).toBe('Book: https://bakery.example/book');
    expect(byName.get('promo')).toEqual({
      text: 'Code {{var.promo_code}} for Ana',
      missing: ['var.promo_code'],
    });
    expect(byName.has('prices')).toBe(false);
    await expect(service.list({ conversationId: conversation!.id, accountId: gym })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
