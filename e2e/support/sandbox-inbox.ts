/**
 * A headless app wired to an in-process Instagram sandbox, for specs that drive conversations: accounts
 * connected both ways, customers writing (now or hours ago, by moving the sandbox clock), and display
 * names written through the repositories in place of the profile lookup headless mode does not have.
 */
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox';
import { openDatabase } from '../../electron/main/core/db/connection';
import { createRepositories } from '../../electron/main/core/db/repositories';
import type { AccountView } from '../../shared/contract';
import { callApi } from './api';
import { startHeadless, type HeadlessApp } from './headless';

export const test = base.extend<{ sandbox: Sandbox; app: HeadlessApp }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  sandbox: async ({}, use) => {
    const sandbox = await startSandbox({ port: 0, seed: 9 });
    await use(sandbox);
    await sandbox.dispose();
  },
  app: async ({ sandbox }, use) => {
    const app = await startHeadless(['--graph-url', sandbox.url]);
    await use(app);
    await app.stop();
  },
});

export { expect };

const FIELDS = ['messages', 'message_reactions', 'messaging_postbacks', 'messaging_seen', 'message_edit'];

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
  const view = await callApi(app, 'accounts.create', {
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

/** A customer of `account` who writes `text`, `agoMs` before now (the sandbox clock is moved and put back). */
export async function customerWrites(
  app: HeadlessApp,
  sandbox: Sandbox,
  account: Connected,
  person: { username: string; name: string },
  text: string,
  agoMs = 0,
): Promise<{ igsid: string; conversationId: number }> {
  const customer = sandbox.createCustomer(account.igId, { username: person.username });
  sandbox.clock.setOffset(-agoMs);
  try {
    sandbox.customerSends(account.igId, customer.igsid, text);
    await sandbox.drainWebhooks();
  } finally {
    sandbox.clock.setOffset(0);
  }
  let conversationId = 0;
  await expect
    .poll(async () => {
      const { conversations } = await callApi(app, 'inbox.list', { limit: 100 });
      conversationId = conversations.find((row) => row.participantIgsid === customer.igsid)?.id ?? 0;
      return conversationId;
    })
    .toBeGreaterThan(0);
  await giveNames(app, [{ accountId: account.view.id, igsid: customer.igsid, ...person }]);
  return { igsid: customer.igsid, conversationId };
}

/** Gives participants display names, as a profile lookup would. */
export async function giveNames(
  app: HeadlessApp,
  people: { accountId: string; igsid: string; name: string; username: string }[],
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

/** Saves a screenshot for review, in SWITCHBOARD_SHOTS or artifacts/screenshots (ignored by git). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: join(process.env.SWITCHBOARD_SHOTS ?? 'artifacts/screenshots', `${name}.png`),
  });
}
