/**
 * The Graph API's HTTP layer against a local server: answers, headers, keep-alive reuse, the timeout and the
 * size cap.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { nodeHttpCall } from '../../electron/main/core/instagram/http-call';

let server: Server | undefined;
afterEach(async () => {
  const open = server;
  server = undefined;
  if (!open) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

async function serve(
  handler: Parameters<typeof createServer>[1],
): Promise<{ url: URL; connections: () => number }> {
  let connections = 0;
  server = createServer(handler);
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/v25.0/me/messages`), connections: () => connections };
}

it('sends the body with its length, returns status, headers and text, and reuses the connection', async () => {
  const seen: { method?: string; length?: string; body: string }[] = [];
  const { url, connections } = await serve((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method, length: request.headers['content-length'], body });
      response.writeHead(201, { 'content-type': 'application/json', 'x-fb-trace-id': 'trace-1' });
      response.end('{"message_id":"m_1 ✓"}');
    });
  });
  const init = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, timeoutMs: 5_000 };
  const first = await nodeHttpCall(url, { ...init, body: '{"text":"héllo 👋"}' });
  const second = await nodeHttpCall(url, { ...init, body: '{}' });
  expect(first.status).toBe(201);
  expect(first.header('x-fb-trace-id')).toBe('trace-1');
  expect(first.header('x-missing')).toBeNull();
  expect(first.text).toBe('{"message_id":"m_1 ✓"}');
  expect(second.status).toBe(201);
  expect(seen).toEqual([
    { method: 'POST', length: String(Buffer.byteLength('{"text":"héllo 👋"}')), body: '{"text":"héllo 👋"}' },
    { method: 'POST', length: '2', body: '{}' },
  ]);
  expect(connections()).toBe(1);
});

it('gives up after the timeout with a TimeoutError, also while the body is still coming', async () => {
  const { url } = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"partial":'); // and never the rest
  });
  const failure = await nodeHttpCall(url, { method: 'GET', headers: {}, timeoutMs: 200 }).catch(
    (e: unknown) => e,
  );
  expect(failure).toMatchObject({ name: 'TimeoutError' });
});

it('refuses an answer larger than any Graph answer without keeping it', async () => {
  const { url } = await serve((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const block = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 17; i++) response.write(block);
    response.end();
  });
  const failure = await nodeHttpCall(url, { method: 'GET', headers: {}, timeoutMs: 10_000 }).catch(
    (e: unknown) => e,
  );
  expect(failure).toMatchObject({ code: 'EANSWERTOOLARGE' });
});

it('reports a refused connection with its system error code', async () => {
  const { url } = await serve(() => undefined);
  server!.closeAllConnections();
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;
  const failure = await nodeHttpCall(url, { method: 'GET', headers: {}, timeoutMs: 5_000 }).catch(
    (e: unknown) => e,
  );
  expect(failure).toMatchObject({ code: 'ECONNREFUSED' });
});

it('closes an idle connection a second before the server said it would, so no call is sent on it', async () => {
  const { url } = await serve((_request, response) => response.end('{}'));
  server!.keepAliveTimeout = 2_000; // announced as `Keep-Alive: timeout=2`
  const closedBy = new Promise<'client' | 'server'>((resolve) =>
    server!.on('connection', (socket) => {
      let ended = false;
      socket.on('end', () => (ended = true)); // the client closed it; the server's timeout destroys silently
      socket.on('close', () => resolve(ended ? 'client' : 'server'));
    }),
  );
  const answer = await nodeHttpCall(url, { method: 'GET', headers: {}, timeoutMs: 5_000 });
  expect(answer.header('keep-alive')).toBe('timeout=2');
  expect(await closedBy).toBe('client');
});

/** A server that drops a connection when a second request arrives on it, as one closing it idle would. */
async function dropsReusedConnections(): Promise<{
  url: URL;
  requests: () => number;
  connections: () => number;
}> {
  let requests = 0;
  const perSocket = new WeakMap<object, number>();
  const served = await serve((request, response) => {
    requests += 1;
    const count = (perSocket.get(request.socket) ?? 0) + 1;
    perSocket.set(request.socket, count);
    if (count > 1) request.socket.destroy();
    else response.end('{"ok":true}');
  });
  return { url: served.url, requests: () => requests, connections: served.connections };
}

it('sends a GET again on a new connection when the kept-alive one was closed before any answer', async () => {
  const { url, requests, connections } = await dropsReusedConnections();
  const init = { method: 'GET' as const, headers: {}, timeoutMs: 5_000 };
  await nodeHttpCall(url, init);
  const second = await nodeHttpCall(url, init);
  expect(second.text).toBe('{"ok":true}');
  expect(requests()).toBe(3);
  expect(connections()).toBe(2);
});

it('does not send a POST again: whether the server acted on it is unknown', async () => {
  const { url, requests } = await dropsReusedConnections();
  const init = { method: 'POST' as const, headers: {}, body: '{}', timeoutMs: 5_000 };
  await nodeHttpCall(url, init);
  const failure = await nodeHttpCall(url, init).catch((e: unknown) => e);
  expect(failure).toMatchObject({ code: 'ECONNRESET' });
  expect(requests()).toBe(2);
});

it('does not send a GET again when a new connection fails', async () => {
  let requests = 0;
  const { url } = await serve((request) => {
    requests += 1;
    request.socket.destroy();
  });
  const failure = await nodeHttpCall(url, { method: 'GET', headers: {}, timeoutMs: 5_000 }).catch(
    (e: unknown) => e,
  );
  expect(failure).toMatchObject({ code: 'ECONNRESET' });
  expect(requests).toBe(1);
});
