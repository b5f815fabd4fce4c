/**
 * A group of deliveries ingested together (one transaction, shared writes) on both dialects: each
 * delivery keeps its own outcome, what arrives in any delivery of the group is seen by the others, one
 * bad event is its own delivery's, and the rules run once per message after the whole group was applied.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ConversationsRepository, WebhookEventsRepository } from '../../electron/main/core/db/repositories';
import { forEachDialect } from '../support/databases';
import { keywordRule, startRulesWorld, type RulesWorld } from '../rules-service/support';
import { body, createAccount, customerItem, eventsNamed, mid, startWorker, store } from './support';

const CUSTOMER = '1254477777773001';
const T = 1762010783728;

forEachDialect('ingest of a group of deliveries', (get) => {
  it('stores a mid repeated across the deliveries of a group once, counts it once, and writes the group together', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const [one, two] = [mid('one'), mid('two')];
    const text = (at: number, words: string, id: string) =>
      customerItem(ig, CUSTOMER, at, { type: 'text', text: words }, { mid: id });
    const ids = [
      await store(repos, body([text(T, 'One', one)])),
      await store(repos, body([text(T, 'One', one), text(T + 1, 'Two', two)])),
      await store(repos, body([text(T + 1, 'Two', two)])),
      await store(repos, body([text(T, 'One', one)])),
    ];
    const ingests = vi.spyOn(ConversationsRepository.prototype, 'ingestMany');
    const marks = vi.spyOn(WebhookEventsRepository.prototype, 'markProcessedMany');
    try {
      const { drain, published, worker } = startWorker(repos);
      await drain();
      // One write of the messages and one "processed" mark for the four deliveries.
      expect(ingests).toHaveBeenCalledTimes(1);
      expect(ingests.mock.calls[0]?.[0].map((input) => input.mid)).toEqual([one, one, two, two, one]);
      expect(marks.mock.calls.map(([marked]) => marked)).toEqual([ids]);
      expect(worker.stats).toMatchObject({ processed: 4, messagesAdded: 2, duplicates: 3, failed: 0 });
      expect(eventsNamed(published, 'inbox.messageAdded').map((e) => e.messageId)).toHaveLength(2);
    } finally {
      ingests.mockRestore();
      marks.mockRestore();
    }
    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect(conversation).toMatchObject({ messageCount: 2, unreadCount: 2 });
    expect((await repos.conversations.listThread(conversation!.id)).map((m) => m.text)).toEqual([
      'Two',
      'One',
    ]);
    for (const id of ids) expect(await repos.webhookEvents.get(id)).toMatchObject({ state: 'processed' });
  });

  it('commits early between chunks of deliveries while another writer waits, each chunk whole', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    for (let i = 0; i < 20; i++)
      await store(repos, body([customerItem(ig, CUSTOMER, T + i, { type: 'text', text: `n${i}` })]));
    const transactions = vi.spyOn(repos, 'transaction');
    const ingests = vi.spyOn(ConversationsRepository.prototype, 'ingestMany');
    try {
      let contended = true;
      const { drain, worker } = startWorker(repos, { writeContended: () => contended });
      await drain();
      // Two chunks of ten, each committed on its own (messages and marks), since a writer was waiting.
      expect(transactions).toHaveBeenCalledTimes(2);
      expect(ingests.mock.calls.map(([inputs]) => inputs.length)).toEqual([10, 10]);
      expect(worker.stats).toMatchObject({ processed: 20, messagesAdded: 20 });

      contended = false;
      for (let i = 20; i < 40; i++)
        await store(repos, body([customerItem(ig, CUSTOMER, T + i, { type: 'text', text: `n${i}` })]));
      await drain();
      expect(transactions).toHaveBeenCalledTimes(3);
      expect(worker.stats).toMatchObject({ processed: 40, messagesAdded: 40 });
    } finally {
      transactions.mockRestore();
      ingests.mockRestore();
    }
    expect((await repos.conversations.findConversation(account.id, CUSTOMER))?.messageCount).toBe(40);
  });

  it('retries a group one by one when a delivery stops it, so only that delivery is set aside', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const words = ['fine', 'explode', 'also fine', 'still fine'];
    const ids: number[] = [];
    for (const [i, text] of words.entries())
      ids.push(await store(repos, body([customerItem(ig, CUSTOMER, T + i, { type: 'text', text })])));
    const hooked: string[] = [];
    const { drain, published, worker } = startWorker(repos, {
      onStoredMany: async (tx, items) => {
        for (const { message } of items) {
          const stored = await tx.automationState.getMessage(message.messageId);
          hooked.push(stored!.text!);
          if (stored?.text === 'explode') throw new Error('the hook broke on this message');
        }
      },
    });
    await drain();

    expect((await repos.webhookEvents.get(ids[1]!))?.error).toBe(
      'Ingest failed: the hook broke on this message',
    );
    expect(await repos.webhookEvents.get(ids[1]!)).toMatchObject({ state: 'failed' });
    for (const id of [ids[0]!, ids[2]!, ids[3]!])
      expect(await repos.webhookEvents.get(id)).toMatchObject({ state: 'processed' });
    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect((await repos.conversations.listThread(conversation!.id)).map((m) => m.text)).toEqual([
      'still fine',
      'also fine',
      'fine',
    ]);
    // The rolled-back group published nothing: each stored message is announced once.
    expect(eventsNamed(published, 'inbox.messageAdded')).toHaveLength(3);
    expect(worker.stats).toMatchObject({ processed: 3, failed: 1, messagesAdded: 3 });
    // First the group (stopped at the bad one), then each delivery on its own.
    expect(hooked).toEqual(['fine', 'explode', 'fine', 'explode', 'also fine', 'still fine']);
  });

  it('applies an unsend and a reaction to a message a later delivery of the same group brings', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const [secret, liked] = [mid('secret'), mid('liked')];
    await store(repos, body([customerItem(ig, CUSTOMER, T + 50, { type: 'delete', targetMid: secret })]));
    await store(
      repos,
      body([
        customerItem(ig, CUSTOMER, T + 60, {
          type: 'reaction',
          targetMid: liked,
          reaction: 'love',
          emoji: '❤️',
        }),
      ]),
    );
    await store(
      repos,
      body([
        customerItem(ig, CUSTOMER, T, { type: 'text', text: 'Secret plan' }, { mid: secret }),
        customerItem(ig, CUSTOMER, T + 1, { type: 'text', text: 'Like me' }, { mid: liked }),
      ]),
    );
    const { drain, published, worker } = startWorker(repos);
    await drain();

    const unsent = await repos.conversations.getMessageByMid(account.id, secret);
    expect(unsent).toMatchObject({ isDeleted: true, text: null });
    expect(unsent?.deletedAt?.getTime()).toBe(T + 50);
    const audit = await repos.audit.list({ accountId: account.id });
    expect(audit.map((entry) => [entry.action, entry.before])).toEqual([
      ['message.unsent', { mid: secret, kind: 'text', text: 'Secret plan', attachments: null }],
    ]);
    expect((await repos.conversations.getMessageByMid(account.id, liked))?.reactions).toEqual({
      [CUSTOMER]: '❤️',
    });
    expect(eventsNamed(published, 'inbox.messageChanged').map((e) => e.change)).toEqual([
      'deleted',
      'reaction',
    ]);
    expect(worker.stats).toMatchObject({ processed: 3, messagesAdded: 2, unapplied: 0 });
  });

  it('still stands in for a message that comes in a later group: it stays unsent, with nothing to copy', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const early = mid('early');
    const { drain } = startWorker(repos);
    await store(repos, body([customerItem(ig, CUSTOMER, T + 50, { type: 'delete', targetMid: early })]));
    await drain();
    await store(
      repos,
      body([customerItem(ig, CUSTOMER, T, { type: 'text', text: 'Too late' }, { mid: early })]),
    );
    await drain();

    expect(await repos.conversations.getMessageByMid(account.id, early)).toMatchObject({
      isDeleted: true,
      text: null,
    });
    expect(await repos.audit.list({ accountId: account.id })).toEqual([]);
    expect((await repos.conversations.findConversation(account.id, CUSTOMER))?.messageCount).toBe(1);
  });

  it('stores the good deliveries of a group and flags only the one whose event cannot be stored', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const tooLong = `${mid('long')}${'x'.repeat(600)}`;
    const before = await store(
      repos,
      body([customerItem(ig, CUSTOMER, T, { type: 'text', text: 'Before' })]),
    );
    const bad = await store(
      repos,
      body([
        customerItem(ig, CUSTOMER, T + 1, { type: 'text', text: 'Sibling' }),
        customerItem(ig, CUSTOMER, T + 2, { type: 'text', text: 'Broken' }, { mid: tooLong }),
      ]),
    );
    const after = await store(
      repos,
      body([customerItem(ig, CUSTOMER, T + 3, { type: 'text', text: 'After' })]),
    );
    const { drain, worker } = startWorker(repos);
    await drain();

    expect(await repos.webhookEvents.get(before)).toMatchObject({ state: 'processed', error: null });
    expect(await repos.webhookEvents.get(after)).toMatchObject({ state: 'processed', error: null });
    const flagged = await repos.webhookEvents.get(bad);
    expect(flagged?.state).toBe('ignored');
    expect(flagged?.error).toMatch(
      /^Not understood: a message event \(messaging\) could not be stored: .*mid.*\. 1 message\(s\) were stored\.$/,
    );
    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect((await repos.conversations.listThread(conversation!.id)).map((m) => m.text)).toEqual([
      'After',
      'Sibling',
      'Before',
    ]);
    expect(worker.stats).toMatchObject({ processed: 2, ignored: 1, messagesAdded: 3, notUnderstood: 1 });
  });
});

forEachDialect('rules over a group of deliveries', (get) => {
  let world: RulesWorld;
  beforeAll(() => {
    world = startRulesWorld(get().database);
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('evaluates each inbound message of a group once, after every event of the group was applied', async () => {
    const account = await world.account();
    await world.publishedRule(account.id, keywordRule('Prices', ['price'], 'Prices: see site'));
    const people = ['1254477777773101', '1254477777773102', '1254477777773103'] as const;
    const mids = people.map(() => mid('price'));
    const ask = (i: number) =>
      customerItem(
        account.instagramAccountId,
        people[i]!,
        world.clock.now.getTime(),
        { type: 'text', text: 'price?' },
        { mid: mids[i] },
      );
    await store(world.repos, body([ask(0)]));
    await store(world.repos, body([ask(1), ask(0)]));
    await store(world.repos, body([ask(2)]));
    await store(world.repos, body([ask(0)])); // Meta's retry
    // The third person takes the question back in a later delivery of the same group.
    await store(
      world.repos,
      body([
        customerItem(account.instagramAccountId, people[2], world.clock.now.getTime() + 1, {
          type: 'delete',
          targetMid: mids[2]!,
        }),
      ]),
    );
    await world.settle();

    const evaluated = world.events.filter(
      (event) => event.name === 'rules.evaluated' && event.payload.accountId === account.id,
    );
    expect(evaluated).toHaveLength(3);
    for (const [i, person] of people.entries()) {
      const message = await world.repos.conversations.getMessageByMid(account.id, mids[i]!);
      expect(await world.repos.rules.listEvaluations(message!.id)).toHaveLength(1);
      const conversation = await world.repos.conversations.findConversation(account.id, person);
      const queued = await world.repos.outbox.listByConversation(conversation!.id);
      // The unsent question is never answered; the others are, once each.
      expect(queued.map((entry) => entry.text)).toEqual(i === 2 ? [] : ['Prices: see site']);
    }
  });
});
