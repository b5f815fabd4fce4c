import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GRAPH_API_VERSION, createGraphInstagramClientFactory } from '../../electron/main/core/instagram';
import type { Sandbox } from '../../electron/main/sandbox';
import { accountFor, sandboxForTest } from './helpers';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await sandboxForTest();
});
afterEach(async () => {
  await sandbox.dispose();
});

describe('request shapes', () => {
  /** A local stand-in that records requests and answers a fixed Graph body. */
  async function recorder(answer: unknown) {
    const seen: Array<{ method: string; url: string; authorization: string | undefined; body: string }> = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          authorization: request.headers.authorization,
          body,
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    return { seen, url, close };
  }

  it('Instagram Login: versioned path with the account id, token only in a Bearer header', async () => {
    const stub = await recorder({ recipient_id: '42', message_id: 'm1' });
    try {
      const client = createGraphInstagramClientFactory({ baseUrl: stub.url })({
        loginType: 'instagram',
        accountId: '17841400000000001',
        accessToken: 'IGAAtoken-value-123456',
      });
      await client.sendMessage({ kind: 'message', recipientId: '42', message: { type: 'text', text: 'x' } });
      expect(stub.seen[0]).toMatchObject({
        method: 'POST',
        url: `/${GRAPH_API_VERSION}/17841400000000001/messages`,
        authorization: 'Bearer IGAAtoken-value-123456',
      });
    } finally {
      await stub.close();
    }
  });

  it('Facebook Login: access_token in the query when configured, with appsecret_proof', async () => {
    const stub = await recorder({ recipient_id: '42', message_id: 'm1' });
    try {
      const token = 'EAAtoken-value-123456';
      const secret = '0123456789abcdef0123456789abcdef';
      const client = createGraphInstagramClientFactory({ baseUrl: stub.url, facebookTokenIn: 'query' })({
        loginType: 'facebook',
        accountId: '100000000000001',
        accessToken: token,
        appSecret: secret,
      });
      await client.sendMessage({ kind: 'message', recipientId: '42', message: { type: 'text', text: 'x' } });
      const seen = new URL(stub.seen[0]!.url, stub.url);
      expect(seen.pathname).toBe(`/${GRAPH_API_VERSION}/100000000000001/messages`);
      expect(seen.searchParams.get('access_token')).toBe(token);
      expect(seen.searchParams.get('appsecret_proof')).toBe(
        createHmac('sha256', secret).update(token).digest('hex'),
      );
      expect(stub.seen[0]!.authorization).toBeUndefined();
    } finally {
      await stub.close();
    }
  });

  it('Facebook Login against the sandbox works with the token in the query as well as in the header', async () => {
    const { client } = accountFor(sandbox, 'facebook', { facebookTokenIn: 'query', appSecret: true });
    expect((await client.getMe()).loginType).toBe('facebook');
    expect(await client.getSubscribedApps()).toEqual([]);
  });

  it('paging: nextCursor comes from paging.cursors.after when Meta says there is a next page', async () => {
    const stub = await recorder({
      data: [{ id: 'c1', updated_time: '2026-03-02T12:00:00+0000' }],
      paging: { cursors: { after: 'CURSOR' }, next: 'https://graph.instagram.com/next' },
    });
    try {
      const client = createGraphInstagramClientFactory({ baseUrl: stub.url })({
        loginType: 'instagram',
        accountId: '17841400000000001',
        accessToken: 'IGAAtoken-value-123456',
      });
      const page = await client.listConversations({ after: 'PREV', limit: 25 });
      expect(page.nextCursor).toBe('CURSOR');
      const query = new URL(stub.seen[0]!.url, stub.url).searchParams;
      expect(Object.fromEntries(query)).toEqual({
        platform: 'instagram',
        fields: 'id,updated_time',
        after: 'PREV',
        limit: '25',
      });
    } finally {
      await stub.close();
    }
  });
});
