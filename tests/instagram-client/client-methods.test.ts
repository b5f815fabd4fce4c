import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EXPLANATIONS,
  createGraphInstagramClientFactory,
  type LoginType,
} from '../../electron/main/core/instagram';
import type { Sandbox } from '../../electron/main/sandbox';
import { DAY, accountFor, graphFailure, sandboxForTest } from './helpers';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await sandboxForTest();
});
afterEach(async () => {
  await sandbox.dispose();
});

const loginTypes: LoginType[] = ['instagram', 'facebook'];

describe('getMe', () => {
  it('Instagram Login: returns user_id (the webhook entry.id) distinct from the app-scoped id', async () => {
    const { client, created } = accountFor(sandbox, 'instagram');
    const me = await client.getMe();
    expect(me).toEqual({
      loginType: 'instagram',
      userId: created.account.id,
      appScopedId: created.account.appScopedId,
      username: created.account.username,
      name: created.account.name,
    });
    if (me.loginType !== 'instagram') throw new Error('unreachable');
    expect(me.userId).not.toBe(me.appScopedId);
  });

  it('Facebook Login: returns the Page and its linked Instagram account', async () => {
    const { client, created } = accountFor(sandbox, 'facebook');
    expect(await client.getMe()).toEqual({
      loginType: 'facebook',
      pageId: created.account.pageId,
      pageName: created.account.name,
      instagramAccountId: created.account.id,
    });
  });
});

describe('debugToken (Facebook Login)', () => {
  it('reports a valid Page token that never expires', async () => {
    const { client, created } = accountFor(sandbox, 'facebook');
    const info = await client.debugToken(`${created.app.id}|${created.app.secret}`);
    expect(info).toMatchObject({
      isValid: true,
      appId: created.app.id,
      type: 'PAGE',
      expiresAt: null,
      profileId: created.account.pageId,
      error: null,
    });
    expect(info.scopes).toContain('instagram_manage_messages');
  });

  it('reports an expired token as invalid with the 190/463 reason, as data rather than an error', async () => {
    const { client, created } = accountFor(sandbox, 'facebook');
    sandbox.updateToken(created.token, { expire: true });
    const info = await client.debugToken(`${created.app.id}|${created.app.secret}`);
    expect(info.isValid).toBe(false);
    expect(info.error).toMatchObject({
      code: 190,
      subcode: 463,
      needsReconnect: true,
      explanation: EXPLANATIONS.tokenExpired,
    });
  });

  it('is refused locally for Instagram Login', async () => {
    const { client } = accountFor(sandbox, 'instagram');
    const error = await graphFailure(client.debugToken('123|abcdefabcdef'));
    expect(error.kind).toBe('invalid_request');
    expect(error.retryable).toBe(false);
  });
});

describe('refreshLongLivedToken (Instagram Login)', () => {
  it('refuses a token younger than 24 hours (Meta error 100, not retryable)', async () => {
    const { client } = accountFor(sandbox, 'instagram');
    const error = await graphFailure(client.refreshLongLivedToken());
    expect(error).toMatchObject({ kind: 'graph', code: 100, retryable: false, needsReconnect: false });
  });

  it('returns a new 60-day token once the token is at least 24 hours old, and the new token works', async () => {
    const { client, created, nodeId } = accountFor(sandbox, 'instagram');
    sandbox.clock.advance(DAY + 60_000);
    const refreshed = await client.refreshLongLivedToken();
    expect(refreshed.accessToken).not.toBe(created.token);
    expect(refreshed.tokenType).toBe('bearer');
    expect(refreshed.expiresInSeconds).toBe(60 * 24 * 3600);
    expect(refreshed.expiresAt).toBe(sandbox.clock.now() + 60 * DAY);
    const next = createGraphInstagramClientFactory({ baseUrl: sandbox.url })({
      loginType: 'instagram',
      accountId: nodeId,
      accessToken: refreshed.accessToken,
    });
    expect((await next.getMe()).loginType).toBe('instagram');
  });

  it('is refused locally for Facebook Login', async () => {
    const { client } = accountFor(sandbox, 'facebook');
    expect((await graphFailure(client.refreshLongLivedToken())).kind).toBe('invalid_request');
  });
});

