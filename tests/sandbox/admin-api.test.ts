import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../electron/main/sandbox';
import { DAY, errorOf, graph, itemsOf, sandboxForTest, startReceiver, type TestReceiver } from './helpers';

let sandbox: Sandbox;
let receiver: TestReceiver;
beforeEach(async () => {
  sandbox = await sandboxForTest({ delivery: { backoffMs: [1] } });
  receiver = await startReceiver();
});
afterEach(async () => {
  await sandbox.dispose();
  await receiver.close();
});

type Json = Record<string, unknown>;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(new URL(`/__sandbox${path}`, sandbox.url), {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const json: unknown = await response.json();
  return { status: response.status, body: json as Json };
}

describe('admin API over HTTP', () => {
  it('drives a full round trip: account, customer, inbound DM to a callback, reply, sent log, counters', async () => {
    const created = await admin('POST', '/accounts', {
      loginType: 'instagram',
      app: { callbackUrl: receiver.url },
      subscribedFields: ['messages'],
    });
    expect(created.status).toBe(200);
    const { account, token, app } = created.body as {
      account: { id: string };
      token: string;
      app: { secret: string };
    };
    expect(typeof app.secret).toBe('string');
    const customer = (await admin('POST', `/accounts/${account.id}/customers`, { username: 'jane' }))
      .body as { igsid: string };
    const event = await admin('POST', `/accounts/${account.id}/customers/${customer.igsid}/events`, {
      event: { type: 'text', text: 'Hallo 👋' },
      wait: true,
    });
    expect(event.body.deliveries).toEqual([expect.objectContaining({ outcome: 'delivered', status: 200 })]);
    expect(itemsOf(receiver.posts[0]!)[0]!.message?.mid).toBe(event.body.mid);

    const reply = await graph(sandbox, `/v25.0/${account.id}/messages`, {
      bearer: token,
      json: { recipient: { id: customer.igsid }, message: { text: 'Hi Jane' } },
    });
    expect(reply.status).toBe(200);
    const sent = await admin('GET', `/sent?accountId=${account.id}`);
    expect(sent.body.data).toEqual([
      expect.objectContaining({ messageId: reply.body.message_id, recipientId: customer.igsid }),
    ]);
    expect((await admin('GET', `/accounts/${account.id}/counters`)).body).toMatchObject({
      accepted: 1,
      maxPerSecond: 1,
    });
  });

  it('moves the clock and ages/expires tokens', async () => {
    const { account, token } = (await admin('POST', '/accounts', { loginType: 'instagram' })).body as {
      account: { id: string };
      token: string;
    };
    const customer = (await admin('POST', `/accounts/${account.id}/customers`, { lastInboundSecondsAgo: 10 }))
      .body as { igsid: string };
    await admin('POST', '/clock/advance', { ms: 2 * DAY });
    const late = await graph(sandbox, '/v25.0/me/messages', {
      bearer: token,
      json: { recipient: { id: customer.igsid }, message: { text: 'x' } },
    });
    expect(errorOf(late).error_subcode).toBe(2534022);
    expect((await admin('GET', '/clock')).body.offsetMs).toBe(2 * DAY);
    await admin('PATCH', `/tokens/${token}`, { expire: true });
    expect(errorOf(await graph(sandbox, '/v25.0/me', { bearer: token })).error_subcode).toBe(463);
  });

  it('injects and clears faults, and configures rate limits', async () => {
    const { account, token } = (await admin('POST', '/accounts', { loginType: 'facebook' })).body as {
      account: { id: string };
      token: string;
    };
    await admin('POST', `/accounts/${account.id}/faults`, {
      fault: { kind: 'error', code: 4, message: '(#4) Application request limit reached' },
      count: null,
    });
    expect(errorOf(await graph(sandbox, '/v25.0/me', { query: { access_token: token } })).code).toBe(4);
    expect(errorOf(await graph(sandbox, '/v25.0/me', { query: { access_token: token } })).code).toBe(4);
    await admin('DELETE', `/accounts/${account.id}/faults`);
    expect((await graph(sandbox, '/v25.0/me', { query: { access_token: token } })).status).toBe(200);
    const limits = await admin('PUT', `/accounts/${account.id}/rate-limits`, { perSecond: 5, perHour: 100 });
    expect(limits.body).toEqual({ perSecond: 5, perHour: 100 });
  });

  it('rejects invalid admin input with 400 and unknown routes with 404', async () => {
    expect((await admin('POST', '/accounts', { loginType: 'myspace' })).status).toBe(400);
    expect((await admin('POST', '/accounts', { loginType: 'instagram', colour: 'red' })).status).toBe(400);
    expect((await admin('GET', '/nope')).status).toBe(404);
    const bad = await fetch(new URL('/__sandbox/accounts', sandbox.url), {
      method: 'POST',
      body: '{not json',
    });
    expect(bad.status).toBe(400);
  });
});

describe('conversations and profiles', () => {
  it('lists conversations, filters by user_id, and only reads the 20 most recent messages', async () => {
    const { account, token } = sandbox.createAccount({ loginType: 'instagram' });
    const a = sandbox.createCustomer(account.id);
    const b = sandbox.createCustomer(account.id);
    const mids: string[] = [];
    for (let i = 0; i < 22; i++) {
      sandbox.clock.advance(1000);
      mids.push(sandbox.customerSends(account.id, a.igsid, `m${i}`).mid!);
    }
    sandbox.customerSends(account.id, b.igsid, 'hello');
    const list = await graph(sandbox, '/v25.0/me/conversations', {
      bearer: token,
      query: { platform: 'instagram' },
    });
    expect((list.body.data as unknown[]).length).toBe(2);
    expect(errorOf(await graph(sandbox, '/v25.0/me/conversations', { bearer: token })).code).toBe(100);
    const one = await graph(sandbox, '/v25.0/me/conversations', {
      bearer: token,
      query: { platform: 'instagram', user_id: a.igsid },
    });
    const conversationId = (one.body.data as Array<{ id: string }>)[0]!.id;
    const messages = await graph(sandbox, `/v25.0/${conversationId}`, {
      bearer: token,
      query: { fields: 'messages' },
    });
    const data = (messages.body.messages as { data: Array<{ id: string }> }).data;
    expect(data.map((m) => m.id)).toEqual(mids.slice(2).reverse());
    const recent = await graph(sandbox, `/v25.0/${mids[21]}`, {
      bearer: token,
      query: { fields: 'id,created_time,from,to,message' },
    });
    expect(recent.body).toMatchObject({
      id: mids[21],
      message: 'm21',
      from: { id: a.igsid },
      to: { data: [{ id: account.id }] },
    });
    expect(recent.body.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(
      errorOf(await graph(sandbox, `/v25.0/${mids[0]}`, { bearer: token, query: { fields: 'id,message' } }))
        .error_subcode,
    ).toBe(33);
  });

  it('user profile needs consent (230) and answers the requested fields once the person wrote', async () => {
    const { account, token } = sandbox.createAccount({ loginType: 'instagram' });
    const person = sandbox.createCustomer(account.id, { username: 'peter_chang_live', name: 'Peter Chang' });
    const before = await graph(sandbox, `/v25.0/${person.igsid}`, {
      bearer: token,
      query: { fields: 'name,username' },
    });
    expect(errorOf(before).code).toBe(230);
    sandbox.customerSends(account.id, person.igsid, 'hi');
    const after = await graph(sandbox, `/v25.0/${person.igsid}`, {
      bearer: token,
      query: { fields: 'name,username,is_verified_user' },
    });
    expect(after.body).toEqual({
      name: 'Peter Chang',
      username: 'peter_chang_live',
      is_verified_user: false,
    });
  });
});
