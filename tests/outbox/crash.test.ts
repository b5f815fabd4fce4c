/**
 * Exactly once across a crash: the built headless server is killed (SIGKILL) while a send is in
 * flight, and restarted on the same data folder.
 *
 * 1. Meta accepted the send but its answer never arrived (a relay in front of the emulator passes
 *    the request at once and holds the answer): the message must end `sent` with the emulator's
 *    mid, and the emulator must hold exactly one copy.
 * 2. The request never reached Meta (the emulator's latency fault; a killed caller aborts it): the
 *    message must end `unknown` (check the thread), never sent blindly a second time.
 *
 * Needs the build (`npx electron-vite build`; the test command runs it first).
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox';
import { createCore } from '../../electron/main/core/create-core';
import { silentLogger } from '../../electron/main/core/lib/logger';
import { SecretKey, writeKeyFile } from '../../electron/main/core/secrets';
import type { AccountView, OutboxMessageView, Result } from '../../shared/contract';
import { startHeadless as startBuiltHeadless } from '../../e2e/support/headless';
import { testConfig } from '../support/core-harness';

const entry = resolve(import.meta.dirname, '..', '..', 'out', 'main', 'headless.js');

interface Running {
  child: ChildProcess;
  api: string;
  token: string;
  stderr: () => string;
}

let sandbox: Sandbox;
let relay: { server: Server; url: string; holdNextSend: boolean; sendsSeen: number };
let dataDir: string;
let keyFile: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 3 });
  relay = await startRelay(sandbox.url);
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-crash-'));
  keyFile = join(dataDir, 'master.key');
  await writeKeyFile(keyFile, SecretKey.generate());
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise((r) => relay.server.close(r));
  await sandbox.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The built headless server on this test's data folder and key, talking to the emulator through the relay. */
async function startHeadless(): Promise<Running> {
  const app = await startBuiltHeadless(['--graph-url', relay.url], {}, { dataDir, keyFile });
  children.push(app.process);
  return { child: app.process, api: app.ready.api, token: app.ready.token, stderr: () => app.stderr() };
}

/** Forwards every call to the emulator; when asked, holds the answer of the next send for 3 s. */
async function startRelay(
  target: string,
): Promise<{ server: Server; url: string; holdNextSend: boolean; sendsSeen: number }> {
  const state = { holdNextSend: false, sendsSeen: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const isSend = req.method === 'POST' && (req.url ?? '').includes('/messages');
      const hold = state.holdNextSend && isSend;
      if (hold) state.holdNextSend = false;
      if (isSend) state.sendsSeen += 1;
      const upstream = httpRequest(
        `${target}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const reply = () => {
              if (res.destroyed) return;
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              res.end(Buffer.concat(body));
            };
            if (hold) setTimeout(reply, 3_000);
            else reply();
          });
        },
      );
      upstream.on('error', () => res.destroy());
      // The caller died (killed) before the answer: the connection to the emulator goes down with it.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(state, { server, url: `http://127.0.0.1:${port}` });
}

async function call<T>(app: Running, method: string, input: unknown): Promise<T> {
  const response = await fetch(`${app.api}/api/call/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as Result<T>;
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Prepares the data folder in-process: an account and a conversation with someone who just wrote. */
async function prepare(): Promise<{ igId: string; conversationId: number }> {
  const created = sandbox.createAccount({ loginType: 'instagram' });
  const customer = sandbox.createCustomer(created.account.id, { lastInboundSecondsAgo: 60 });
  const setup = await createCore({
    config: testConfig(dataDir, { keyFile, graphUrl: sandbox.url }),
    shell: 'headless',
    version: '0.0.0-test',
    logger: silentLogger(),
  });
  const account = await setup.dispatch(
    'accounts.create',
    {
      instagramAccountId: created.account.id,
      username: created.account.username,
      clientName: 'Crash Client',
      loginType: 'instagram',
      accessToken: created.token,
      appSecret: created.app.secret,
    },
    { transport: 'in-process' },
  );
  if (!account.ok) throw new Error(JSON.stringify(account.error));
  const { conversationId } = await setup.database.repositories.conversations.ingest({
    accountId: (account.value as AccountView).id,
    participantIgsid: customer.igsid,
    mid: 'm_in_crash',
    direction: 'inbound',
    text: 'Are you open today?',
    createdAt: new Date(Date.now() - 60_000),
  });
  await setup.dispose();
  return { igId: created.account.id, conversationId };
}

/** Sends, waits until the message is `sending`, kills the process. */
async function sendAndKill(conversationId: number, text: string): Promise<OutboxMessageView> {
  const first = await startHeadless();
  const seenBefore = relay.sendsSeen;
  const queued = await call<OutboxMessageView>(first, 'outbox.send', { conversationId, text });
  await until(
    () => call<{ messages: OutboxMessageView[] }>(first, 'outbox.listConversation', { conversationId }),
    (value) => value.messages[0]?.state === 'sending',
    'the message to be sending',
  );
  await until(
    () => Promise.resolve(relay.sendsSeen),
    (seen) => seen > seenBefore,
    'the request to be on the wire',
  );
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  return queued;
}

/** Restarts and waits until the abandoned send is resolved. */
async function restartAndSettle(conversationId: number): Promise<OutboxMessageView[]> {
  const second = await startHeadless();
  const settled = await until(
    () => call<{ messages: OutboxMessageView[] }>(second, 'outbox.listConversation', { conversationId }),
    (value) => value.messages[0]?.state !== 'sending' && value.messages[0]?.state !== 'pending',
    'the abandoned send to be resolved',
  );
  second.child.kill('SIGTERM');
  await new Promise((r) => second.child.once('exit', r));
  return settled.messages;
}

it('Meta accepted, the answer was lost in the crash: resolved from the thread as sent, one copy', async () => {
  expect(existsSync(entry), 'build first: npx electron-vite build').toBe(true);
  const { igId, conversationId } = await prepare();
  relay.holdNextSend = true;
  const queued = await sendAndKill(conversationId, 'Yes, until 6 pm!');
  const accepted = await until(
    () => Promise.resolve(sandbox.sentMessages({ accountId: igId })),
    (sent) => sent.length === 1,
    'the emulator to have accepted the send',
  );
  const messages = await restartAndSettle(conversationId);
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatchObject({ id: queued.id, state: 'sent', graphMessageId: accepted[0]!.messageId });
  expect(sandbox.sentMessages({ accountId: igId })).toHaveLength(1);
}, 60_000);

it('the request never reached Meta: unknown (check the thread), not resent blindly', async () => {
  const { igId, conversationId } = await prepare();
  // The emulator sits on the request; the killed caller aborts it before it is handled.
  // Every call is slowed until the kill (not just the next one: background calls of the receiving-health
  // check may come first and would use up a one-shot fault).
  sandbox.injectFault(igId, { kind: 'latency', ms: 5_000 }, null);
  const queued = await sendAndKill(conversationId, 'See you soon');
  sandbox.clearFaults(igId);
  const messages = await restartAndSettle(conversationId);
  expect(messages[0]).toMatchObject({ id: queued.id, state: 'unknown', errorCode: 'UNKNOWN' });
  expect(messages[0]!.reason).toContain('check the thread');
  await new Promise((r) => setTimeout(r, 300));
  expect(sandbox.sentMessages({ accountId: igId })).toHaveLength(0);
}, 60_000);
