/**
 * Customers writing to a client account over the real path (sandbox → signed webhook → receiver →
 * ingest), for specs that need conversations. Only participants' display names are written through
 * the repositories, standing in for the profile lookup the headless core does not have yet.
 */
import { join } from 'node:path';
import { expect } from '@playwright/test';
import type { Sandbox } from '../../electron/main/sandbox';
import { openDatabase } from '../../electron/main/core/db/connection';
import { createRepositories } from '../../electron/main/core/db/repositories';
import type { AccountView } from '../../shared/contract';
import { callApi } from './api';
import type { HeadlessApp } from './headless';

const FIELDS = ['messages', 'message_reactions', 'messaging_postbacks', 'messaging_seen', 'message_edit'];

/** A connected client account: the app's view and the sandbox account's id. */
export interface Connected {
  view: AccountView;
  igId: string;
}

/** A client account in the app, wired to a sandbox account whose webhooks reach the app. */
export async function connect(
  app: HeadlessApp,
  sandbox: Sandbox,
  clientName: string,
  brandColor: string,
): Promise<Connected> {
  const created = sandbox.createAccount({ loginType: 'instagram', subscribedFields: FIELDS });
  const view: AccountView = await callApi(app, 'accounts.create', {
    instagramAccountId: created.account.id,
    username: created.account.username,
    clientName,
    brandColor,
    loginType: 'instagram',
    accessToken: created.token,
    appSecret: created.app.secret,
    instagramAppSecret: created.app.instagramAppSecret,
  });
  sandbox.updateApp(created.app.id, { callbackUrl: view.callbackUrl, verifyToken: view.webhookVerifyToken });
  return { view, igId: created.account.id };
}

/** Waits until the app has stored `count` conversations (test setup, not the UI). */
export async function settled(app: HeadlessApp, sandbox: Sandbox, count: number) {
  await sandbox.drainWebhooks();
  await expect
    .poll(async () => (await callApi(app, 'inbox.list', { limit: 100 })).conversations.length)
    .toBe(count);
}

/** Gives participants display names (and usernames, or none), as a profile lookup would. */
export async function name(
  app: HeadlessApp,
  people: { accountId: string; igsid: string; name: string | null; username: string | null }[],
): Promise<void> {
  const database = await openDatabase({ dialect: 'sqlite', file: join(app.ready.dataDir, 'switchboard.db') });
  try {
    const repos = createRepositories(database);
    for (const person of people)
      await repos.conversations.upsertConversation({
        accountId: person.accountId,
        participantIgsid: person.igsid,
        participantName: person.name,
        participantUsername: person.username,
      });
  } finally {
    await database.close();
  }
}
