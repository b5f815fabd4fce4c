import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeLikeMeta, signWebhookBody, type Sandbox } from '../../electron/main/sandbox';
import { graph, itemsOf, parsed, sandboxForTest, startReceiver, type TestReceiver } from './helpers';

let sandbox: Sandbox;
let receiver: TestReceiver;
const FAST = { immediateRetries: 1, backoffMs: [1, 1], timeoutMs: 2000 };

beforeEach(async () => {
  sandbox = await sandboxForTest({ delivery: FAST });
  receiver = await startReceiver();
});
afterEach(async () => {
  await sandbox.dispose();
  await receiver.close();
});

function setup(
  loginType: 'instagram' | 'facebook' = 'instagram',
  fields = ['messages', 'message_reactions', 'comments'],
) {
  const created = sandbox.createAccount({
    loginType,
    app: { callbackUrl: receiver.url, verifyToken: receiver.verifyToken },
    subscribedFields: fields,
  });
  const customer = sandbox.createCustomer(created.account.id);
  return { ...created, customer };
}

function hmac(algorithm: 'sha256' | 'sha1', secret: string, bytes: Buffer): string {
  return createHmac(algorithm, secret).update(bytes).digest('hex');
}

describe('serialisation and signature', () => {
  it('signs the exact bytes sent, with non-ASCII text escaped as lowercase \\uXXXX (emoji as surrogate pairs)', async () => {
    const { account, customer, app } = setup();
    const text = 'Grüße äöå 😀 こんにちは';
    sandbox.customerSends(account.id, customer.igsid, text);
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(1);
    const post = receiver.posts[0]!;
    expect(post.headers['x-hub-signature-256']).toBe(`sha256=${hmac('sha256', app.secret, post.raw)}`);
    expect(post.headers['x-hub-signature']).toBe(`sha1=${hmac('sha1', app.secret, post.raw)}`);
    const raw = post.raw.toString('utf8');
    expect(/^[\x20-\x7e]*$/.test(raw)).toBe(true);
    expect(raw).toContain('Gr\\u00fc\\u00dfe \\u00e4\\u00f6\\u00e5 \\ud83d\\ude00');
    // Re-serialising the parsed JSON gives other bytes, hence another signature: receivers must hash raw bytes.
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw)), 'utf8');
    expect(hmac('sha256', app.secret, reserialised)).not.toBe(hmac('sha256', app.secret, post.raw));
    const body = parsed(post);
    expect(body.object).toBe('instagram');
    expect(itemsOf(post)[0]!.message?.text).toBe(text);
  });

  it('signs with the Instagram app secret when the app says so (IG Login)', async () => {
    const created = sandbox.createAccount({
      loginType: 'instagram',
      app: { callbackUrl: receiver.url, signWith: 'instagram_app_secret' },
      subscribedFields: ['messages'],
    });
    const customer = sandbox.createCustomer(created.account.id);
    sandbox.customerSends(created.account.id, customer.igsid, 'hi');
    await sandbox.drainWebhooks();
    const post = receiver.posts[0]!;
    expect(post.headers['x-hub-signature-256']).toBe(
      `sha256=${hmac('sha256', created.app.instagramAppSecret, post.raw)}`,
    );
  });

  it('refuses to sign with an empty secret, and delivers nothing', async () => {
    expect(() => signWebhookBody('{}', '')).toThrow(/empty/);
    const created = sandbox.createAccount({
      loginType: 'instagram',
      app: { callbackUrl: receiver.url, secret: '' },
      subscribedFields: ['messages'],
    });
    const customer = sandbox.createCustomer(created.account.id);
    sandbox.customerSends(created.account.id, customer.igsid, 'hi');
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(0);
    expect(sandbox.deliveries.at(-1)?.outcome).toBe('unsigned');
  });

  it('serializeLikeMeta only changes non-ASCII characters', () => {
    const value = { a: 'plain / text', b: 'é', c: '❤️' };
    expect(serializeLikeMeta(value)).toBe('{"a":"plain / text","b":"\\u00e9","c":"\\u2764\\ufe0f"}');
    expect(JSON.parse(serializeLikeMeta(value))).toEqual(value);
  });
});

