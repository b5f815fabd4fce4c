import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import {
  eventNames,
  fail,
  httpPaths,
  httpStatusForCode,
  type ErrorCode,
  type Result,
} from '../../../../shared/contract';
import type { Logger } from '../lib/logger';
import { closeServer, listenOnLoopback } from '../lib/listen';
import type { Disposable } from '../lib/lifecycle';
import type { Dispatch } from './dispatcher';
import type { EventBus } from './event-bus';
import { bearerToken, cookieValue, hostAllowed, tokenMatches } from './http-auth';

export const maxRequestBodyBytes = 1024 * 1024;
const sessionCookie = 'sb_session';
const heartbeatMs = 15_000;

/** The renderer's Content-Security-Policy; the same policy is in index.html for the Electron window. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "media-src 'self' https:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

export interface ApiServerOptions {
  port: number;
  token: string;
  dispatch: Dispatch;
  events: EventBus;
  logger: Logger;
  /** Built renderer folder (index.html and assets); when absent, only the API is served. */
  rendererDir?: string;
}

export interface ApiServer extends Disposable {
  readonly port: number;
  readonly origin: string;
}

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new BodyTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the caller answers 413 and closes the connection once the answer is out.
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolvePromise(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function setCommonHeaders(response: ServerResponse): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function sendResult(response: ServerResponse, result: Result<unknown>): void {
  const status = result.ok ? 200 : httpStatusForCode[result.error.code];
  const body = JSON.stringify(result);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

function sendError(response: ServerResponse, code: ErrorCode, message: string): void {
  sendResult(response, fail(code, message));
}

const lockedPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Switchboard</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;color:#1f2430">
<h1>Switchboard is running</h1>
<p>Open the address Switchboard printed when it started: it contains this run's access token.</p>
</body></html>`;

/**
 * The loopback HTTP transport: every contract method as `POST /api/call/<method>`, events as SSE on
 * `GET /api/events`, and the built renderer.
 *
 * Bound to 127.0.0.1 only. Every request needs this run's token (Bearer for the API; for the UI, the
 * `?token=` of the printed address, kept in an HttpOnly SameSite=Strict cookie). A wrong Host or a foreign
 * Origin is refused (DNS rebinding, cross-site requests); no CORS headers are ever sent.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { token, dispatch, events, logger } = options;
  const rendererRoot = options.rendererDir ? resolve(options.rendererDir) : undefined;
  const sseClients = new Set<ServerResponse>();
  let port = options.port;

  const originAllowed = (origin: string | undefined): boolean =>
    origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;

  const handleCall = async (request: IncomingMessage, response: ServerResponse, method: string) => {
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      sendError(response, 'INVALID_INPUT', 'Contract methods are called with POST.');
      return;
    }
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) {
      sendError(
        response,
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the input as JSON (Content-Type: application/json).',
      );
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request, maxRequestBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        response.setHeader('Connection', 'close');
        response.on('finish', () => request.socket.destroySoon());
        sendError(
          response,
          'PAYLOAD_TOO_LARGE',
          `The request body is larger than ${maxRequestBodyBytes} bytes.`,
        );
        return;
      }
      throw error;
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      sendError(response, 'INVALID_INPUT', 'The request body is not valid JSON.');
      return;
    }
    sendResult(response, await dispatch(method, input, { transport: 'http' }));
  };

  const handleEvents = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET') {
      sendError(response, 'INVALID_INPUT', 'Subscribe to events with GET.');
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write(`: connected; events: ${eventNames.join(', ')}\n\n`);
    sseClients.add(response);
    const subscription = events.subscribe((event) => {
      response.write(`event: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`);
    });
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    request.on('close', () => {
      clearInterval(heartbeat);
      void subscription.dispose();
      sseClients.delete(response);
    });
  };

  const handleStatic = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendError(response, 'INVALID_INPUT', 'Only GET is served here.');
      return;
    }
    const fromQuery = url.searchParams.get('token') ?? undefined;
    const fromCookie = cookieValue(request.headers.cookie, sessionCookie);
    const viaQuery = tokenMatches(fromQuery, token);
    if (!viaQuery && !tokenMatches(fromCookie, token)) {
      response.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      response.end(lockedPage);
      return;
    }
    if (viaQuery) {
      response.setHeader('Set-Cookie', `${sessionCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (!rendererRoot) {
      sendError(response, 'NOT_FOUND', 'This server was started without the user interface.');
      return;
    }
    const relative =
      url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererRoot, relative));
    if (!file.startsWith(rendererRoot + sep)) {
      sendError(response, 'NOT_FOUND', 'Not found.');
      return;
    }
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch {
      sendError(response, 'NOT_FOUND', 'Not found.');
      return;
    }
    response.writeHead(200, {
      'Content-Type': mimeTypes[extname(file)] ?? 'application/octet-stream',
      'Content-Length': content.length,
      'Content-Security-Policy': contentSecurityPolicy,
      'Cache-Control': extname(file) === '.html' ? 'no-store' : 'private, max-age=3600',
    });
    response.end(request.method === 'HEAD' ? undefined : content);
  };

  const server: Server = createServer((request, response) => {
    setCommonHeaders(response);
    const handle = async () => {
      if (!hostAllowed(request.headers.host, port)) {
        sendError(
          response,
          'FORBIDDEN',
          'This server only answers requests addressed to 127.0.0.1 or localhost.',
        );
        return;
      }
      if (!originAllowed(request.headers.origin)) {
        sendError(response, 'FORBIDDEN', 'Requests from other sites are not allowed.');
        return;
      }
      const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname.startsWith('/api/')) {
        if (!tokenMatches(bearerToken(request.headers.authorization), token)) {
          sendError(
            response,
            'UNAUTHORIZED',
            'Missing or wrong access token (send "Authorization: Bearer <token>").',
          );
          return;
        }
        if (url.pathname.startsWith(httpPaths.callPrefix)) {
          await handleCall(
            request,
            response,
            decodeURIComponent(url.pathname.slice(httpPaths.callPrefix.length)),
          );
          return;
        }
        if (url.pathname === httpPaths.events) {
          handleEvents(request, response);
          return;
        }
        sendError(response, 'NOT_FOUND', 'Not found.');
        return;
      }
      await handleStatic(request, response, url);
    };
    handle().catch((error: unknown) => {
      logger.error({ err: error }, 'api request failed');
      if (!response.headersSent) sendError(response, 'INTERNAL', 'Something went wrong inside Switchboard.');
      else response.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  port = await listenOnLoopback(server, options.port, '--port');
  logger.info({ port }, 'api server listening');
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    dispose: async () => {
      for (const client of sseClients) client.end();
      await closeServer(server);
    },
  };
}
