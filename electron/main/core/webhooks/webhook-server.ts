import { createServer, type Server } from 'node:http';
import type { Logger } from '../lib/logger';
import { closeServer, listenOnLoopback } from '../lib/listen';
import type { Disposable } from '../lib/lifecycle';

export interface WebhookServer extends Disposable {
  readonly port: number;
  readonly origin: string;
}

/**
 * The webhook receiver's own server: the only port a tunnel ever exposes, so the UI and API can never be
 * reached through it. Anything it does not know answers a bare 404 that reveals nothing.
 */
export async function startWebhookServer(options: { port: number; logger: Logger }): Promise<WebhookServer> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 9 });
    response.end('Not found');
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  const port = await listenOnLoopback(server, options.port, '--webhook-port');
  options.logger.info({ port }, 'webhook server listening');
  return { port, origin: `http://127.0.0.1:${port}`, dispose: () => closeServer(server) };
}
