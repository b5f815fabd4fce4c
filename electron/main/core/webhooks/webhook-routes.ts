/**
 * The receiver's routes: Meta's verification handshake (GET) and signed deliveries (POST) on
 * `/webhooks/instagram/<instagram account id>`.
 *
 * A delivery is answered 200 only after it is durably stored; everything that cannot be stored right now
 * (key not loaded, database down) gets 503, which Meta retries for up to 36 hours. Refusals never reach
 * `webhook_events` or ingest, and are written to the security log without their body.
 *
 * | Case                                                  | Status |
 * | ----------------------------------------------------- | ------ |
 * | stored                                                | 200    |
 * | no `X-Hub-Signature-256` (also: only legacy SHA-1)    | 401    |
 * | signature malformed or not matching either secret     | 403    |
 * | account inactive, suspended or archived               | 403    |
 * | no connected account with that id                     | 404    |
 * | body above the limit                                  | 413    |
 * | content type other than `application/json`           | 415    |
 * | key not ready, database down, secret unreadable, busy | 503    |
 * | handshake: wrong token, wrong mode, unknown account   | 403    |
 * | anything else on the port                             | 404    |
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../lib/logger';
import type { ReceiverAccount } from './account-cache';
import { isUnavailable, type VerifiedDelivery } from './delivery-store';
import { BodyBudget, readBody } from './read-body';
import type { Refusal, RefusalReason } from './security-log';
import { checkSignature, verifyTokenMatches } from './signature';

/**
 * Largest body accepted. Meta batches up to 1,000 updates per POST; a text DM of 1,000 characters escaped
 * as `\uXXXX` is about 6 KB, so a worst-case batch is roughly 6.5 MB. Refusing a genuine batch would be
 * fatal (Meta would retry the same bytes until it gives up, and unsubscribe the account after an hour), so
 * the limit sits above that and below MEDIUMTEXT's 16 MB.
 */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** All bodies being read at once, before any of them is verified. */
const BODY_BUDGET_BYTES = 64 * 1024 * 1024;
const HEADER_VALUE_MAX = 1_024;
const CHALLENGE_MAX = 256;
/** Headers worth keeping with a delivery (for diagnostics and replay); never the whole set. */
const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'user-agent',
  'x-hub-signature-256',
  'x-hub-signature',
  'x-forwarded-for',
];

const PATH = /^\/webhooks\/instagram\/(\d{1,64})\/?$/;

/** Where the routes find accounts (with their decrypted secrets). */
export interface ReceiverAccounts {
  /** False while nothing can be verified (the master key is not loaded): every request gets 503. */
  readonly ready: boolean;
  /** The account, or null when none is connected with that id; throws when it cannot be read now. */
  get(instagramAccountId: string): Promise<ReceiverAccount | null>;
}

/** What the routes report, for the rest of the core. */
export interface ReceiverSink {
  /** A refused request, for the security log (never with its body). */
  refused(refusal: Refusal): void;
  /** A delivery was committed and answered 200: ingest it, note when the account was last heard from. */
  stored(accountId: string, at: Date): void;
}

/** What the routes need; the same whether they run on the main thread or in the receiver thread. */
export interface WebhookRoutesDeps {
  accounts: ReceiverAccounts;
  /** Resolves once the delivery is durably committed (see DeliveryStore). */
  store: { store(delivery: VerifiedDelivery): Promise<void>; dispose(): Promise<void> };
  sink: ReceiverSink;
  logger: Logger;
  maxBodyBytes?: number;
}

/** Handles the webhook routes; the server hands it every request. */
export class WebhookRoutesHandler {
  private readonly budget = new BodyBudget(BODY_BUDGET_BYTES);
  private disposed = false;

  constructor(private readonly deps: WebhookRoutesDeps) {}

  /** True when the request is for a webhook route; false leaves the answer (404) to the server. */
  matches(request: IncomingMessage): boolean {
    const method = request.method;
    return (method === 'GET' || method === 'POST') && PATH.test(pathOf(request.url));
  }

