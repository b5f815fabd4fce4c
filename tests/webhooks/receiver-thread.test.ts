/**
 * The receiver in its own thread (the app's default): it stores and acknowledges on its own connection,
 * asks the main thread for accounts, and reports refusals, stored deliveries and log lines back.
 */
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Libsql from 'libsql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoreUnderTest } from '../support/core-harness';
import { mysqlServer } from '../support/databases';
import { createScratchDatabase, type ScratchDatabase } from '../support/mariadb';
import { body, customerItem } from '../receiving/support';
import { startWebhookWorld, type WebhookWorld } from './support';

let world: WebhookWorld;
const lines: string[] = [];
beforeAll(async () => {
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    }),
  );
  world = await startWebhookWorld({ logger });
});
afterAll(async () => {
  await world?.dispose();
});

/** The bodies waiting in a spool file, read on a connection of the test's own (WAL lets it read alongside). */
function spooledBodies(file: string): string[] {
  const reader = new Libsql(file, { readonly: true });
  try {
    return (
      reader.prepare('select raw_body from deliveries order by id').all() as { raw_body: string }[]
    ).map((row) => row.raw_body);
  } finally {
    reader.close();
  }
}

function textFrom(instagramAccountId: string, customerIgsid: string, text: string): string {
  return body([customerItem(instagramAccountId, customerIgsid, Date.now(), { type: 'text', text })]);
}

describe('the receiver thread', () => {
  it('stores a signed delivery before its 200, and the main thread ingests it', async () => {
    expect(world.harness.core.webhookReceiver.threaded).toBe(true);
    const account = await world.addAccount();
    const raw = textFrom(account.instagramAccountId, account.customerIgsid, 'from the thread');
    const answer = await world.postSigned(account.path, raw, account.appSecret);
    expect(answer.status).toBe(200);
    // Durable before the answer, without waiting for anything: in the spool, or already copied from it into
    // `webhook_events` (the copy is inserted before the spool forgets it, so the spool is read first).
    const spooled = spooledBodies(join(world.harness.dataDir, 'switchboard.db-spool'));
    const inTable = (await world.deliveries()).map((delivery) => delivery.rawBody);
    expect([...spooled, ...inTable]).toContain(raw);
    await world.settle();
    expect((await world.deliveries()).filter((delivery) => delivery.rawBody === raw)).toHaveLength(1);
    expect(spooledBodies(join(world.harness.dataDir, 'switchboard.db-spool'))).toEqual([]);
    const repos = world.repos();
    const conversation = await repos.conversations.findConversation(account.view.id, account.customerIgsid);
    const thread = await repos.conversations.listThread(conversation!.id);
    expect(thread.map((m) => m.text)).toEqual(['from the thread']);
  });

  it('follows account changes made on the main thread at once', async () => {
    const account = await world.addAccount();
    const raw = textFrom(account.instagramAccountId, account.customerIgsid, 'before the switch');
    // The first delivery puts the account (and its secrets) in the thread's cache.
    expect((await world.postSigned(account.path, raw, account.appSecret)).status).toBe(200);
    const result = await world.harness.core.dispatch(
      'accounts.setStatus',
      { id: account.view.id, status: 'inactive' },
      { transport: 'in-process' },
    );
    expect(result.ok).toBe(true);
    expect((await world.postSigned(account.path, raw, account.appSecret)).status).toBe(403);
    await world.harness.core.webhookReceiver.settle();
    const reasons = (await world.repos().webhookSecurity.list({ accountId: account.view.id })).map(
      (entry) => entry.reason,
    );
    expect(reasons).toEqual(['account_inactive']);
  });

  it('writes its log lines through the main logger, marked as the receiver thread', () => {
    const fromThread = lines
      .map((line) => JSON.parse(line) as { thread?: string; msg?: string; port?: number })
      .filter((line) => line.thread === 'receiver');
    expect(fromThread).toContainEqual(
      expect.objectContaining({
        msg: 'webhook server listening',
        port: world.harness.core.webhookServer.port,
      }),
    );
  });
});

describe('starting the receiver thread', () => {
  let taken: Server;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
  });

  it('reports a webhook port that is already in use, naming the setting', async () => {
    const port = (taken.address() as { port: number }).port;
    const failure = await startCoreUnderTest({ config: { webhookPort: port } }).then(
      async (harness) => {
        await harness.dispose();
        return null;
      },
      (error: unknown) => error,
    );
    expect(String(failure)).toContain(`Port ${port} is already in use (--webhook-port)`);
  });
});

const server = mysqlServer();
// Without MariaDB (outside CI only: the global setup fails a CI run without it) the reason is in the title.
const describeMariaDb = 'url' in server ? describe : describe.skip;

describeMariaDb(
  `the receiver thread on MariaDB${'reason' in server ? ` (skipped: ${server.reason})` : ''}`,
  () => {
    let scratch: ScratchDatabase;
    let mariadb: WebhookWorld;
    beforeAll(async () => {
      scratch = await createScratchDatabase('url' in server ? server.url : '', 'sb_thread');
      mariadb = await startWebhookWorld({ config: { databaseUrl: scratch.url } });
    });
    afterAll(async () => {
      await mariadb?.dispose();
      await scratch?.drop();
    });

    it('stores on its own pool before the 200, and the main thread ingests it', async () => {
      expect(mariadb.harness.core.webhookReceiver.threaded).toBe(true);
      const account = await mariadb.addAccount();
      const answer = await mariadb.postSigned(
        account.path,
        textFrom(account.instagramAccountId, account.customerIgsid, 'über MariaDB 👋'),
        account.appSecret,
      );
      expect(answer.status).toBe(200);
      await mariadb.settle();
      const repos = mariadb.repos();
      const conversation = await repos.conversations.findConversation(account.view.id, account.customerIgsid);
      const thread = await repos.conversations.listThread(conversation!.id);
      expect(thread.map((m) => m.text)).toEqual(['über MariaDB 👋']);
    });
  },
);
