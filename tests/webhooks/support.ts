/**
 * A sandbox (Meta) and a core (Switchboard) wired together: each sandbox app's callback URL and verify
 * token are the ones the core shows for the account, so deliveries travel over real HTTP with real
 * signatures.
 */
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../electron/main/core/db/connection';
import type { Repositories } from '../../electron/main/core/db/repositories';
import type { WebhookEvent } from '../../electron/main/core/db/repositories/webhook-events-repository';
import { signWebhookBody, startSandbox, type Sandbox } from '../../electron/main/sandbox';
import type { AccountView } from '../../shared/contract';
import type { CoreConfig } from '../../electron/main/core/config';
import type { Logger } from '../../electron/main/core/lib/logger';
import { startCoreUnderTest, type CoreUnderTest } from '../support/core-harness';

/** Every messaging field, so the sandbox delivers whatever a test makes the customer do. */
export const FIELDS = ['messages', 'message_reactions', 'messaging_postbacks', 'messaging_seen'];

/** An account connected on both sides. */
export interface ConnectedAccount {
  view: AccountView;
  appId: string;
  instagramAccountId: string;
  appSecret: string;
  instagramAppSecret: string;
  customerIgsid: string;
  /** Path of its webhook route on the receiver. */
  path: string;
}

/** An answer from the receiver. */
export interface Answer {
  status: number;
  body: string;
}

export interface WebhookWorld {
  sandbox: Sandbox;
  harness: CoreUnderTest;
  repos: () => Repositories;
  origin: string;
  addAccount(options?: {
    signWith?: 'app_secret' | 'instagram_app_secret';
    /** Give the core the Instagram app secret too (default true). */
    storeInstagramAppSecret?: boolean;
  }): Promise<ConnectedAccount>;
  /** Sends raw bytes to the receiver exactly as given (no header added but Host and Content-Length). */
  send(
    method: string,
    path: string,
    body?: Buffer | string,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /** A POST signed like Meta (both headers) with `secret`. */
  postSigned(
    path: string,
    body: string | Buffer,
    secret: string,
    extra?: Record<string, string>,
  ): Promise<Answer>;
  /** Waits until the sandbox delivered everything and ingest has processed it. */
  settle(): Promise<void>;
  /** Every stored delivery, oldest first. */
  deliveries(): Promise<WebhookEvent[]>;
  dispose(): Promise<void>;
}

/** Sends one request over a fresh connection; resolves with the answer or rejects on a socket error. */
export function rawRequest(
  origin: string,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  // Node's client sends DELETE and GET bodies without a length; say it, or the body reads as a new request.
  const framed =
    body !== undefined && !('transfer-encoding' in headers) && !('content-length' in headers)
      ? { ...headers, 'content-length': String(Buffer.byteLength(body)) }
      : headers;
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${origin}${path}`, { method, headers: framed, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export async function startWebhookWorld(
  options: { config?: Partial<CoreConfig>; receiverThread?: boolean; logger?: Logger } = {},
): Promise<WebhookWorld> {
  const sandbox = await startSandbox({ port: 0, seed: 5, delivery: { backoffMs: [], immediateRetries: 0 } });
  const harness = await startCoreUnderTest({
    config: { graphUrl: sandbox.url, ...options.config },
    ...(options.receiverThread === undefined ? {} : { receiverThread: options.receiverThread }),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { core } = harness;
  const origin = core.webhookServer.origin;
  let count = 0;
  // A second connection for reading tables no repository lists in full (tests only; WAL allows it).
  let reader: Database | undefined;
  const readerDb = async () =>
    (reader ??= await openDatabase({ dialect: 'sqlite', file: join(harness.dataDir, 'switchboard.db') }));
  const world: WebhookWorld = {
    sandbox,
    harness,
    origin,
    repos: () => core.database.repositories,
    async addAccount(accountOptions = {}) {
      const created = sandbox.createAccount({
        loginType: 'instagram',
        app: { signWith: accountOptions.signWith ?? 'app_secret' },
        subscribedFields: FIELDS,
      });
      count += 1;
      const result = await core.dispatch(
        'accounts.create',
        {
          instagramAccountId: created.account.id,
          username: created.account.username,
          clientName: `Client ${count}`,
          loginType: 'instagram',
          accessToken: created.token,
          appSecret: created.app.secret,
          ...(accountOptions.storeInstagramAppSecret === false
            ? {}
            : { instagramAppSecret: created.app.instagramAppSecret }),
        },
        { transport: 'in-process' },
      );
      if (!result.ok) throw new Error(`accounts.create failed: ${JSON.stringify(result.error)}`);
      const view = result.value as AccountView;
      sandbox.updateApp(created.app.id, {
        callbackUrl: view.callbackUrl,
        verifyToken: view.webhookVerifyToken,
      });
      const customer = sandbox.createCustomer(created.account.id, { username: `fan_${count}` });
      return {
        view,
        appId: created.app.id,
        instagramAccountId: created.account.id,
        appSecret: created.app.secret,
        instagramAppSecret: created.app.instagramAppSecret,
        customerIgsid: customer.igsid,
        path: new URL(view.callbackUrl).pathname,
      };
    },
    send: (method, path, body, headers = {}) => rawRequest(origin, method, path, body, headers),
    postSigned(path, body, secret, extra = {}) {
      const signature = signWebhookBody(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, secret);
      return rawRequest(origin, 'POST', path, body, {
        'content-type': 'application/json',
        ...signature,
        ...extra,
      });
    },
    async settle() {
      await sandbox.drainWebhooks();
      // Acknowledged deliveries are handed to ingest (from the receiver's spool) before it is awaited.
      await core.webhookReceiver.settle();
      core.ingest.notify();
      await core.ingest.whenIdle();
    },
    async deliveries() {
      const db = await readerDb();
      const rows = await db.kysely.selectFrom('webhook_events').select('id').orderBy('id').execute();
      const repos = core.database.repositories;
      const events = await Promise.all(rows.map((row) => repos.webhookEvents.get(Number(row.id))));
      return events.filter((event): event is WebhookEvent => event !== null);
    },
    async dispose() {
      await reader?.close();
      await harness.dispose();
      await sandbox.dispose();
    },
  };
  return world;
}

/** Polls `check` until it returns true (conditions, not fixed sleeps); fails after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
