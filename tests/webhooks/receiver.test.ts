/**
 * The receiver with Meta's own behaviour on the other side: the sandbox's simulator signs the exact bytes
 * it sends (unicode escaped), batches and duplicates; the core stores, acknowledges and ingests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeLikeMeta } from '../../electron/main/sandbox';
import { body, customerItem, mid } from '../receiving/support';
import { startWebhookWorld, type WebhookWorld } from './support';

let world: WebhookWorld;
beforeAll(async () => {
  world = await startWebhookWorld();
});
afterAll(async () => {
  await world?.dispose();
});

async function messagesOf(accountId: string, igsid: string) {
  const repos = world.repos();
  const conversation = await repos.conversations.findConversation(accountId, igsid);
  if (!conversation) return [];
  return repos.conversations.listThread(conversation.id, { limit: 100 });
}

describe('verification handshake', () => {
  it('answers the raw challenge as text/plain when the verify token matches', async () => {
    const account = await world.addAccount();
    const result = await world.sandbox.verifyWebhook(account.appId, '1158201444');
    expect(result).toMatchObject({ ok: true, status: 200, body: '1158201444' });
    const answer = await fetch(
      `${world.origin}${account.path}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(account.view.webhookVerifyToken!)}&hub.challenge=42`,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await answer.text()).toBe('42');
  });

  it('answers 403 to a wrong token, a wrong mode, a missing challenge and an unknown account', async () => {
    const account = await world.addAccount();
    world.sandbox.updateApp(account.appId, { verifyToken: 'not-the-token' });
    expect(await world.sandbox.verifyWebhook(account.appId)).toMatchObject({ ok: false, status: 403 });
    const token = encodeURIComponent(account.view.webhookVerifyToken!);
    for (const query of [
      `hub.mode=unsubscribe&hub.verify_token=${token}&hub.challenge=1`,
      `hub.mode=subscribe&hub.verify_token=${token}`,
      `hub.mode=subscribe&hub.verify_token=&hub.challenge=1`,
    ]) {
      expect((await world.send('GET', `${account.path}?${query}`)).status, query).toBe(403);
    }
    const unknown = await world.send(
      'GET',
      `/webhooks/instagram/999000111222?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1`,
    );
    expect(unknown.status).toBe(403);
    await world.harness.core.webhookReceiver.settle();
    const reasons = (await world.repos().webhookSecurity.list({ accountId: account.view.id })).map(
      (e) => e.reason,
    );
    expect(reasons).toEqual(expect.arrayContaining(['verify_token_mismatch', 'handshake_invalid']));
  });
});

describe('signed deliveries', () => {
  it('stores the exact bytes the simulator signed (escaped unicode, emoji) and ingests them into the right rows', async () => {
    const account = await world.addAccount();
    const other = await world.addAccount();
    const text = 'Grüße aus Köln — äöå 👋🏽 ok?';
    const sent = world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, text);
    world.sandbox.customerSends(other.instagramAccountId, other.customerIgsid, 'for the other account');
    await world.settle();

    const attempts = world.sandbox.deliveries.filter((d) => d.appId === account.appId);
    expect(attempts.map((a) => a.status)).toEqual([200]);
    const stored = (await world.deliveries()).filter((d) => d.accountId === account.view.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.rawBody).toBe(attempts[0]!.body);
    expect(stored[0]!.rawBody).toContain('\\u00fc');
    expect(stored[0]!.rawBody).not.toContain('ü');
    expect(stored[0]!.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(stored[0]!.state).toBe('processed');

    const messages = await messagesOf(account.view.id, account.customerIgsid);
    expect(messages.map((m) => [m.mid, m.text, m.direction])).toEqual([[sent.mid, text, 'inbound']]);
    expect(await messagesOf(account.view.id, other.customerIgsid)).toEqual([]);
    expect((await messagesOf(other.view.id, other.customerIgsid)).map((m) => m.text)).toEqual([
      'for the other account',
    ]);
    const view = await world.repos().accounts.get(account.view.id);
    expect(view?.lastWebhookAt).not.toBeNull();
  });

  it('accepts a signature made with the Instagram app secret, and refuses it when that secret is not stored', async () => {
    const withSecret = await world.addAccount({ signWith: 'instagram_app_secret' });
    const without = await world.addAccount({
      signWith: 'instagram_app_secret',
      storeInstagramAppSecret: false,
    });
    world.sandbox.customerSends(
      withSecret.instagramAccountId,
      withSecret.customerIgsid,
      'signed with the IG secret',
    );
    world.sandbox.customerSends(without.instagramAccountId, without.customerIgsid, 'cannot be verified');
    await world.settle();
    expect(world.sandbox.deliveries.filter((d) => d.appId === withSecret.appId).map((d) => d.status)).toEqual(
      [200],
    );
    expect(world.sandbox.deliveries.filter((d) => d.appId === without.appId).map((d) => d.status)).toEqual([
      403,
    ]);
    expect((await messagesOf(withSecret.view.id, withSecret.customerIgsid)).map((m) => m.text)).toEqual([
      'signed with the IG secret',
    ]);
    expect(
      await world.repos().conversations.findConversation(without.view.id, without.customerIgsid),
    ).toBeNull();
  });

  it('stores a replayed old delivery again, and ingest creates nothing twice', async () => {
    const account = await world.addAccount();
    world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, 'only once please');
    await world.settle();
    const original = world.sandbox.deliveries.find((d) => d.appId === account.appId)!;
    const replay = await world.postSigned(account.path, original.body!, account.appSecret);
    expect(replay.status).toBe(200);
    await world.settle();
    const stored = (await world.deliveries()).filter((d) => d.accountId === account.view.id);
    expect(stored.map((d) => d.rawBody)).toEqual([original.body, original.body]);
    expect(stored.map((d) => d.state)).toEqual(['processed', 'processed']);
    expect(await messagesOf(account.view.id, account.customerIgsid)).toHaveLength(1);
  });

  it('creates nothing twice for duplicates within one POST and across POSTs', async () => {
    const account = await world.addAccount();
    const repeated = mid('dup');
    const item = customerItem(
      account.instagramAccountId,
      account.customerIgsid,
      Date.now(),
      {
        type: 'text',
        text: 'twice in one POST',
      },
      { mid: repeated },
    );
    expect((await world.postSigned(account.path, body([item, item]), account.appSecret)).status).toBe(200);

    world.sandbox.configureWebhooks({ duplicateRate: 1 });
    try {
      world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, 'sent as two POSTs');
      await world.settle();
    } finally {
      world.sandbox.configureWebhooks({ duplicateRate: 0 });
    }
    const posts = world.sandbox.deliveries.filter((d) => d.appId === account.appId);
    expect(posts.map((p) => [p.duplicate, p.status])).toEqual([
      [false, 200],
      [true, 200],
    ]);
    const messages = await messagesOf(account.view.id, account.customerIgsid);
    expect(messages.map((m) => m.text).sort()).toEqual(['sent as two POSTs', 'twice in one POST']);
    const conversation = await world
      .repos()
      .conversations.findConversation(account.view.id, account.customerIgsid);
    expect(conversation?.messageCount).toBe(2);
  });

  it('keeps a correctly signed body that is truncated, not JSON or not UTF-8, and ingest marks it not understood', async () => {
    const account = await world.addAccount();
    const good = serializeLikeMeta({ object: 'instagram', entry: [] });
    const bodies = [
      good.slice(0, good.length - 3),
      'this is not json',
      Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]),
    ];
    for (const raw of bodies)
      expect((await world.postSigned(account.path, raw, account.appSecret)).status).toBe(200);
    await world.settle();
    const stored = (await world.deliveries()).filter((d) => d.accountId === account.view.id);
    expect(stored).toHaveLength(3);
    expect(stored.map((d) => d.state)).toEqual(['ignored', 'ignored', 'ignored']);
    for (const row of stored) expect(row.error).toMatch(/Not understood/);
    expect(stored[2]!.headers['x-switchboard-body-encoding']).toBe('base64');
    expect(Buffer.from(stored[2]!.rawBody, 'base64')).toEqual(bodies[2]);
  });
});
