/**
 * Receiving health outside the diagnostics screen: the status bar says how many accounts Meta is not
 * sending webhooks for (pushed by events, no reload), links to diagnostics, and each account's detail
 * shows its last webhook, subscription state and the fields Meta sends, with a check on demand.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { Sandbox } from '../electron/main/sandbox';
import type { AccountView } from '../shared/contract';
import { AppPage } from './pages/app-page';
import { callApi } from './support/api';
import type { HeadlessApp } from './support/headless';
import { expect, sandboxWorld } from './support/inbox-world';

const SHOTS = '/tmp/shots/comments';

const test = sandboxWorld(66);

async function connect(app: HeadlessApp, sandbox: Sandbox, clientName: string, fields: string[]) {
  const created = sandbox.createAccount({ loginType: 'instagram', subscribedFields: fields });
  const view: AccountView = await callApi(app, 'accounts.create', {
    instagramAccountId: created.account.id,
    username: created.account.username,
    clientName,
    loginType: 'instagram',
    accessToken: created.token,
    appSecret: created.app.secret,
  });
  sandbox.updateApp(created.app.id, { callbackUrl: view.callbackUrl, verifyToken: view.webhookVerifyToken });
  return { view, igId: created.account.id };
}

async function shot(page: Page, name: string, clip?: 'status-bar'): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  if (clip === 'status-bar')
    await page.getByRole('contentinfo', { name: 'Status' }).screenshot({ path: `${SHOTS}/${name}.png` });
  else await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test('the status bar and the account detail show whether Meta sends each account’s webhooks', async ({
  app,
  sandbox,
  page,
}) => {
  const bakery = await connect(app, sandbox, 'Bakery Brown', ['messages', 'comments']);
  const gym = await connect(app, sandbox, 'Gym North', ['messages']);
  const customer = sandbox.createCustomer(bakery.igId, { username: 'croissant_fan' });
  sandbox.customerSends(bakery.igId, customer.igsid, 'Do you have croissants today?');
  await sandbox.drainWebhooks();
  await callApi(app, 'diagnostics.checkSubscriptions', {});

  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  const indicator = ui.statusBar().getByTestId('receiving-indicator');
  await expect(indicator).toHaveText('Webhooks OK · 2 accounts');
  await shot(page, 'status-bar-receiving-ok', 'status-bar');

  // Meta starts failing for the gym: the next check cannot tell, and the status bar says so by itself.
  sandbox.injectFault(gym.igId, { kind: 'error', code: 10, message: 'Permission denied' }, null);
  await callApi(app, 'diagnostics.checkSubscriptions', { accountId: gym.view.id });
  await expect(indicator).toHaveText('1 account not receiving');
  await expect(indicator).toHaveAttribute('title', new RegExp(`@${gym.view.username}`));
  await shot(page, 'status-bar-not-receiving', 'status-bar');

  // Keyboard: the indicator is a link to diagnostics.
  await indicator.focus();
  await page.keyboard.press('Enter');
  await expect(ui.heading()).toHaveText('Receiving diagnostics');
  await expect(
    page
      .getByRole('region', { name: 'Subscription health' })
      .getByRole('row')
      .filter({ hasText: 'Gym North' }),
  ).toContainText('Check failed');

  // The bakery's detail: last webhook, subscribed, the fields Meta sends.
  await ui.goTo('Accounts');
  await page
    .getByRole('link', { name: new RegExp(`@${bakery.view.username}\\b`) })
    .first()
    .click();
  const card = page.getByRole('region', { name: 'Receiving' });
  await expect(card).toContainText('Subscribed');
  await expect(card.locator('.field-chip')).toHaveText(['comments', 'messages']);
  await expect(card).not.toContainText('never');
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'account-receiving-ok');

  // The gym's detail says messages may not arrive; once Meta answers again, "Check subscription" clears it.
  await page
    .getByRole('link', { name: new RegExp(`@${gym.view.username}\\b`) })
    .first()
    .click();
  await expect(card).toContainText('Messages may not be arriving');
  await expect(card).toContainText('Check failed');
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'account-receiving-failing');
  sandbox.clearFaults(gym.igId);
  await card.getByRole('button', { name: 'Check subscription' }).click();
  await expect(card).toContainText('Subscribed');
  await expect(card).not.toContainText('Messages may not be arriving');
  await expect(indicator).toHaveText('Webhooks OK · 2 accounts');

  // The card's link opens diagnostics filtered to this account.
  await card.getByRole('link', { name: 'diagnostics screen' }).click();
  await expect(ui.heading()).toHaveText('Receiving diagnostics');
  await expect(page.getByLabel('Account')).toHaveValue(gym.view.id);
  await shot(page, 'diagnostics-from-account');
});
