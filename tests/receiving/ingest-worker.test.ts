/**
 * The ingest worker on both dialects: duplicates and reordering change nothing, odd input is kept
 * and flagged, and a delivery interrupted by a crash is finished by the next worker.
 */
import { describe, expect, it, vi } from 'vitest';
import { AccountsRepository } from '../../electron/main/core/db/repositories';
import { forEachDialect } from '../support/databases';
import {
  body,
  createAccount,
  customerItem,
  eventsNamed,
  mid,
  newInstagramId,
  startWorker,
  store,
} from './support';

const CUSTOMER = '1254477777772919';
const OTHER_CUSTOMER = '1254477777770002';
const T = 1762010783728;

forEachDialect('ingest worker', (get) => {
  it('creates nothing twice for duplicates within one POST and across POSTs', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const once = mid('once');
    const text = customerItem(ig, CUSTOMER, T, { type: 'text', text: 'Only once' }, { mid: once });
    const edit = customerItem(ig, CUSTOMER, T + 1, {
      type: 'edit',
      targetMid: once,
      text: 'Only once!',
      numEdit: 1,
    });
    const react = customerItem(ig, CUSTOMER, T + 2, {
      type: 'reaction',
      targetMid: once,
      reaction: 'like',
      emoji: '👍',
    });
    const payload = body([text, text, edit, edit, react, react]);
    await store(repos, payload);
    const { drain, published, worker } = startWorker(repos);
    await drain();
    await store(repos, payload); // Meta's retry of the same POST
    await store(repos, body([react, edit, text])); // and the same events in another batch
    await drain();

    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect(conversation).toMatchObject({ messageCount: 1, unreadCount: 1 });
    const message = await repos.conversations.getMessageByMid(account.id, once);
    expect(message?.text).toBe('Only once!');
    expect(message?.editHistory).toHaveLength(1);
    expect(message?.reactions).toEqual({ [CUSTOMER]: '👍' });
    expect(eventsNamed(published, 'inbox.messageAdded')).toHaveLength(1);
    expect(worker.stats).toMatchObject({ processed: 3, messagesAdded: 1, failed: 0 });
  });

  it('routes a group of deliveries reading each account once, and forgets the accounts with the transaction', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const later = newInstagramId(); // not connected yet
    for (let i = 0; i < 5; i++)
      await store(repos, body([customerItem(ig, CUSTOMER, T + i, { type: 'text', text: `hi ${i}` })]));
    await store(repos, body([customerItem(later, CUSTOMER, T + 9, { type: 'text', text: 'too early' })]));
    const lookups = vi.spyOn(AccountsRepository.prototype, 'getByInstagramId');
    try {
      const { drain, worker } = startWorker(repos);
      await drain();
      expect(lookups.mock.calls.map(([id]) => id).sort()).toEqual([ig, later].sort());
      expect(worker.stats).toMatchObject({ processed: 5, ignored: 1, messagesAdded: 5 });
      expect(await repos.conversations.findConversation(account.id, CUSTOMER)).toMatchObject({
        messageCount: 5,
      });

      // Connected now: the next transaction reads it afresh.
      const connected = await repos.accounts.create({ instagramAccountId: later, username: 'later_one' });
      await store(repos, body([customerItem(later, CUSTOMER, T + 10, { type: 'text', text: 'now' })]));
      await drain();
      expect(await repos.conversations.findConversation(connected.id, CUSTOMER)).toMatchObject({
        messageCount: 1,
      });
    } finally {
      lookups.mockRestore();
    }
  });

  it('puts out-of-order events in timestamp order, whichever delivery brings them', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const late = mid('late');
    const unsentFirst = mid('unsent');
    const { drain } = startWorker(repos);
    // Newest first, then the older ones, then an unsend that arrives before its message.
    await store(
      repos,
      body([customerItem(ig, CUSTOMER, T + 300, { type: 'text', text: 'third' }, { mid: late })]),
    );
    await store(repos, body([customerItem(ig, CUSTOMER, T + 100, { type: 'text', text: 'first' })]));
    await store(
      repos,
      body([customerItem(ig, CUSTOMER, T + 400, { type: 'delete', targetMid: unsentFirst })]),
    );
    await store(
      repos,
      body([
        customerItem(ig, CUSTOMER, T + 200, { type: 'text', text: 'second' }),
        customerItem(ig, CUSTOMER, T + 150, { type: 'text', text: 'first and a half' }),
      ]),
    );
    await store(
      repos,
      body([customerItem(ig, CUSTOMER, T + 350, { type: 'text', text: 'oops' }, { mid: unsentFirst })]),
    );
    await drain();

    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    const thread = (await repos.conversations.listThread(conversation!.id)).reverse();
    expect(thread.map((m) => m.text)).toEqual(['first', 'first and a half', 'second', 'third', null]);
    expect(thread[4]).toMatchObject({ mid: unsentFirst, isDeleted: true });
    // The unsend and its message came in one group: the message is stored with its own time, then unsent.
    expect(conversation?.lastMessageAt?.getTime()).toBe(T + 350);
    expect(conversation?.messageCount).toBe(5);
  });

  it('keeps a delivery for an unknown account, flagged in plain words, without creating anything', async () => {
    const { repos } = get();
    const stranger = '17841499999999999';
    const deliveryId = await store(
      repos,
      body([customerItem(stranger, CUSTOMER, T, { type: 'text', text: 'Hello?' })]),
    );
    const { drain, worker } = startWorker(repos);
    await drain();

    const delivery = await repos.webhookEvents.get(deliveryId);
    expect(delivery?.state).toBe('ignored');
    expect(delivery?.error).toBe(
      `Not understood: entry for Instagram account ${stranger} (1 event(s)): no connected account has this id.`,
    );
    expect(delivery?.rawBody).toContain('Hello?');
    expect(worker.stats).toMatchObject({ ignored: 1, notUnderstood: 1, messagesAdded: 0 });
  });

  it('keeps unknown shapes and unreadable bodies flagged, stores the understood siblings, and keeps going', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const odd = body([
      customerItem(ig, CUSTOMER, T, { type: 'text', text: 'Understood' }),
      {
        accountId: ig,
        container: 'messaging',
        field: 'messages',
        timestamp: T + 1,
        payload: { sender: { id: CUSTOMER }, recipient: { id: ig }, timestamp: T + 1, hologram: { id: 1 } },
      },
    ]);
    const oddId = await store(repos, odd);
    const brokenId = await store(repos, '{"object":"instagram","entry":[{"id":');
    const wrongShapeId = await store(repos, '[1,2,3]');
    const afterId = await store(
      repos,
      body([customerItem(ig, CUSTOMER, T + 2, { type: 'text', text: 'Still flowing' })]),
    );
    const { drain, worker } = startWorker(repos);
    await drain();

    const oddDelivery = await repos.webhookEvents.get(oddId);
    expect(oddDelivery?.state).toBe('ignored');
    expect(oddDelivery?.error).toMatch(
      /^Not understood: a messaging item: no event key Switchboard understands \(keys present: sender, recipient, timestamp, hologram\)\. 1 message\(s\) were stored\.$/,
    );
    expect((await repos.webhookEvents.get(brokenId))?.error).toMatch(
      /^Not understood: the body is not an Instagram webhook \(invalid_json: /,
    );
    expect((await repos.webhookEvents.get(wrongShapeId))?.error).toMatch(
      /^Not understood: the body is not an Instagram webhook \(not_an_object: /,
    );
    expect((await repos.webhookEvents.get(afterId))?.state).toBe('processed');
    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect((await repos.conversations.listThread(conversation!.id)).map((m) => m.text)).toEqual([
      'Still flowing',
      'Understood',
    ]);
    expect(worker.stats).toMatchObject({ processed: 1, ignored: 3, notUnderstood: 3, failed: 0 });
  });

  it('finishes a delivery left "processing" by a crash when a new worker starts', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const deliveryId = await store(
      repos,
      body([customerItem(ig, CUSTOMER, T, { type: 'text', text: 'Before the crash' })]),
    );
    // What a worker killed mid-ingest leaves behind: the delivery marked, its transaction never committed.
    await repos.webhookEvents.markProcessing(deliveryId);
    expect(await repos.conversations.findConversation(account.id, CUSTOMER)).toBeNull();

    const { worker, published } = startWorker(repos);
    // start() alone drains: no notify() is needed for work left from before.
    await worker.whenIdle();

    const delivery = await repos.webhookEvents.get(deliveryId);
    expect(delivery).toMatchObject({ state: 'processed', attempts: 2 });
    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect(conversation?.messageCount).toBe(1);
    expect(eventsNamed(published, 'inbox.messageAdded')).toEqual([
      expect.objectContaining({ accountId: account.id, conversationId: conversation!.id, kind: 'text' }),
    ]);
    await worker.dispose();
  });

  it('publishes one messageAdded per stored message and a conversationChanged per touched conversation', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    await store(
      repos,
      body([
        customerItem(ig, CUSTOMER, T, { type: 'text', text: 'one' }),
        customerItem(ig, CUSTOMER, T + 1, { type: 'text', text: 'two' }),
        customerItem(ig, OTHER_CUSTOMER, T + 2, {
          type: 'attachments',
          attachments: [{ type: 'audio', url: 'https://cdn.example/a.mp4' }],
        }),
      ]),
    );
    const { drain, published } = startWorker(repos);
    await drain();
    const a = await repos.conversations.findConversation(account.id, CUSTOMER);
    const b = await repos.conversations.findConversation(account.id, OTHER_CUSTOMER);
    const added = eventsNamed(published, 'inbox.messageAdded');
    expect(added.map((e) => [e.conversationId, e.kind, e.direction, e.createdAt])).toEqual([
      [a!.id, 'text', 'inbound', new Date(T).toISOString()],
      [a!.id, 'text', 'inbound', new Date(T + 1).toISOString()],
      [b!.id, 'audio', 'inbound', new Date(T + 2).toISOString()],
    ]);
    expect(eventsNamed(published, 'inbox.conversationChanged')).toEqual([
      { accountId: account.id, conversationId: a!.id, cause: 'messages' },
      { accountId: account.id, conversationId: b!.id, cause: 'messages' },
    ]);
  });
});

describe('ingest worker without a database', () => {
  it('waits instead of failing while the database is unavailable', async () => {
    const { IngestWorker } = await import('../../electron/main/core/receiving/ingest-worker');
    const { ApiError } = await import('../../electron/main/core/api/api-error');
    const { EventBus } = await import('../../electron/main/core/api/event-bus');
    const { silentLogger } = await import('../../electron/main/core/lib/logger');
    let calls = 0;
    const worker = new IngestWorker({
      repositories: () => {
        calls += 1;
        throw new ApiError('UNAVAILABLE', 'The database is not available right now.');
      },
      events: new EventBus(),
      logger: silentLogger(),
    });
    worker.start();
    await worker.whenIdle();
    expect(calls).toBe(1);
    expect(worker.stats).toMatchObject({ processed: 0, failed: 0 });
    await worker.dispose();
  });
});