describe('echoes', () => {
  it('an accepted send produces an is_echo webhook with sender/recipient swapped and the same mid', async () => {
    const { account, customer, token } = setup();
    sandbox.customerSends(account.id, customer.igsid, 'hello');
    await sandbox.drainWebhooks();
    const response = await graph(sandbox, '/v25.0/me/messages', {
      bearer: token,
      json: { recipient: { id: customer.igsid }, message: { text: 'Hi there ✨' } },
    });
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(2);
    const echo = parsed(receiver.posts[1]!);
    expect(echo.entry[0]!.id).toBe(account.id);
    const item = itemsOf(receiver.posts[1]!)[0]!;
    expect(item.sender.id).toBe(account.id);
    expect(item.recipient.id).toBe(customer.igsid);
    expect(item.message).toMatchObject({ mid: response.body.message_id, text: 'Hi there ✨', is_echo: true });
  });

  it('reactions and typing indicators produce no echo', async () => {
    const { account, customer, token } = setup();
    const { mid } = sandbox.customerSends(account.id, customer.igsid, 'hello');
    await sandbox.drainWebhooks();
    await graph(sandbox, '/v25.0/me/messages', {
      bearer: token,
      json: {
        recipient: { id: customer.igsid },
        sender_action: 'react',
        payload: { message_id: mid, reaction: 'love' },
      },
    });
    await graph(sandbox, '/v25.0/me/messages', {
      bearer: token,
      json: { recipient: { id: customer.igsid }, sender_action: 'typing_on' },
    });
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(1);
  });
});

