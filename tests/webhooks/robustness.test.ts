/**
 * Whatever is sent to the webhook port, it answers (or closes a connection that broke HTTP), never crashes,
 * and nothing unsigned becomes a pending delivery. Slow clients are cut off.
 */
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { startWebhookServer, type WebhookServer } from '../../electron/main/core/webhooks/webhook-server';
import { rawRequest, startWebhookWorld, waitFor, type ConnectedAccount, type WebhookWorld } from './support';

let world: WebhookWorld;
let account: ConnectedAccount;
beforeAll(async () => {
  // On the main thread: the slow-client tests attach the core's routes to a server with short timeouts.
  world = await startWebhookWorld({ receiverThread: false });
  account = await world.addAccount();
});
afterAll(async () => {
  await world?.dispose();
});

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,80}$/);
const paths = (id: string) =>
  fc.oneof(
    fc.constant(`/webhooks/instagram/${id}`),
    fc.constant('/webhooks/instagram/17841400000000000'),
    fc.stringMatching(/^\/[\x21-\x7e]{0,60}$/).filter((p) => !p.includes('#')),
    fc.string({ maxLength: 20 }).map((s) => `/webhooks/instagram/${encodeURIComponent(s)}`),
    fc
      .string({ maxLength: 20 })
      .map((s) => `/webhooks/instagram/${id}?${encodeURIComponent(s)}=${encodeURIComponent(s)}`),
  );

/** Sends raw bytes on a socket and resolves with what came back once the server answered or closed. */
function rawExchange(port: number, bytes: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // One status line is enough to know the server answered; do not wait for keep-alive to expire.
      if (Buffer.concat(chunks).includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes);
    socket.end();
  });
}

describe('fuzzing the webhook port', () => {
  it('always answers well-formed requests of any method, path, headers and body, and stores nothing unsigned', async () => {
    const before = (await world.deliveries()).length;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        paths(account.instagramAccountId),
        fc.record(
          {
            'content-type': fc.oneof(fc.constant('application/json'), headerValue),
            'x-hub-signature-256': fc.oneof(
              headerValue,
              fc
                .uint8Array({ minLength: 32, maxLength: 32 })
                .map((b) => `sha256=${Buffer.from(b).toString('hex')}`),
            ),
            'x-hub-signature': headerValue,
            'user-agent': headerValue,
          },
          { requiredKeys: [] },
        ),
        fc.uint8Array({ maxLength: 2048 }),
        async (method, path, headers, body) => {
          const answer = await rawRequest(
            world.origin,
            method,
            path,
            method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(body),
            headers,
          );
          expect([200, 400, 401, 403, 404, 413, 415]).toContain(answer.status);
          if (answer.status === 200) expect(method).toBe('GET');
        },
      ),
      { numRuns: 300 },
    );
    const after = await world.deliveries();
    expect(after.length).toBe(before);
  });

  it('survives arbitrary bytes on the socket, then still serves a real delivery', async () => {
    const port = world.harness.core.webhookServer.port;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          fc
            .tuple(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }))
            .map(([head, tail]) =>
              Buffer.concat([
                Buffer.from(`POST /webhooks/instagram/${account.instagramAccountId} HTTP/1.1\r\n`),
                head,
                Buffer.from('\r\n\r\n'),
                tail,
              ]),
            ),
        ),
        async (bytes) => {
          await rawExchange(port, bytes);
        },
      ),
      { numRuns: 200 },
    );
    world.sandbox.customerSends(account.instagramAccountId, account.customerIgsid, 'still here');
    await world.settle();
    expect(world.sandbox.deliveries.filter((d) => d.appId === account.appId).map((d) => d.status)).toEqual([
      200,
    ]);
    const pending = (await world.deliveries()).filter(
      (d) => d.state === 'received' || d.state === 'processing',
    );
    expect(pending).toEqual([]);
  });
});

describe('slow clients', () => {
  let server: WebhookServer;
  beforeAll(async () => {
    server = await startWebhookServer({
      port: 0,
      logger: silentLogger(),
      timeouts: { headersMs: 300, requestMs: 600, idleMs: 1_000, checkIntervalMs: 100 },
    });
    const routes = world.harness.core.webhookReceiver.routes;
    if (!routes) throw new Error('the routes run in the receiver thread');
    server.attach(routes);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  function closed(socket: Socket): Promise<string> {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    return new Promise((resolve) => {
      socket.on('error', () => {});
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    });
  }

  it('closes a connection whose headers never finish', async () => {
    const socket = connect(server.port, '127.0.0.1');
    const result = closed(socket);
    socket.write(`POST /webhooks/instagram/${account.instagramAccountId} HTTP/1.1\r\nHost: x\r\nX-Slow: `);
    expect(await result).toMatch(/^(HTTP\/1\.1 408|)/);
  });

  it('closes a connection whose body never finishes, and stores nothing', async () => {
    const before = (await world.deliveries()).length;
    const socket = connect(server.port, '127.0.0.1');
    const result = closed(socket);
    socket.write(
      `POST /webhooks/instagram/${account.instagramAccountId} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `X-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\nContent-Length: 1000\r\n\r\n{"object":`,
    );
    await result;
    expect((await world.deliveries()).length).toBe(before);
    // The server notices the cut-off body in its own time: wait for the log entry.
    await waitFor(async () => {
      await world.harness.core.webhookReceiver.settle();
      const entries = await world.repos().webhookSecurity.list({ accountId: account.view.id });
      return entries.some((e) => e.reason === 'body_incomplete');
    }, 'the cut-off body in the security log');
    expect((await world.deliveries()).length).toBe(before);
  });
});
