import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EXPLANATIONS,
  GraphApiError,
  GraphInstagramClient,
  classifyLocalFailure,
  type LoginType,
} from '../../electron/main/core/instagram';
import type { Sandbox } from '../../electron/main/sandbox';
import {
  accountFor,
  everyRendering,
  expectNoSecrets,
  graphFailure,
  graphThrow,
  sandboxForTest,
} from './helpers';

const IG_TOKEN = 'IGAAsecret-token-for-transport-tests-000000000000';
const FB_TOKEN = 'EAAsecret-token-for-transport-tests-000000000000';
const APP_SECRET = 'feedfacefeedfacefeedfacefeedface';

/** A network-boundary stand-in for answers the emulator cannot produce (non-JSON, wrong shapes). */
async function fakeGraph(
  answer: (request: http.IncomingMessage, response: http.ServerResponse) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function clientAt(baseUrl: string, loginType: LoginType, timeoutMs = 5_000): GraphInstagramClient {
  return new GraphInstagramClient(
    {
      loginType,
      accountId: loginType === 'instagram' ? '17841400000000001' : '100000000000001',
      accessToken: loginType === 'instagram' ? IG_TOKEN : FB_TOKEN,
      ...(loginType === 'facebook' ? { appSecret: APP_SECRET } : {}),
    },
    { baseUrl, timeoutMs, facebookTokenIn: 'query' },
  );
}

const secrets = [IG_TOKEN, FB_TOKEN, APP_SECRET];

describe('failures without a Graph answer, against the emulator', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await sandboxForTest();
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it.each(['instagram', 'facebook'] as const)('a hang → timeout, retryable (%s login)', async (loginType) => {
    const account = accountFor(sandbox, loginType, { timeoutMs: 50, facebookTokenIn: 'query' });
    sandbox.injectFault(account.created.account.id, { kind: 'hang' });
    const error = await graphFailure(account.client.getSubscribedApps());
    expect(error).toMatchObject({
      kind: 'timeout',
      retryable: true,
      needsReconnect: false,
      httpStatus: null,
      code: null,
      explanation: EXPLANATIONS.timeout,
    });
    expectNoSecrets(error, [account.created.token, account.created.app.secret]);
  });

  it.each(['instagram', 'facebook'] as const)(
    'a dropped connection → network, retryable (%s login)',
    async (loginType) => {
      const account = accountFor(sandbox, loginType, { facebookTokenIn: 'query', appSecret: true });
      sandbox.injectFault(account.created.account.id, { kind: 'drop' });
      const error = await graphFailure(account.client.listConversations());
      expect(error).toMatchObject({ kind: 'network', retryable: true, explanation: EXPLANATIONS.network });
      expect(error.message).toMatch(/^Graph API network error: Could not reach Meta .* — GET \/v25\.0\//);
      expectNoSecrets(error, [account.created.token, account.created.app.secret]);
    },
  );

  it('a latency fault shorter than the timeout still succeeds', async () => {
    const account = accountFor(sandbox, 'instagram', { timeoutMs: 5_000 });
    sandbox.injectFault(account.created.account.id, { kind: 'latency', ms: 20 });
    expect(await account.client.getSubscribedApps()).toEqual([]);
  });
});

describe('failures at the network boundary (local stand-in server)', () => {
  it('connection refused → network with the system error code', async () => {
    const server = await fakeGraph((_q, r) => r.end());
    await server.close();
    const error = await graphFailure(clientAt(server.url, 'facebook').getMe());
    expect(error).toMatchObject({ kind: 'network', retryable: true, causeCode: 'ECONNREFUSED' });
    expectNoSecrets(error, secrets);
  });

  it('an HTML 502 from a proxy → http, retryable, status kept', async () => {
    const server = await fakeGraph((_q, r) => {
      r.writeHead(502, { 'content-type': 'text/html' });
      r.end('<html><body>Bad Gateway</body></html>');
    });
    try {
      const error = await graphFailure(clientAt(server.url, 'instagram').getMe());
      expect(error).toMatchObject({
        kind: 'http',
        httpStatus: 502,
        code: null,
        retryable: true,
        explanation: EXPLANATIONS.http,
      });
    } finally {
      await server.close();
    }
  });

  it('a 200 that is not JSON (captive portal) → http, retryable', async () => {
    const server = await fakeGraph((_q, r) => {
      r.writeHead(200, { 'content-type': 'text/html' });
      r.end('<html>Log in to the hotel Wi-Fi</html>');
    });
    try {
      expect(await graphFailure(clientAt(server.url, 'facebook').getMe())).toMatchObject({
        kind: 'http',
        httpStatus: 200,
        retryable: true,
      });
    } finally {
      await server.close();
    }
  });

  it('a 200 with JSON of the wrong shape → invalid_response, not retryable, field paths only', async () => {
    const server = await fakeGraph((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ id: 42, username: ['x'] }));
    });
    try {
      const error = await graphFailure(clientAt(server.url, 'instagram').getMe());
      expect(error).toMatchObject({ kind: 'invalid_response', httpStatus: 200, retryable: false });
      expect(error.issues).toEqual(expect.arrayContaining([expect.stringMatching(/^user_id: /)]));
    } finally {
      await server.close();
    }
  });

  it('a message send answered without message_id → invalid_response', async () => {
    const server = await fakeGraph((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ recipient_id: '42' }));
    });
    try {
      const error = await graphFailure(
        clientAt(server.url, 'instagram').sendMessage({
          kind: 'message',
          recipientId: '42',
          message: { type: 'text', text: 'x' },
        }),
      );
      expect(error.kind).toBe('invalid_response');
    } finally {
      await server.close();
    }
  });

  it('a refresh answer of the wrong shape never quotes the new token it contains', async () => {
    const fresh = 'IGAAbrand-new-token-that-must-not-leak-00000000';
    const server = await fakeGraph((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ access_token: fresh, expires_in: 'sixty days' }));
    });
    try {
      const error = await graphFailure(clientAt(server.url, 'instagram').refreshLongLivedToken());
      expect(error.kind).toBe('invalid_response');
      expectNoSecrets(error, [...secrets, fresh]);
    } finally {
      await server.close();
    }
  });

  it('Meta echoing the token in its message and a Graph error with status 200 are both handled', async () => {
    const server = await fakeGraph((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(
        JSON.stringify({
          error: {
            message: `Malformed access token ${FB_TOKEN}`,
            type: 'OAuthException',
            code: 190,
            fbtrace_id: 'TRACE1',
          },
        }),
      );
    });
    try {
      const error = await graphFailure(clientAt(server.url, 'facebook').getMe());
      expect(error).toMatchObject({ kind: 'graph', code: 190, needsReconnect: true, fbtraceId: 'TRACE1' });
      expect(error.metaMessage).toBe('Malformed access token [redacted]');
      expectNoSecrets(error, secrets);
    } finally {
      await server.close();
    }
  });
});