describe('delivery like Meta', () => {
  it('skips fields the account is not subscribed to, and apps without a callback', async () => {
    const { account, customer } = setup('instagram', ['messages']);
    sandbox.customerEvent(account.id, customer.igsid, { type: 'read', targetMid: 'x' });
    const noCallback = sandbox.createAccount({ loginType: 'instagram', subscribedFields: ['messages'] });
    const c2 = sandbox.createCustomer(noCallback.account.id);
    const result = sandbox.customerSends(noCallback.account.id, c2.igsid, 'hi');
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(0);
    expect(result.queued).toBe(false);
    expect(sandbox.core.skipped.map((s) => s.field)).toEqual(['messaging_seen', 'messages']);
  });

  it('batches several entries (accounts of one app) and events in one POST; ms time for messaging, s for changes', async () => {
    const app = sandbox.createApp({ callbackUrl: receiver.url });
    const a = sandbox.createAccount({
      loginType: 'instagram',
      appId: app.id,
      subscribedFields: ['messages', 'comments'],
    });
    const b = sandbox.createAccount({
      loginType: 'instagram',
      appId: app.id,
      subscribedFields: ['messages'],
    });
    const ca = sandbox.createCustomer(a.account.id);
    const cb = sandbox.createCustomer(b.account.id);
    sandbox.customerSends(a.account.id, ca.igsid, 'one');
    sandbox.customerSends(a.account.id, ca.igsid, 'two');
    sandbox.customerSends(b.account.id, cb.igsid, 'three');
    sandbox.customerEvent(a.account.id, ca.igsid, { type: 'comment', text: 'nice' });
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(1);
    const body = parsed(receiver.posts[0]!);
    expect(
      body.entry.map((e) => [e.id, Object.keys(e).filter((k) => k !== 'id' && k !== 'time')[0]]),
    ).toEqual([
      [a.account.id, 'messaging'],
      [b.account.id, 'messaging'],
      [a.account.id, 'changes'],
    ]);
    expect((body.entry[0]!.messaging as unknown[]).length).toBe(2);
    const now = sandbox.clock.now();
    expect(body.entry[0]!.time).toBe(now);
    expect(body.entry[2]!.time).toBe(Math.floor(now / 1000));
  });

  it('retries a failed POST immediately and then with backoff, with identical bytes, until 2xx', async () => {
    const { account, customer } = setup();
    receiver.respond = (i) => (i < 3 ? 500 : 200);
    sandbox.customerSends(account.id, customer.igsid, 'retry me');
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(4);
    const bodies = new Set(receiver.posts.map((p) => p.raw.toString('hex')));
    expect(bodies.size).toBe(1);
    expect(sandbox.deliveries.map((d) => [d.attempt, d.status, d.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 500, 'retrying'],
      [3, 500, 'retrying'],
      [4, 200, 'delivered'],
    ]);
  });

  it('drops a POST after the last backoff step', async () => {
    const { account, customer } = setup();
    receiver.respond = () => 503;
    sandbox.customerSends(account.id, customer.igsid, 'never');
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(4);
    expect(sandbox.deliveries.at(-1)?.outcome).toBe('dropped');
  });

  it('retries when the receiver does not answer in time', async () => {
    sandbox.configureWebhooks({ timeoutMs: 100 });
    const { account, customer } = setup();
    receiver.respond = (i) => (i === 0 ? 'hang' : 200);
    sandbox.customerSends(account.id, customer.igsid, 'slow receiver');
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(2);
    expect(sandbox.deliveries[0]).toMatchObject({ status: null, outcome: 'retrying' });
    expect(sandbox.deliveries[0]!.error).toMatch(/timeout/);
    expect(sandbox.deliveries[1]).toMatchObject({ status: 200, outcome: 'delivered' });
  });

  it('duplicates POSTs when asked (same bytes, same signature)', async () => {
    sandbox.configureWebhooks({ duplicateRate: 1 });
    const { account, customer } = setup();
    sandbox.customerSends(account.id, customer.igsid, 'twice');
    await sandbox.drainWebhooks();
    expect(receiver.posts).toHaveLength(2);
    expect(receiver.posts[0]!.raw.equals(receiver.posts[1]!.raw)).toBe(true);
    expect(receiver.posts[0]!.headers['x-hub-signature-256']).toBe(
      receiver.posts[1]!.headers['x-hub-signature-256'],
    );
    expect(sandbox.deliveries.map((d) => d.duplicate)).toEqual([false, true]);
  });

  it('reorders events when asked; nothing is lost', async () => {
    sandbox.configureWebhooks({ reorder: true, maxItemsPerPost: 1 });
    const { account, customer } = setup();
    const texts = Array.from({ length: 8 }, (_, i) => `message ${i}`);
    for (const t of texts) sandbox.customerSends(account.id, customer.igsid, t);
    await sandbox.drainWebhooks();
    const received = receiver.posts.map((p) => itemsOf(p)[0]!.message?.text ?? '');
    expect([...received].sort()).toEqual([...texts].sort());
    expect(received).not.toEqual(texts);
  });

  it('keeps order without reordering', async () => {
    sandbox.configureWebhooks({ maxItemsPerPost: 1 });
    const { account, customer } = setup();
    const texts = Array.from({ length: 5 }, (_, i) => `message ${i}`);
    for (const t of texts) sandbox.customerSends(account.id, customer.igsid, t);
    await sandbox.drainWebhooks();
    expect(receiver.posts.map((p) => itemsOf(p)[0]!.message?.text)).toEqual(texts);
  });

  it('delivers standby events in entry.standby[]', async () => {
    const { account, customer } = setup('instagram', ['standby']);
    sandbox.customerEvent(
      account.id,
      customer.igsid,
      { type: 'postback', title: 'Hours?', payload: 'HOURS' },
      { standby: true },
    );
    await sandbox.drainWebhooks();
    const entry = parsed(receiver.posts[0]!).entry[0]!;
    expect(entry.messaging).toBeUndefined();
    const item = itemsOf(receiver.posts[0]!, 0, 'standby')[0]!;
    expect(item.postback?.title).toBe('Hours?');
    expect(item.postback).not.toHaveProperty('payload');
  });
});

describe('verification handshake', () => {
  it('passes when the endpoint echoes the challenge for the right token', async () => {
    const { app } = setup();
    const result = await sandbox.verifyWebhook(app.id, '1158201444');
    expect(result).toMatchObject({ ok: true, status: 200, body: '1158201444' });
    const query = new URL(receiver.gets[0]!.url, 'http://x').searchParams;
    expect([query.get('hub.mode'), query.get('hub.verify_token'), query.get('hub.challenge')]).toEqual([
      'subscribe',
      receiver.verifyToken,
      '1158201444',
    ]);
  });

  it('fails when the verify token does not match', async () => {
    const { app } = setup();
    sandbox.updateApp(app.id, { verifyToken: 'wrong' });
    const result = await sandbox.verifyWebhook(app.id);
    expect(result).toMatchObject({ ok: false, status: 403 });
  });
});