  /** Answers one webhook request. Never throws: every failure becomes a status. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const instagramAccountId = PATH.exec(pathOf(request.url))?.[1] ?? '';
    if (this.disposed) return unavailable(response);
    if (request.method === 'GET') await this.handshake(request, response, instagramAccountId);
    else await this.delivery(request, response, instagramAccountId);
  }

  /** Answers 503 from now on and waits for the writes in flight (their callers are waiting for a 200). */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.deps.store.dispose();
  }

  private async lookup(
    response: ServerResponse,
    instagramAccountId: string,
  ): Promise<ReceiverAccount | null | undefined> {
    if (!this.deps.accounts.ready) {
      unavailable(response);
      return undefined;
    }
    try {
      return await this.deps.accounts.get(instagramAccountId);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'webhook answered 503: account lookup failed');
      unavailable(response);
      return undefined;
    }
  }

  private async handshake(
    request: IncomingMessage,
    response: ServerResponse,
    instagramAccountId: string,
  ): Promise<void> {
    const account = await this.lookup(response, instagramAccountId);
    if (account === undefined) return;
    const query = new URLSearchParams(queryOf(request.url));
    const mode = query.get('hub.mode');
    const token = query.get('hub.verify_token') ?? '';
    const challenge = query.get('hub.challenge');
    let reason: RefusalReason | null = null;
    if (!account || account.status === 'archived') reason = 'unknown_account';
    else if (mode !== 'subscribe' || !challenge || challenge.length > CHALLENGE_MAX)
      reason = 'handshake_invalid';
    else if (!verifyTokenMatches(token, account.verifyToken ?? '')) reason = 'verify_token_mismatch';
    if (reason !== null || !challenge) {
      this.refuse(request, response, account, instagramAccountId, reason ?? 'handshake_invalid', 403, null);
      return;
    }
    send(response, 200, challenge);
  }

  private async delivery(
    request: IncomingMessage,
    response: ServerResponse,
    instagramAccountId: string,
  ): Promise<void> {
    const declared = declaredLength(request);
    const account = await this.lookup(response, instagramAccountId);
    if (account === undefined) return;
    const refuse = (reason: RefusalReason, status: number, bytes: number | null = declared) =>
      this.refuse(request, response, account, instagramAccountId, reason, status, bytes);
    if (!account) return refuse('unknown_account', 404);
    if (account.status !== 'active') return refuse(`account_${account.status}`, 403);
    if (!isJson(request.headers['content-type'])) return refuse('content_type', 415);
    const header256 = request.headers['x-hub-signature-256'];
    // Without a SHA-256 signature nothing can be verified: no need to read the body at all.
    if (header256 === undefined) {
      return refuse(
        request.headers['x-hub-signature'] === undefined ? 'signature_missing' : 'signature_sha1_only',
        401,
      );
    }
    const limit = this.deps.maxBodyBytes ?? MAX_BODY_BYTES;
    if (declared !== null && declared > limit) return refuse('body_too_large', 413);

    const read = await readBody(request, limit, this.budget);
    if (read.kind === 'too_large') return refuse('body_too_large', 413, read.bytes);
    // The client went away mid-body: nobody is left to answer; noted for diagnosis.
    if (read.kind === 'aborted') return refuse('body_incomplete', 400, read.bytes);
    if (read.kind === 'busy') return unavailable(response, true);
    const body = read.body;

    const check = checkSignature(body, header256, request.headers['x-hub-signature'], account.secrets);
    if (!check.ok) {
      // A secret we could not decrypt may be the one that signed: not the sender's fault, let Meta retry.
      if (account.secretUnreadable || account.secrets.length === 0)
        return refuse('secret_unavailable', 503, body.length);
      return refuse(check.reason, check.reason === 'signature_missing' ? 401 : 403, body.length);
    }

    const receivedAt = new Date();
    const headers = keptHeaders(request);
    // Meta sends ASCII (non-ASCII is escaped); anything else is kept byte for byte as base64 rather than
    // silently changed, and ingest reports it as not understood.
    const utf8 = isUtf8(body);
    if (!utf8) headers['x-switchboard-body-encoding'] = 'base64';
    try {
      await this.deps.store.store({
        accountId: account.accountId,
        rawBody: body.toString(utf8 ? 'utf8' : 'base64'),
        headers,
        receivedAt,
      });
    } catch (error) {
      this.deps.logger.warn(
        { err: error, accountId: account.accountId },
        'webhook not stored; answered with an error so Meta retries',
      );
      if (isUnavailable(error)) return unavailable(response);
      return send(response, 500, 'Internal Server Error');
    }
    send(response, 200, 'EVENT_RECEIVED');
    this.deps.sink.stored(account.accountId, receivedAt);
  }

  private refuse(
    request: IncomingMessage,
    response: ServerResponse,
    account: ReceiverAccount | null,
    instagramAccountId: string,
    reason: RefusalReason,
    status: number,
    bodyBytes: number | null,
  ): void {
    this.deps.sink.refused({
      accountId: account?.accountId ?? null,
      instagramAccountId,
      reason,
      status,
      method: request.method ?? '-',
      remoteAddress: remoteOf(request),
      userAgent: single(request.headers['user-agent']),
      bodyBytes,
    });
    if (status === 503) return unavailable(response);
    // Other refusals keep the connection: Node discards the rest of the body (bounded by the request
    // timeout). A body that is too large is not worth reading: discard what arrives and close.
    const tooLarge = status === 413;
    if (tooLarge) {
      request.on('error', () => {});
      request.resume();
    }
    send(response, status, statusText(status), tooLarge);
  }
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

function queryOf(url: string | undefined): string {
  const raw = url ?? '';
  const q = raw.indexOf('?');
  return q === -1 ? '' : raw.slice(q + 1);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function declaredLength(request: IncomingMessage): number | null {
  const raw = request.headers['content-length'];
  return raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType.trim());
}

function remoteOf(request: IncomingMessage): string | undefined {
  // Behind the tunnel every request comes from loopback; the tunnel's forwarded-for is then the caller.
  const socket = request.socket.remoteAddress;
  const forwarded = single(request.headers['x-forwarded-for'])?.split(',')[0]?.trim();
  return forwarded && (socket === '127.0.0.1' || socket === '::1' || socket === '::ffff:127.0.0.1')
    ? forwarded
    : socket;
}

function keptHeaders(request: IncomingMessage): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = request.headers[name];
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (text !== undefined) kept[name] = text.slice(0, HEADER_VALUE_MAX);
  }
  return kept;
}

function statusText(status: number): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not found';
    case 413:
      return 'Payload Too Large';
    case 415:
      return 'Unsupported Media Type';
    default:
      return 'Error';
  }
}

/** Plain text, never sniffed as HTML (the handshake echoes a caller-chosen challenge), never cached. */
export function send(response: ServerResponse, status: number, body: string, close = false): void {
  if (response.headersSent || response.destroyed) return;
  const headers: Record<string, string | number> = {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  if (close) headers.Connection = 'close';
  response.writeHead(status, headers);
  response.end(body);
}

function unavailable(response: ServerResponse, close = false): void {
  if (response.headersSent || response.destroyed) return;
  response.setHeader('Retry-After', '5');
  send(response, 503, 'Service Unavailable', close);
}