describe('refused before sending', () => {
  it('a token pasted with a line break is refused without quoting it', () => {
    const error = graphThrow(
      () =>
        new GraphInstagramClient({ loginType: 'instagram', accountId: '1784', accessToken: `${IG_TOKEN}\n` }),
    );
    expect(error).toMatchObject({ kind: 'invalid_request', retryable: false });
    expectNoSecrets(error, [IG_TOKEN]);
  });

  it('empty ids are refused locally', async () => {
    const client = clientAt('http://127.0.0.1:9', 'instagram');
    expect((await graphFailure(client.getMessage(''))).kind).toBe('invalid_request');
    expect(
      (
        await graphFailure(
          client.sendMessage({ kind: 'sender_action', recipientId: ' ', action: 'typing_on' }),
        )
      ).kind,
    ).toBe('invalid_request');
    expect(graphThrow(() => clientAt('ftp://example.com', 'instagram')).kind).toBe('invalid_request');
  });
});

describe('secret containment', () => {
  it('the client itself never shows its credentials', () => {
    const client = clientAt('http://127.0.0.1:9', 'facebook');
    const rendered = `${JSON.stringify(client)}\n${inspect(client, { showHidden: true, depth: 5 })}\n${String(client)}`;
    for (const secret of secrets) expect(rendered).not.toContain(secret);
  });

  it('the leak check itself catches a leak (guards against a vacuous helper)', () => {
    const leaky = new GraphApiError(classifyLocalFailure('network', null, `token ${IG_TOKEN}`));
    expect(everyRendering(leaky)).toContain(IG_TOKEN);
    expect(() => expectNoSecrets(leaky, [IG_TOKEN])).toThrow();
  });
});
