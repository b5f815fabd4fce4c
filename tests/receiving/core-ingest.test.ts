/**
 * Ingest as wired by create-core: started with the database, woken by `notify()`, publishing on the
 * core's event bus; and profile lookups that never hold a message back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../electron/main/core/api/event-bus';
import type { ProfileLookup } from '../../electron/main/core/receiving/profile-lookup';
import { startCoreUnderTest } from '../support/core-harness';
import { forEachDialect } from '../support/databases';
import { body, createAccount, customerItem, eventsNamed, startWorker, store } from './support';

const CUSTOMER = '1254477777772919';
const T = 1762010783728;

describe('ingest in the core', () => {
  it('is started with a usable database and ingests what the receiver stored once notified', async () => {
    const harness = await startCoreUnderTest();
    try {
      const { core } = harness;
      expect(core.ingest.isStarted).toBe(true);
      const published: AnyEvent[] = [];
      core.events.subscribe((event) => published.push(event));
      const repos = core.database.repositories;
      const account = await createAccount(repos);
      const deliveryId = await store(
        repos,
        body([customerItem(account.instagramAccountId, CUSTOMER, T, { type: 'text', text: 'Hi there' })]),
      );
      core.ingest.notify();
      await core.ingest.whenIdle();

      expect((await repos.webhookEvents.get(deliveryId))?.state).toBe('processed');
      const conversation = await repos.conversations.findConversation(account.id, CUSTOMER);
      expect(eventsNamed(published, 'inbox.messageAdded')).toEqual([
        expect.objectContaining({
          accountId: account.id,
          conversationId: conversation!.id,
          direction: 'inbound',
        }),
      ]);
    } finally {
      await harness.dispose();
    }
  });

  it('is not started while the database cannot be used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-notadb-'));
    const file = join(dir, 'switchboard.db');
    writeFileSync(file, 'not a database: a text file someone saved here by mistake, long enough to be read');
    const harness = await startCoreUnderTest({ config: { databaseUrl: `sqlite:${file}` } });
    try {
      expect(harness.core.database.isReady).toBe(false);
      expect(harness.core.ingest.isStarted).toBe(false);
    } finally {
      await harness.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

forEachDialect('profile lookups after ingest', (get) => {
  it('never lose a message when the lookup fails, and fill in names once per person when it works', async () => {
    const { repos } = get();
    const failing = await createAccount(repos);
    const calls: string[] = [];
    const broken: ProfileLookup = {
      lookup: (accountId, igsid) => {
        calls.push(`${accountId}/${igsid}`);
        return Promise.reject(new Error('Graph API down'));
      },
    };
    const first = startWorker(repos, { profileLookup: broken });
    await store(
      repos,
      body([customerItem(failing.instagramAccountId, CUSTOMER, T, { type: 'text', text: 'Kept' })]),
    );
    await first.drain();
    const kept = await repos.conversations.findConversation(failing.id, CUSTOMER);
    expect(kept).toMatchObject({ messageCount: 1, participantUsername: null });
    expect(calls).toEqual([`${failing.id}/${CUSTOMER}`]);
    await first.worker.dispose();

    const account = await createAccount(repos);
    const ig = account.instagramAccountId;
    const answered: string[] = [];
    const working: ProfileLookup = {
      lookup: (_accountId, igsid) => {
        answered.push(igsid);
        return Promise.resolve({ username: 'jane.doe', name: 'Jane Doe' });
      },
    };
    const second = startWorker(repos, { profileLookup: working });
    await store(repos, body([customerItem(ig, CUSTOMER, T, { type: 'text', text: 'one' })]));
    await store(repos, body([customerItem(ig, CUSTOMER, T + 1, { type: 'text', text: 'two' })]));
    await second.drain();
    const named = await repos.conversations.findConversation(account.id, CUSTOMER);
    expect(named).toMatchObject({
      participantUsername: 'jane.doe',
      participantName: 'Jane Doe',
      messageCount: 2,
    });
    expect(answered).toEqual([CUSTOMER]);
    expect(eventsNamed(second.published, 'inbox.conversationChanged')).toContainEqual({
      accountId: account.id,
      conversationId: named!.id,
      cause: 'participant',
    });
    await second.worker.dispose();
  });
});
