import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreatedAccount, Sandbox, SandboxCustomer } from '../../electron/main/sandbox';
import { DAY, errorOf, graph, HOUR, sandboxForTest, type GraphResponse } from './helpers';

let sandbox: Sandbox;
let ig: CreatedAccount;
let fb: CreatedAccount;
let igCustomer: SandboxCustomer;
let fbCustomer: SandboxCustomer;

beforeEach(async () => {
  sandbox = await sandboxForTest();
  ig = sandbox.createAccount({ loginType: 'instagram' });
  fb = sandbox.createAccount({ loginType: 'facebook' });
  igCustomer = sandbox.createCustomer(ig.account.id, { lastInboundSecondsAgo: 60 });
  fbCustomer = sandbox.createCustomer(fb.account.id, { lastInboundSecondsAgo: 60 });
});
afterEach(async () => {
  await sandbox.dispose();
});

function sendIg(body: unknown, account: CreatedAccount = ig): Promise<GraphResponse> {
  return graph(sandbox, `/v25.0/${account.account.id}/messages`, { bearer: account.token, json: body });
}
function sendFb(body: unknown): Promise<GraphResponse> {
  return graph(sandbox, '/v25.0/me/messages', { query: { access_token: fb.token }, json: body });
}
const text = (recipient: string, value: string): unknown => ({
  recipient: { id: recipient },
  message: { text: value },
});

