import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRoutes, type AdminHandler } from './admin-api';
import { SandboxInputError, type SandboxCore } from './core';
import { GraphError, graphErrors, type ErrorFlavor } from './errors';
import {
  authenticate,
  flavorHint,
  graphRoutes,
  type GraphAuth,
  type GraphCall,
  type GraphHandler,
} from './graph-api';
import { parseBody, readBody, sendJson } from './http-io';
import { createRouter } from './router';

/** Prefix of the admin API on the emulator's server. */
export const ADMIN_PREFIX = '__sandbox';

/** Minimal logging port; the CLI passes pino, in-process use defaults to silence. */
export interface SandboxLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** A logger that drops everything. */
export const silentLogger: SandboxLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const matchGraph = createRouter(graphRoutes);
const matchAdmin = createRouter(adminRoutes);
const VERSION = /^v\d{1,2}\.\d$/;

/** The emulator's HTTP server: Meta's Graph surface plus `/__sandbox` admin routes, on loopback only. */
export class GraphEmulatorServer {
  private readonly server: http.Server;
  private readonly sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private closed = false;

  private constructor(
    private readonly core: SandboxCore,
    private readonly logger: SandboxLogger,
  ) {
    this.server = http.createServer((request, response) => {
      void this.handle(request, response);
    });
    // Idle connections stay open 5 s (Node's default; `close()` cuts them anyway). A hint of 1 s
    // (`Keep-Alive: timeout=1`) made Node's client agent, which leaves itself a second of margin, drop every
    // socket after one call: each Graph call paid a new connection.
    this.server.keepAliveTimeout = 5000;
  }

  /** Listen on 127.0.0.1 (`port` 0 = any free port). */
  static async start(
    core: SandboxCore,
    options: { port?: number; logger?: SandboxLogger } = {},
  ): Promise<GraphEmulatorServer> {
    const server = new GraphEmulatorServer(core, options.logger ?? silentLogger);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Stop listening and cut every open connection, hung ones included. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const sleeper of this.sleepers) {
      clearTimeout(sleeper.timer);
      sleeper.resolve();
    }
    this.sleepers.clear();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await done;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.sleepers.delete(sleeper);
          resolve();
        }, ms),
        resolve,
      };
      this.sleepers.add(sleeper);
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let flavor: ErrorFlavor = 'facebook';
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const segments = url.pathname.split('/').filter(Boolean).map(safeDecode);
      if (segments[0] === ADMIN_PREFIX) {
        await this.handleAdmin(request, response, segments.slice(1), url.searchParams);
        return;
      }
      flavor = flavorHint(request.headers, url.searchParams);
      await this.handleGraph(request, response, segments, url.searchParams, (f) => (flavor = f));
    } catch (error) {
      const graphError = error instanceof GraphError ? error : null;
      if (!graphError) this.logger.error({ err: error }, 'sandbox: unexpected error');
      const answer = graphError ?? graphErrors.serviceError();
      sendJson(response, answer.status, answer.toBody(flavor, this.core.ids.fbtraceId()));
    }
  }

  private async handleGraph(
    request: IncomingMessage,
    response: ServerResponse,
    rawSegments: string[],
    query: URLSearchParams,
    setFlavor: (flavor: ErrorFlavor) => void,
  ): Promise<void> {
    const segments =
      rawSegments[0] !== undefined && VERSION.test(rawSegments[0]) ? rawSegments.slice(1) : rawSegments;
    const method = request.method ?? 'GET';
    let bodyPromise: Promise<Record<string, unknown>> | null = null;
    const call: GraphCall = {
      method,
      segments,
      query,
      headers: request.headers,
      body: () =>
        (bodyPromise ??= readBody(request).then((raw) => parseBody(raw, request.headers['content-type']))),
      flavor: flavorHint(request.headers, query),
    };
    const reportFlavor = (): void => setFlavor(call.flavor);
    try {
      const match = matchGraph(method, segments);
      if (match.kind === 'none') {
        if (segments.length === 0) throw graphErrors.unsupported(method, '');
        throw segments.length > 2
          ? graphErrors.unknownPath(segments.slice(1).join('/'))
          : graphErrors.unsupported(method, segments[0] ?? '');
      }
      if (match.kind === 'wrong_method') throw graphErrors.unsupported(method, segments[0] ?? '');
      const handler: GraphHandler = match.handler;
      let auth: GraphAuth | null = null;
      let answerLost = false;
      if (handler.auth === 'account') {
        auth = await authenticate(this.core, call);
        reportFlavor();
        const fault = this.core.faults.take(auth.account.id);
        if (fault) {
          switch (fault.kind) {
            case 'latency':
              await this.sleep(fault.ms);
              // The caller hung up while the request was held: like a request lost on the way, it is
              // never handled (how a send that "never reached Meta" looks from the caller's side).
              if (request.socket.destroyed) return;
              break;
            case 'hang':
              // Leave the request open; close() cuts it.
              return;
            case 'lost_answer':
              answerLost = true;
              break;
            case 'drop':
              request.socket.destroy();
              return;
            case 'status':
              throw graphErrors.serviceError(fault.status);
            case 'error':
              throw new GraphError(fault.code, fault.message ?? `(#${fault.code}) Injected error`, {
                ...(fault.subcode === undefined ? {} : { subcode: fault.subcode }),
                ...(fault.status === undefined ? {} : { status: fault.status }),
                ...(fault.type === undefined ? {} : { type: fault.type }),
              });
          }
        }
      }
      const answer = await handler.run(this.core, call, match.params, auth);
      reportFlavor();
      // Handled (a send went out and was echoed), but the answer never leaves: left open like a hang.
      if (answerLost) return;
      sendJson(response, answer.status, answer.body, { 'x-fb-trace-id': this.core.ids.fbtraceId() });
    } finally {
      reportFlavor();
    }
  }

  private async handleAdmin(
    request: IncomingMessage,
    response: ServerResponse,
    segments: string[],
    query: URLSearchParams,
  ): Promise<void> {
    const method = request.method ?? 'GET';
    try {
      const match = matchAdmin(method, segments);
      if (match.kind !== 'found')
        throw new SandboxInputError(
          `no admin route ${method} /${[ADMIN_PREFIX, ...segments].join('/')}`,
          match.kind === 'none' ? 404 : 405,
        );
      const raw = await readBody(request);
      let body: unknown = undefined;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8')) as unknown;
        } catch {
          throw new SandboxInputError('admin API bodies must be JSON', 400);
        }
      }
      const handler: AdminHandler = match.handler;
      const result = await handler(this.core, { params: match.params, query, body });
      sendJson(response, 200, result);
    } catch (error) {
      if (error instanceof SandboxInputError) {
        sendJson(response, error.status, {
          error: {
            message: error.message,
            type: 'SandboxAdminException',
            code: error.status,
            fbtrace_id: this.core.ids.fbtraceId(),
          },
        });
        return;
      }
      throw error;
    }
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
