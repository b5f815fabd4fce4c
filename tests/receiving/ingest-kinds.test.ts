/**
 * The ingest worker on both dialects: every Instagram event kind ends up as the right rows (or, where
 * no table holds it, as a published event), built by the sandbox's webhook simulator.
 */
import { expect, it } from 'vitest';
import { forEachDialect } from '../support/databases';
import { body, createAccount, customerItem, echoItem, eventsNamed, mid, startWorker, store } from './support';

const CUSTOMER = '1254477777772919';
const OTHER_CUSTOMER = '1254477777770002';
const T = 1762010783728;

forEachDialect('ingest of every event kind', (get) => {
  it('stores every kind of customer message with its kind, text, attachments and reply target', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const original = mid('original');
    const items = [
      customerItem(ig, CUSTOMER, T, { type: 'text', text: 'Hallo 👋' }, { mid: original }),
      customerItem(ig, CUSTOMER, T + 1, {
        type: 'attachments',
        attachments: [
          { type: 'image', url: 'https://cdn.example/img.jpg' },
          { type: 'video', url: 'https://cdn.example/v.mp4' },
        ],
      }),
      customerItem(ig, CUSTOMER, T + 2, { type: 'story_mention', url: 'https://cdn.example/story' }),
      customerItem(ig, CUSTOMER, T + 3, {
        type: 'story_reply',
        text: 'Love this story',
        story: { id: 'story-1', url: 'https://cdn.example/s1' },
      }),
      customerItem(ig, CUSTOMER, T + 4, { type: 'reply_to', text: 'About that', replyToMid: original }),
      customerItem(ig, CUSTOMER, T + 5, { type: 'quick_reply', text: 'Yes please', payload: 'YES' }),
      customerItem(ig, CUSTOMER, T + 6, {
        type: 'message_referral',
        text: 'From your ad',
        referral: {
          source: 'ADS',
          ref: 'spring',
          adId: 'ad-9',
          adTitle: 'Spring sale',
          photoUrl: 'https://cdn.example/ad.jpg',
          videoUrl: 'https://cdn.example/ad.mp4',
        },
      }),
      customerItem(ig, CUSTOMER, T + 7, { type: 'unsupported' }),
      customerItem(ig, CUSTOMER, T + 8, { type: 'attachments', attachments: [{ type: 'ephemeral' }] }),
      customerItem(ig, CUSTOMER, T + 9, { type: 'attachments', attachments: [{ type: 'like_heart' }] }),
      customerItem(ig, CUSTOMER, T + 10, {
        type: 'attachments',
        attachments: [{ type: 'ig_reel', url: 'https://cdn.example/reel' }],
      }),
    ];
    const deliveryId = await store(repos, body(items));
    const { drain } = startWorker(repos);
    await drain();

    expect((await repos.webhookEvents.get(deliveryId))?.state).toBe('processed');
    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect(conversation?.messageCount).toBe(11);
    expect(conversation?.unreadCount).toBe(11);
    const thread = (await repos.conversations.listThread(conversation!.id)).reverse();
    expect(thread.map((m) => m.kind)).toEqual([
      'text',
      'image',
      'story_mention',
      'story_reply',
      'text',
      'quick_reply',
      'text',
      'unsupported',
      'unsupported',
      'like_heart',
      'reel',
    ]);
    expect(thread.every((m) => m.direction === 'inbound' && !m.isEcho)).toBe(true);
    expect(thread[0]!.text).toBe('Hallo 👋');
    expect(thread[0]!.mid).toBe(original);
    expect(thread[1]!.attachments).toEqual([
      {
        type: 'image',
        url: 'https://cdn.example/img.jpg',
        title: null,
        payload: { url: 'https://cdn.example/img.jpg' },
      },
      {
        type: 'video',
        url: 'https://cdn.example/v.mp4',
        title: null,
        payload: { url: 'https://cdn.example/v.mp4' },
      },
    ]);
    expect(thread[3]!.text).toBe('Love this story');
    expect(thread[3]!.attachments).toEqual([
      { type: 'story_reply', storyId: 'story-1', url: 'https://cdn.example/s1' },
    ]);
    expect(thread[4]!.replyToMid).toBe(original);
    expect(thread[5]!.attachments).toEqual([{ type: 'quick_reply', payload: 'YES' }]);
    expect(thread[6]!.attachments).toEqual([
      {
        type: 'referral',
        referral: {
          ref: 'spring',
          source: 'ADS',
          type: 'OPEN_THREAD',
          adId: 'ad-9',
          adsContext: {
            adTitle: 'Spring sale',
            photoUrl: 'https://cdn.example/ad.jpg',
            videoUrl: 'https://cdn.example/ad.mp4',
            postId: null,
          },
          productId: null,
        },
      },
    ]);
    expect(thread[8]!.attachments).toEqual([{ type: 'ephemeral', url: null, title: null, payload: null }]);
    // The raw item is kept exactly as Instagram sent it, for re-processing after a parser fix.
    expect(thread[0]!.rawEvent).toEqual({
      sender: { id: CUSTOMER },
      recipient: { id: ig },
      timestamp: T,
      message: { mid: original, text: 'Hallo 👋' },
    });
    expect(thread[0]!.createdAt.getTime()).toBe(T);
    expect(conversation?.lastMessageAt?.getTime()).toBe(T + 10);
  });

  it('stores postbacks and ig.me referrals as inbound rows, and standby items with their source', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const postbackMid = mid('postback');
    const items = [
      customerItem(
        ig,
        CUSTOMER,
        T,
        { type: 'postback', title: 'Opening hours', payload: 'HOURS' },
        { mid: postbackMid },
      ),
      customerItem(ig, CUSTOMER, T + 1, { type: 'referral', referral: { source: 'SHORTLINKS', ref: 'bio' } }),
      customerItem(ig, OTHER_CUSTOMER, T + 2, { type: 'text', text: 'Via another app' }, { standby: true }),
    ];
    await store(repos, body(items));
    await startWorker(repos).drain();

    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    const [referral, postback] = await repos.conversations.listThread(conversation!.id);
    expect(postback).toMatchObject({
      mid: postbackMid,
      kind: 'postback',
      direction: 'inbound',
      text: 'Opening hours',
      attachments: [{ type: 'postback', payload: 'HOURS', title: 'Opening hours' }],
    });
    expect(referral).toMatchObject({
      mid: `referral:${CUSTOMER}:${T + 1}`,
      kind: 'referral',
      direction: 'inbound',
      text: null,
    });
    expect(referral!.attachments).toEqual([
      {
        type: 'referral',
        referral: {
          ref: 'bio',
          source: 'SHORTLINKS',
          type: 'OPEN_THREAD',
          adId: null,
          adsContext: null,
          productId: null,
        },
      },
    ]);
    expect(conversation?.lastInboundAt?.getTime()).toBe(T + 1);

    const standbyThread = await repos.conversations.findConversation(account.id, OTHER_CUSTOMER);
    const [standby] = await repos.conversations.listThread(standbyThread!.id);
    expect(standby?.text).toBe('Via another app');
    expect(standby?.rawEvent).toMatchObject({ source: 'standby', item: { sender: { id: OTHER_CUSTOMER } } });
  });

  it('applies reactions, unreactions, edits (with history) and unsends (with an audit copy)', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const first = mid('first');
    const second = mid('second');
    await store(
      repos,
      body([
        customerItem(ig, CUSTOMER, T, { type: 'text', text: 'First' }, { mid: first }),
        customerItem(ig, CUSTOMER, T + 1, { type: 'text', text: 'Secret plan' }, { mid: second }),
      ]),
    );
    const { drain, published } = startWorker(repos);
    await drain();
    await store(
      repos,
      body([
        customerItem(ig, CUSTOMER, T + 10, {
          type: 'reaction',
          targetMid: first,
          reaction: 'love',
          emoji: '❤️',
        }),
        customerItem(ig, CUSTOMER, T + 11, {
          type: 'edit',
          targetMid: first,
          text: 'First, edited',
          numEdit: 1,
        }),
        customerItem(ig, CUSTOMER, T + 12, { type: 'delete', targetMid: second }),
      ]),
    );
    await drain();

    const edited = await repos.conversations.getMessageByMid(account.id, first);
    expect(edited?.text).toBe('First, edited');
    expect(edited?.reactions).toEqual({ [CUSTOMER]: '❤️' });
    expect(edited?.editHistory).toEqual([
      { previousText: 'First', editedAt: new Date(T + 11).toISOString(), numEdit: 1 },
    ]);
    const unsent = await repos.conversations.getMessageByMid(account.id, second);
    expect(unsent).toMatchObject({ isDeleted: true, text: null });
    expect(unsent?.deletedAt?.getTime()).toBe(T + 12);
    const audit = await repos.audit.list({ accountId: account.id });
    expect(audit.map((entry) => [entry.action, entry.before])).toEqual([
      ['message.unsent', { mid: second, kind: 'text', text: 'Secret plan', attachments: null }],
    ]);
    expect(eventsNamed(published, 'inbox.messageChanged').map((e) => e.change)).toEqual([
      'reaction',
      'edited',
      'deleted',
    ]);

    await store(repos, body([customerItem(ig, CUSTOMER, T + 20, { type: 'unreact', targetMid: first })]));
    await drain();
    expect((await repos.conversations.getMessageByMid(account.id, first))?.reactions).toEqual({});
    // Reactions, edits and unsends change messages; they are not messages of their own.
    expect((await repos.conversations.findConversation(account.id, CUSTOMER))?.messageCount).toBe(2);
  });

  it('stores echoes as outbound from the phone, never as inbound or unread', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const echoMid = mid('echo');
    await store(
      repos,
      body([
        customerItem(ig, CUSTOMER, T, { type: 'text', text: 'Do you ship to Austria?' }),
        echoItem(ig, CUSTOMER, T + 5, echoMid, 'Yes, we do!'),
      ]),
    );
    const { drain, published } = startWorker(repos);
    await drain();

    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect(conversation).toMatchObject({
      messageCount: 2,
      unreadCount: 1,
      lastMessagePreview: 'Yes, we do!',
    });
    expect(conversation?.lastInboundAt?.getTime()).toBe(T);
    const echo = await repos.conversations.getMessageByMid(account.id, echoMid);
    expect(echo).toMatchObject({ direction: 'outbound', isEcho: true, sentBy: 'phone', text: 'Yes, we do!' });
    expect(eventsNamed(published, 'inbox.messageAdded').map((e) => e.direction)).toEqual([
      'inbound',
      'outbound',
    ]);

    // An echo alone (the business writes first from the phone) opens the conversation without unread.
    await store(repos, body([echoItem(ig, OTHER_CUSTOMER, T + 7, mid('echo2'), 'Hi from the phone')]));
    await drain();
    const other = await repos.conversations.findConversation(account.id, OTHER_CUSTOMER);
    expect(other).toMatchObject({ messageCount: 1, unreadCount: 0, lastInboundAt: null });
  });

  it('keeps comments, mentions, handovers and reads out of the DM thread, and publishes comments and reads', async () => {
    const { repos } = get();
    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const seenMid = mid('seen');
    await store(repos, body([echoItem(ig, CUSTOMER, T, seenMid, 'Our offer')]));
    const { drain, published } = startWorker(repos);
    await drain();
    const deliveryId = await store(
      repos,
      body(
        [
          customerItem(ig, CUSTOMER, T + 1, { type: 'read', targetMid: seenMid }),
          customerItem(ig, CUSTOMER, T + 2, {
            type: 'pass_thread_control',
            previousOwnerAppId: '111',
            newOwnerAppId: '222',
            metadata: 'to inbox',
          }),
          customerItem(ig, CUSTOMER, T + 3, {
            type: 'comment',
            text: 'Price?',
            commentId: '17900000000000001',
            mediaId: '18000000000000001',
          }),
          customerItem(ig, CUSTOMER, T + 4, { type: 'mention', mediaId: '18000000000000002' }),
        ],
        T + 5000,
      ),
    );
    await drain();

    expect((await repos.webhookEvents.get(deliveryId))?.state).toBe('processed');
    const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect(conversation).toMatchObject({ messageCount: 1, unreadCount: 0 });
    expect(eventsNamed(published, 'inbox.messageSeen')).toEqual([
      {
        accountId: account.id,
        conversationId: conversation!.id,
        mid: seenMid,
        seenAt: new Date(T + 1).toISOString(),
      },
    ]);
    expect(eventsNamed(published, 'inbox.commentReceived')).toEqual([
      {
        accountId: account.id,
        commentId: '17900000000000001',
        mediaId: '18000000000000001',
        text: 'Price?',
        fromId: CUSTOMER,
        fromUsername: `user_${CUSTOMER.slice(-4)}`,
        parentId: null,
        // Comments carry no time: entry.time (seconds) is used.
        createdAt: new Date(Math.floor((T + 5000) / 1000) * 1000).toISOString(),
      },
    ]);
  });
});
