/**
 * The outbox queue view against headless mode and the Instagram sandbox: staff replies go through the
 * real outbox and delivery worker to the Graph emulator, which fails one of them with Meta's 551. The
 * hourly budget is set low so the rest visibly wait for it; the view follows pushed events.
 */
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { openDatabase } from '../electron/main/core/db/connection';
import { createRepositories } from '../electron/main/core/db/repositories';
import { startSandbox, type Sandbox } from '../electron/main/sandbox';
import { AppPage } from './pages/app-page';
import { callApi } from './support/api';
import { startHeadless, type HeadlessApp } from './support/headless';

const test = base.extend<{ sandbox: Sandbox; app: HeadlessApp }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  sandbox: async ({}, use) => {
    const sandbox = await startSandbox({ port: 0, seed: 11 });
    await use(sandbox);
    await sandbox.dispose();
  },
  app: async ({ sandbox }, use) => {
    const app = await startHeadless(['--graph-url', sandbox.url]);
    await use(app);
    await app.stop();
  },
});

/** Gives the customers their usernames, as a profile lookup would (the headless core has none yet). */
async function name(app: HeadlessApp, accountId: string, people: { igsid: string; username: string }[]) {
  const database = await openDatabase({ dialect: 'sqlite', file: join(app.ready.dataDir, 'switchboard.db') });
  try {
    const repos = createRepositories(database);
    for (const person of people)
      await repos.conversations.upsertConversation({
        accountId,
        participantIgsid: person.igsid,
        participantUsername: person.username,
      });
  } finally {
    await database.close();
  }
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `/tmp/shots/queue/${name}.png`, fullPage: true });

test('the queue shows waiting, paced and failed replies live, and a failed one can be retried', async ({
  page,
  app,
  sandbox,
}) => {
  const created = sandbox.createAccount({ loginType: 'instagram', subscribedFields: ['messages'] });
  const account = await callApi(app, 'accounts.create', {
    instagramAccountId: created.account.id,
    username: created.account.username,
    clientName: 'Bakery Brown',
    brandColor: '#AA5500',
    loginType: 'instagram',
    accessToken: created.token,
    appSecret: created.app.secret,
    instagramAppSecret: created.app.instagramAppSecret,
  });
  sandbox.updateApp(created.app.id, {
    callbackUrl: account.callbackUrl,
    verifyToken: account.webhookVerifyToken,
  });
  // Three sends an hour: the fourth and later replies wait for the budget.
  await callApi(app, 'accounts.update', { id: account.id, settings: { hourlySendBudget: 3 } });

  const ana = sandbox.createCustomer(created.account.id, { username: 'ana.souza' });
  const ben = sandbox.createCustomer(created.account.id, { username: 'ben_lifts' });
  sandbox.customerSends(created.account.id, ana.igsid, 'Is the shop open on Sunday?');
  sandbox.customerSends(created.account.id, ben.igsid, 'Do you deliver cakes?');
  await sandbox.drainWebhooks();
  await expect
    .poll(async () => (await callApi(app, 'inbox.list', { limit: 10 })).conversations.length)
    .toBe(2);
  await name(app, account.id, [
    { igsid: ana.igsid, username: 'ana.souza' },
    { igsid: ben.igsid, username: 'ben_lifts' },
  ]);
  const conversations = (await callApi(app, 'inbox.list', { limit: 10 })).conversations;
  const conversationOf = (igsid: string) => conversations.find((c) => c.participantIgsid === igsid)!.id;

  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  await page.getByRole('link', { name: /^Outbox/ }).click();
  await expect(page.getByRole('heading', { name: 'Outbox queue' })).toBeVisible();
  await expect(page.getByTestId('queue-count-waiting')).toHaveText('0');

  // Meta refuses the first send: Ana is not available (551).
  sandbox.injectFault(
    created.account.id,
    { kind: 'error', code: 551, subcode: 1545041, message: "This person isn't available right now" },
    1,
  );
  await callApi(app, 'outbox.send', { conversationId: conversationOf(ana.igsid), text: 'Yes, 8 to 14 🥐' });
  await expect(page.getByTestId('queue-count-failed')).toHaveText('1');
  for (const text of ['We do!', 'Within 10 km', 'Order 2 days ahead', 'See you soon'])
    await callApi(app, 'outbox.send', { conversationId: conversationOf(ben.igsid), text });

  // One attempt failed and two went: the budget of three is spent, two replies wait for it.
  await expect(page.getByTestId('queue-used-last-hour')).toHaveText('3 of 3');
  await expect(page.getByTestId('queue-count-paced')).toHaveText('2');
  await expect(page.getByRole('tab', { name: /Paced/ })).toContainText(/Next goes in (59|60) min/);
  // The status bar counts with the tiles' words, and leads to what most needs someone.
  const status = page.getByTestId('outbox-status');
  await expect(status).toHaveText('Outbox: 2 paced · 1 failed');
  await expect(status).toHaveAttribute('href', /state=failed$/);
  await page.getByRole('tab', { name: /Paced/ }).click();
  const rows = page.getByTestId('queue-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('@ben_lifts');
  await expect(rows.first()).toContainText('Order 2 days ahead');
  await expect(rows.first()).toContainText('Staff');
  await shot(page, 'queue-paced');

  // The tabs follow the arrow keys: Paced → Held → Failed.
  await page.getByRole('tab', { name: /Paced/ }).press('ArrowRight');
  await expect(page.getByRole('tab', { name: /Held/ })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: /Failed/ })).toHaveAttribute('aria-selected', 'true');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('@ana.souza');
  await expect(rows.first()).toContainText('Code 551/1545041');
  await expect(rows.first()).toContainText("isn't receiving messages from you");
  await shot(page, 'queue-failed');

  // Retried, it waits for the budget like the others.
  await rows.first().getByRole('button', { name: /Retry/ }).click();
  await expect(page.getByTestId('queue-count-failed')).toHaveText('0');
  await expect(page.getByTestId('queue-count-paced')).toHaveText('3');
  await expect(page.getByText('No failed messages.')).toBeVisible();
  await expect(status).toHaveText('Outbox: 3 paced');
  await expect(status).toHaveAttribute('href', /state=paced$/);
  expect(
    sandbox.sentMessages({ accountId: created.account.id }).filter((s) => s.kind === 'message'),
  ).toHaveLength(2);

  // The account page leads here too.
  await page.goto(`${app.ready.ui.split('#')[0]}#/accounts/${account.id}`);
  await page.getByRole('link', { name: 'Outbox queue' }).click();
  await expect(page).toHaveURL(new RegExp(`#/queue/${account.id}`));
  await shot(page, 'queue-from-account');
});
