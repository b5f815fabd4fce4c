import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../lib/logger';
import { closeServer, listenOnLoopback } from '../lib/listen';
import type { Disposable } from '../lib/lifecycle';
import { send } from './webhook-routes';

/** Serves the webhook routes; see `WebhookReceiver`. */
export interface WebhookRoutes {
  matches(request: IncomingMessage): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export interface WebhookServer extends Disposable {
  readonly port: number;
  readonly origin: string;
  /**
   * Connects the receiver once the core has built it (the port is opened earlier, because the tunnel and
   * the account views need its address). Until then webhook routes answer 503, which Meta retries.
   */
  attach(routes: WebhookRoutes): void;
}

/** Slow-loris bounds: the headers within 10 s, the whole request within 15 s (Meta wants an answer in 5). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;
/** An idle socket (no bytes either way) is closed after this. */
const SOCKET_IDLE_MS = 20_000;
const MAX_CONNECTIONS = 2_048;
/** How often Node checks the two timeouts above (its default, 30 s, would let a slow client linger). */
const CHECK_INTERVAL_MS = 2_000;

/**
 * The webhook receiver's own server: the only port a tunnel ever exposes, so the UI and API can never be
 * reached through it. Anything it does not know answers a bare 404 that reveals nothing.
 */
export async function startWebhookServer(options: {
  port: number;
  logger: Logger;
  /** Shorter bounds for tests of slow clients; the defaults suit Meta. */
  timeouts?: { headersMs: number; requestMs: number; idleMs: number; checkIntervalMs: number };
}): Promise<WebhookServer> {
  const timeouts = options.timeouts ?? {
    headersMs: HEADERS_TIMEOUT_MS,
    requestMs: REQUEST_TIMEOUT_MS,
    idleMs: SOCKET_IDLE_MS,
    checkIntervalMs: CHECK_INTERVAL_MS,
  };
  let routes: WebhookRoutes | undefined;
  const serverOptions = { maxHeaderSize: 16 * 1024, connectionsCheckingInterval: timeouts.checkIntervalMs };
  const server: Server = createServer(serverOptions, (request, response) => {
    response.on('error', () => {});
    request.on('error', () => {});
    try {
      if (!isWebhookPath(request.url) || (routes && !routes.matches(request))) {
        notFound(response);
        return;
      }
      if (!routes) {
        response.setHeader('Retry-After', '5');
        send(response, 503, 'Service Unavailable');
        return;
      }
      routes.handle(request, response).catch((error: unknown) => failed(options.logger, response, error));
    } catch (error) {
      failed(options.logger, response, error);
    }
  });
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 100;
  server.maxConnections = MAX_CONNECTIONS;
  server.setTimeout(timeouts.idleMs, (socket) => socket.destroy());
  // Malformed HTTP: answer 400 when the socket can still take it, never let it reach 'error' on the server.
  server.on('clientError', (_error, socket) => {
    if (socket.writable && !socket.destroyed) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.destroy();
  });
  const port = await listenOnLoopback(server, options.port, '--webhook-port');
  options.logger.info({ port }, 'webhook server listening');
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    attach: (value) => {
      routes = value;
    },
    dispose: () => closeServer(server),
  };
}

function isWebhookPath(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/webhooks/instagram/');
}

function notFound(response: ServerResponse): void {
  send(response, 404, 'Not found');
}

function failed(logger: Logger, response: ServerResponse, error: unknown): void {
  logger.error({ err: error }, 'webhook request failed');
  // Never a 200 for something that may not be stored; Meta retries a 500.
  send(response, 500, 'Internal Server Error');
}