describe.each(loginTypes)('sendMessage (%s login)', (loginType) => {
  function setup(options: { humanAgentEnabled?: boolean } = {}) {
    const account = accountFor(sandbox, loginType, options);
    const customer = sandbox.createCustomer(account.created.account.id);
    const inbound = sandbox.customerSends(account.created.account.id, customer.igsid, 'Hallo');
    const sentBodies = (): Array<Record<string, unknown>> =>
      sandbox.sentMessages({ accountId: account.created.account.id }).map((s) => s.body);
    return { ...account, igsid: customer.igsid, inboundMid: inbound.mid!, sentBodies };
  }

  it('sends text with quick replies as a RESPONSE and returns the message id', async () => {
    const { client, igsid, sentBodies } = setup();
    const result = await client.sendMessage({
      kind: 'message',
      recipientId: igsid,
      message: {
        type: 'text',
        text: 'Which size?',
        quickReplies: [
          { contentType: 'text', title: 'Small', payload: 'SIZE_S' },
          { contentType: 'user_phone_number' },
        ],
      },
    });
    expect(result.recipientId).toBe(igsid);
    expect(result.messageId).toEqual(expect.any(String));
    expect(sentBodies()).toEqual([
      {
        recipient: { id: igsid },
        messaging_type: 'RESPONSE',
        message: {
          text: 'Which size?',
          quick_replies: [
            { content_type: 'text', title: 'Small', payload: 'SIZE_S' },
            { content_type: 'user_phone_number' },
          ],
        },
      },
    ]);
  });

  it.each(['image', 'audio', 'video', 'file'] as const)(
    'sends an %s attachment by URL',
    async (mediaType) => {
      const { client, igsid, sentBodies } = setup();
      const url = `https://cdn.example.com/files/a.${mediaType}`;
      const result = await client.sendMessage({
        kind: 'message',
        recipientId: igsid,
        message: { type: 'attachment', mediaType, url },
      });
      expect(result.messageId).toEqual(expect.any(String));
      expect(sentBodies()[0]?.message).toEqual({ attachment: { type: mediaType, payload: { url } } });
    },
  );

  it('sends a like_heart as an inline reply to a message (reply_to.mid)', async () => {
    const { client, igsid, inboundMid, sentBodies } = setup();
    const result = await client.sendMessage({
      kind: 'message',
      recipientId: igsid,
      message: { type: 'like_heart' },
      replyToMid: inboundMid,
    });
    expect(result.messageId).toEqual(expect.any(String));
    expect(sentBodies()[0]).toMatchObject({
      message: { attachment: { type: 'like_heart' } },
      reply_to: { mid: inboundMid },
    });
  });

  it('reacts and unreacts: no message id comes back', async () => {
    const { client, igsid, inboundMid, sentBodies } = setup();
    expect(
      await client.sendMessage({
        kind: 'react',
        recipientId: igsid,
        messageId: inboundMid,
        reaction: 'love',
      }),
    ).toEqual({ recipientId: igsid });
    expect(await client.sendMessage({ kind: 'unreact', recipientId: igsid, messageId: inboundMid })).toEqual({
      recipientId: igsid,
    });
    expect(sentBodies()).toEqual([
      {
        recipient: { id: igsid },
        sender_action: 'react',
        payload: { message_id: inboundMid, reaction: 'love' },
      },
      { recipient: { id: igsid }, sender_action: 'unreact', payload: { message_id: inboundMid } },
    ]);
  });

  it.each(['typing_on', 'typing_off', 'mark_seen'] as const)(
    'sends the %s sender action with only recipient and sender_action',
    async (action) => {
      const { client, igsid, sentBodies } = setup();
      expect(await client.sendMessage({ kind: 'sender_action', recipientId: igsid, action })).toEqual({
        recipientId: igsid,
      });
      expect(sentBodies()).toEqual([{ recipient: { id: igsid }, sender_action: action }]);
    },
  );

  it('sends a private reply to a comment and returns the commenter and message id', async () => {
    const { client, igsid, created, sentBodies } = setup();
    const comment = sandbox.customerEvent(created.account.id, igsid, { type: 'comment', text: 'Price?' });
    const result = await client.sendMessage({
      kind: 'private_reply',
      commentId: comment.commentId!,
      message: { type: 'text', text: 'Sent you the prices' },
    });
    expect(result).toEqual({ recipientId: igsid, messageId: expect.any(String) as string });
    expect(sentBodies()).toEqual([
      { recipient: { comment_id: comment.commentId }, message: { text: 'Sent you the prices' } },
    ]);
  });

  it('sends with the HUMAN_AGENT tag 3 days after the last message when the feature is enabled', async () => {
    const { client, igsid, sentBodies } = setup({ humanAgentEnabled: true });
    sandbox.clock.advance(3 * DAY);
    const result = await client.sendMessage({
      kind: 'message',
      recipientId: igsid,
      message: { type: 'text', text: 'Sorry for the wait' },
      policy: 'HUMAN_AGENT',
    });
    expect(result.messageId).toEqual(expect.any(String));
    expect(sentBodies()[0]).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });
});