describe('successful sends', () => {
  it('returns recipient_id and a long base64-like message id, and records the send', async () => {
    const response = await sendIg(text(igCustomer.igsid, 'Hello 👋'));
    expect(response.status).toBe(200);
    expect(response.body.recipient_id).toBe(igCustomer.igsid);
    const mid = response.body.message_id as string;
    expect(mid.length).toBeGreaterThan(100);
    expect(mid).toMatch(/^[A-Za-z0-9_-]+$/);
    const sent = sandbox.sentMessages({ accountId: ig.account.id });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ recipientId: igCustomer.igsid, messageId: mid, kind: 'message' });
    expect(sandbox.counters(ig.account.id)).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('accepts the FB-host shape with a form-encoded body', async () => {
    const form = new URLSearchParams({
      recipient: JSON.stringify({ id: fbCustomer.igsid }),
      message: JSON.stringify({ text: 'hi' }),
      access_token: fb.token,
    });
    const response = await graph(sandbox, '/v25.0/me/messages', {
      raw: form.toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(200);
    expect(response.body.recipient_id).toBe(fbCustomer.igsid);
  });

  it('accepts media by URL, like_heart, MEDIA_SHARE and a generic template', async () => {
    const r = igCustomer.igsid;
    for (const attachment of [
      { type: 'image', payload: { url: 'https://example.com/a.jpg' } },
      { type: 'like_heart' },
      { type: 'MEDIA_SHARE', payload: { id: '17900000000000001' } },
      {
        type: 'template',
        payload: {
          template_type: 'generic',
          elements: [{ title: 'Hat', buttons: [{ type: 'postback', title: 'Buy', payload: 'BUY' }] }],
        },
      },
    ]) {
      const response = await sendIg({ recipient: { id: r }, message: { attachment } });
      expect(response.status, JSON.stringify(attachment)).toBe(200);
    }
  });
});

describe('message content rules (100)', () => {
  it('accepts exactly 1,000 UTF-8 bytes and rejects 1,001 (emoji count 4 bytes)', async () => {
    const exact = `${'a'.repeat(996)}😀`; // 996 + 4 bytes
    expect((await sendIg(text(igCustomer.igsid, exact))).status).toBe(200);
    const over = `${'a'.repeat(997)}😀`;
    const response = await sendIg(text(igCustomer.igsid, over));
    expect(errorOf(response)).toMatchObject({ code: 100, type: 'IGApiException' });
  });

  it('accepts 13 quick replies and rejects 14', async () => {
    const qr = (n: number): unknown[] =>
      Array.from({ length: n }, (_, i) => ({ content_type: 'text', title: `Option ${i}`, payload: `P${i}` }));
    expect(
      (
        await sendIg({
          recipient: { id: igCustomer.igsid },
          message: { text: 'Pick', quick_replies: qr(13) },
        })
      ).status,
    ).toBe(200);
    const response = await sendIg({
      recipient: { id: igCustomer.igsid },
      message: { text: 'Pick', quick_replies: qr(14) },
    });
    expect(errorOf(response).code).toBe(100);
  });

  it('truncates quick-reply titles after 20 characters and rejects an empty title', async () => {
    const long = 'Twenty-five characters!!!';
    const ok = await sendIg({
      recipient: { id: igCustomer.igsid },
      message: { text: 'Pick', quick_replies: [{ content_type: 'text', title: long, payload: 'P' }] },
    });
    expect(ok.status).toBe(200);
    const [record] = sandbox.sentMessages();
    expect(record?.message?.quickReplies).toEqual([
      { content_type: 'text', title: long.slice(0, 20), payload: 'P' },
    ]);
    const empty = await sendIg({
      recipient: { id: igCustomer.igsid },
      message: { text: 'Pick', quick_replies: [{ content_type: 'text', title: '', payload: 'P' }] },
    });
    expect(errorOf(empty).code).toBe(100);
  });

  it('rejects an empty message, two bodies at once and an unknown attachment type', async () => {
    for (const message of [
      {},
      { text: 'a', attachment: { type: 'like_heart' } },
      { attachment: { type: 'sticker' } },
    ]) {
      const response = await sendIg({ recipient: { id: igCustomer.igsid }, message });
      expect(errorOf(response).code, JSON.stringify(message)).toBe(100);
    }
  });

  it('rejects unknown top-level fields and unknown message fields', async () => {
    expect(
      errorOf(await sendIg({ recipient: { id: igCustomer.igsid }, message: { text: 'x' }, priority: 'high' }))
        .code,
    ).toBe(100);
    expect(
      errorOf(await sendIg({ recipient: { id: igCustomer.igsid }, message: { text: 'x', bold: true } })).code,
    ).toBe(100);
  });

  it('rejects malformed JSON and a wrong content type with 100', async () => {
    const malformed = await graph(sandbox, '/v25.0/me/messages', {
      bearer: ig.token,
      raw: '{"recipient": {"id": ',
      contentType: 'application/json',
    });
    expect(errorOf(malformed)).toMatchObject({ code: 100, type: 'IGApiException' });
    const wrongType = await graph(sandbox, '/v25.0/me/messages', {
      bearer: ig.token,
      raw: JSON.stringify(text(igCustomer.igsid, 'x')),
      contentType: 'text/plain',
    });
    expect(errorOf(wrongType).code).toBe(100);
    expect(sandbox.sentMessages()).toHaveLength(0);
  });
});

describe('recipients', () => {
  it("answers 100/2018001 for an unknown IGSID and for another account's customer", async () => {
    expect(errorOf(await sendIg(text('9999999999999999', 'x')))).toMatchObject({
      code: 100,
      error_subcode: 2018001,
    });
    const other = sandbox.createAccount({ loginType: 'instagram' });
    expect(errorOf(await sendIg(text(igCustomer.igsid, 'x'), other))).toMatchObject({
      code: 100,
      error_subcode: 2018001,
    });
  });

  it('answers 551/1545041 when the person is unavailable', async () => {
    sandbox.core.updateCustomer(ig.account.id, igCustomer.igsid, { unavailable: true });
    expect(errorOf(await sendIg(text(igCustomer.igsid, 'x')))).toMatchObject({
      code: 551,
      error_subcode: 1545041,
    });
  });
});

describe('24-hour window and HUMAN_AGENT', () => {
  it('IG Login: outside 24 h answers 10/2534022 (IGApiException)', async () => {
    sandbox.clock.advance(24 * HOUR + 1000);
    const response = await sendIg(text(igCustomer.igsid, 'late'));
    expect(response.status).toBe(403);
    expect(errorOf(response)).toMatchObject({ code: 10, error_subcode: 2534022, type: 'IGApiException' });
  });

  it('FB Login: outside 24 h answers 10/2018278 (OAuthException)', async () => {
    sandbox.clock.advance(25 * HOUR);
    expect(errorOf(await sendFb(text(fbCustomer.igsid, 'late')))).toMatchObject({
      code: 10,
      error_subcode: 2018278,
      type: 'OAuthException',
    });
  });

  it('a customer who never wrote cannot be messaged', async () => {
    const cold = sandbox.createCustomer(ig.account.id);
    expect(errorOf(await sendIg(text(cold.igsid, 'hi'))).error_subcode).toBe(2534022);
  });

  it('a new customer message reopens the window', async () => {
    sandbox.clock.advance(3 * DAY);
    expect(errorOf(await sendIg(text(igCustomer.igsid, 'x'))).code).toBe(10);
    sandbox.customerSends(ig.account.id, igCustomer.igsid, 'still there?');
    expect((await sendIg(text(igCustomer.igsid, 'yes!'))).status).toBe(200);
  });

  const humanAgent = (recipient: string): unknown => ({
    recipient: { id: recipient },
    messaging_type: 'MESSAGE_TAG',
    tag: 'HUMAN_AGENT',
    message: { text: 'A human here' },
  });

  it('HUMAN_AGENT without the feature is refused with 10', async () => {
    sandbox.clock.advance(2 * DAY);
    const response = await sendIg(humanAgent(igCustomer.igsid));
    expect(errorOf(response).code).toBe(10);
    expect(errorOf(response).error_subcode).toBeUndefined();
  });

  it('HUMAN_AGENT with the feature works up to 7 days, then 2534022', async () => {
    sandbox.core.updateAccount(ig.account.id, { humanAgentEnabled: true });
    sandbox.clock.advance(6 * DAY);
    expect((await sendIg(humanAgent(igCustomer.igsid))).status).toBe(200);
    sandbox.clock.advance(1 * DAY + 1000);
    expect(errorOf(await sendIg(humanAgent(igCustomer.igsid)))).toMatchObject({
      code: 10,
      error_subcode: 2534022,
    });
  });

  it('tag without MESSAGE_TAG, and retired tags, are 100', async () => {
    expect(
      errorOf(
        await sendIg({ recipient: { id: igCustomer.igsid }, tag: 'HUMAN_AGENT', message: { text: 'x' } }),
      ).code,
    ).toBe(100);
    expect(
      errorOf(
        await sendIg({
          recipient: { id: igCustomer.igsid },
          messaging_type: 'MESSAGE_TAG',
          tag: 'POST_PURCHASE_UPDATE',
          message: { text: 'x' },
        }),
      ).code,
    ).toBe(100);
  });
});

describe('rate limits', () => {
  it('per second: 613 beyond the limit; counters never show more than the limit accepted in a second', async () => {
    sandbox.setRateLimits(ig.account.id, { perSecond: 3 });
    const results: number[] = [];
    for (let i = 0; i < 4; i++) results.push((await sendIg(text(igCustomer.igsid, `m${i}`))).status);
    expect(results).toEqual([200, 200, 200, 400]);
    const blocked = await sendIg(text(igCustomer.igsid, 'again'));
    expect(errorOf(blocked)).toMatchObject({ code: 613 });
    sandbox.clock.advance(1001);
    expect((await sendIg(text(igCustomer.igsid, 'next second'))).status).toBe(200);
    expect(sandbox.counters(ig.account.id)).toMatchObject({
      accepted: 4,
      rejected: 2,
      maxPerSecond: 3,
      lastSecond: 1,
    });
  });

  it('per hour: code 4 (transient) beyond the limit', async () => {
    sandbox.setRateLimits(ig.account.id, { perSecond: null, perHour: 2 });
    await sendIg(text(igCustomer.igsid, 'a'));
    sandbox.clock.advance(10 * 60 * 1000);
    await sendIg(text(igCustomer.igsid, 'b'));
    const response = await sendIg(text(igCustomer.igsid, 'c'));
    expect(response.body).toMatchObject({ error: { code: 4, is_transient: true } });
    sandbox.clock.advance(HOUR);
    sandbox.customerSends(ig.account.id, igCustomer.igsid, 'ping');
    expect((await sendIg(text(igCustomer.igsid, 'd'))).status).toBe(200);
    expect(sandbox.counters(ig.account.id).maxPerHour).toBe(2);
  });
});

describe('private replies', () => {
  it('one private reply per comment; the reply does not open the window', async () => {
    const stranger = sandbox.createCustomer(ig.account.id);
    const { commentId } = sandbox.customerEvent(ig.account.id, stranger.igsid, {
      type: 'comment',
      text: 'price?',
    });
    const body = { recipient: { comment_id: commentId }, message: { text: 'Sent you a DM!' } };
    const first = await sendIg(body);
    expect(first.body).toMatchObject({ recipient_id: stranger.igsid });
    expect(typeof first.body.message_id).toBe('string');
    expect(errorOf(await sendIg(body)).code).toBe(200);
    expect(errorOf(await sendIg(text(stranger.igsid, 'follow-up'))).error_subcode).toBe(2534022);
  });

  it('refuses a private reply more than 7 days after the comment, and an unknown comment', async () => {
    const stranger = sandbox.createCustomer(ig.account.id);
    const { commentId } = sandbox.customerEvent(ig.account.id, stranger.igsid, {
      type: 'comment',
      text: 'hello',
    });
    sandbox.clock.advance(7 * DAY + 1000);
    expect(
      errorOf(await sendIg({ recipient: { comment_id: commentId }, message: { text: 'late' } })).code,
    ).toBe(200);
    expect(
      errorOf(await sendIg({ recipient: { comment_id: '17800000000000000' }, message: { text: 'x' } })).code,
    ).toBe(100);
  });

  it('needs the comments permission (200)', async () => {
    const limited = sandbox.createAccount({
      loginType: 'instagram',
      scopes: ['instagram_business_basic', 'instagram_business_manage_messages'],
    });
    const person = sandbox.createCustomer(limited.account.id);
    const { commentId } = sandbox.customerEvent(limited.account.id, person.igsid, {
      type: 'comment',
      text: 'hi',
    });
    const response = await sendIg({ recipient: { comment_id: commentId }, message: { text: 'x' } }, limited);
    expect(errorOf(response).code).toBe(200);
  });
});

describe('sender actions and reactions', () => {
  it('typing_on/mark_seen must contain only recipient and sender_action', async () => {
    const ok = await sendIg({ recipient: { id: igCustomer.igsid }, sender_action: 'typing_on' });
    expect(ok.body).toEqual({ recipient_id: igCustomer.igsid });
    const extra = await sendIg({
      recipient: { id: igCustomer.igsid },
      sender_action: 'mark_seen',
      message: { text: 'x' },
    });
    expect(errorOf(extra).code).toBe(100);
  });

  it('react/unreact to a message in the thread; unknown message is 100', async () => {
    const { mid } = sandbox.customerSends(ig.account.id, igCustomer.igsid, 'I love it');
    const react = await sendIg({
      recipient: { id: igCustomer.igsid },
      sender_action: 'react',
      payload: { message_id: mid, reaction: 'love' },
    });
    expect(react.body).toEqual({ recipient_id: igCustomer.igsid });
    const unreact = await sendIg({
      recipient: { id: igCustomer.igsid },
      sender_action: 'unreact',
      payload: { message_id: mid },
    });
    expect(unreact.status).toBe(200);
    const unknown = await sendIg({
      recipient: { id: igCustomer.igsid },
      sender_action: 'react',
      payload: { message_id: 'nope', reaction: 'love' },
    });
    expect(errorOf(unknown).code).toBe(100);
    const badReaction = await sendIg({
      recipient: { id: igCustomer.igsid },
      sender_action: 'react',
      payload: { message_id: mid, reaction: 'meh' },
    });
    expect(errorOf(badReaction).code).toBe(100);
  });
});

describe('permissions', () => {
  it('answers 10 without the messaging scope', async () => {
    const limited = sandbox.createAccount({ loginType: 'facebook', scopes: ['instagram_basic'] });
    const customer = sandbox.createCustomer(limited.account.id, { lastInboundSecondsAgo: 1 });
    const response = await graph(sandbox, '/v25.0/me/messages', {
      query: { access_token: limited.token },
      json: text(customer.igsid, 'x'),
    });
    expect(errorOf(response)).toMatchObject({ code: 10, type: 'OAuthException' });
  });
});

describe('faults', () => {
  it('injects an error code for the next N calls only', async () => {
    sandbox.injectFault(
      ig.account.id,
      { kind: 'error', code: 1200, message: 'Temporary send message failure. Please try again later.' },
      2,
    );
    expect(errorOf(await sendIg(text(igCustomer.igsid, 'a'))).code).toBe(1200);
    expect(errorOf(await sendIg(text(igCustomer.igsid, 'b'))).code).toBe(1200);
    expect((await sendIg(text(igCustomer.igsid, 'c'))).status).toBe(200);
  });

  it('injects a 5xx with a transient service error', async () => {
    sandbox.injectFault(ig.account.id, { kind: 'status', status: 503 });
    const response = await sendIg(text(igCustomer.igsid, 'a'));
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: { code: 2, is_transient: true } });
  });

  it('injects latency and still answers', async () => {
    sandbox.injectFault(ig.account.id, { kind: 'latency', ms: 20 });
    expect((await sendIg(text(igCustomer.igsid, 'slow'))).status).toBe(200);
  });

  it('drops the connection', async () => {
    sandbox.injectFault(ig.account.id, { kind: 'drop' });
    await expect(sendIg(text(igCustomer.igsid, 'x'))).rejects.toThrow();
    expect(sandbox.sentMessages()).toHaveLength(0);
  });

  it('hangs until the client gives up', async () => {
    sandbox.injectFault(ig.account.id, { kind: 'hang' });
    const request = fetch(new URL(`/v25.0/me/messages`, sandbox.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${ig.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(text(igCustomer.igsid, 'x')),
      signal: AbortSignal.timeout(200),
    });
    await expect(request).rejects.toThrow();
  });
});