describe.each(loginTypes)('profiles, conversations and subscriptions (%s login)', (loginType) => {
  it('reads a customer profile with every field, or only the requested ones', async () => {
    const { client, created } = accountFor(sandbox, loginType);
    const customer = sandbox.createCustomer(created.account.id, {
      username: 'jane',
      name: 'Jane Doe',
      followerCount: 321,
      isVerifiedUser: true,
      lastInboundSecondsAgo: 60,
    });
    expect(await client.getUserProfile(customer.igsid)).toEqual({
      igsid: customer.igsid,
      name: 'Jane Doe',
      username: 'jane',
      profilePic: customer.profilePic,
      followerCount: 321,
      isUserFollowBusiness: false,
      isBusinessFollowUser: false,
      isVerifiedUser: true,
    });
    expect(await client.getUserProfile(customer.igsid, ['username'])).toEqual({
      igsid: customer.igsid,
      username: 'jane',
    });
  });

  it('reads a profile whose name Meta leaves null as null', async () => {
    const { client, created } = accountFor(sandbox, loginType);
    const customer = sandbox.createCustomer(created.account.id, { name: null, lastInboundSecondsAgo: 60 });
    expect((await client.getUserProfile(customer.igsid, ['name'])).name).toBeNull();
  });

  it('lists conversations (all, or one by user_id), their messages, and one message in detail', async () => {
    const { client, created } = accountFor(sandbox, loginType);
    const jane = sandbox.createCustomer(created.account.id, { username: 'jane' });
    const tom = sandbox.createCustomer(created.account.id, { username: 'tom' });
    const first = sandbox.customerSends(created.account.id, jane.igsid, 'Hallo');
    sandbox.clock.advance(1000);
    sandbox.customerSends(created.account.id, tom.igsid, 'Hi');

    const all = await client.listConversations({ withParticipants: true });
    expect(all.nextCursor).toBeNull();
    expect(all.conversations).toHaveLength(2);
    expect(all.conversations[0]?.participants?.map((p) => p.id)).toContain(tom.igsid);

    const only = await client.listConversations({ userId: jane.igsid });
    expect(only.conversations).toHaveLength(1);
    expect(only.conversations[0]).toEqual({
      id: expect.any(String) as string,
      updatedTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/) as string,
      participants: null,
    });

    const conversationId = only.conversations[0]!.id;
    const thread = await client.getConversationMessages(conversationId);
    expect(thread).toEqual({
      conversationId,
      messages: [{ id: first.mid, createdTime: expect.any(String) as string }],
    });

    expect(await client.getMessage(first.mid!)).toEqual({
      id: first.mid,
      createdTime: expect.any(String) as string,
      from: { id: jane.igsid, username: 'jane' },
      to: [{ id: created.account.id, username: created.account.username }],
      text: 'Hallo',
    });
  });

  it('subscribes the app to webhook fields and reads the subscription back', async () => {
    const { client, created } = accountFor(sandbox, loginType);
    expect(await client.getSubscribedApps()).toEqual([]);
    await client.subscribeApp(['messages', 'message_reactions', 'messaging_postbacks', 'messages']);
    expect(await client.getSubscribedApps()).toEqual([
      {
        appId: created.app.id,
        name: created.app.name,
        subscribedFields: ['messages', 'message_reactions', 'messaging_postbacks'],
      },
    ]);
    expect(sandbox.core.account(created.account.id).subscribedFields).toEqual([
      'messages',
      'message_reactions',
      'messaging_postbacks',
    ]);
  });
});
