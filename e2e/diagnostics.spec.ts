/**
 * The receiving diagnostics screen (#/diagnostics, reached from Settings) against headless mode and the
 * Instagram sandbox: real signed deliveries, one the core does not understand, a refused one, a dropped
 * subscription that the check repairs, and a replay.
 */

import { signWebhookBody, type Sandbox } from '../electron/main/sandbox';
import type { AccountView } from '../shared/contract';
import { AppPage } from './pages/app-page';
import { callApi } from './support/api';
import type { HeadlessApp } from './support/headless';
import { expect, sandboxWorld } from './support/inbox-world';

const test = sandboxWorld(9);

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
  const customer = sandbox.createCustomer(created.account.id, { username: `fan_of_${clientName.length}` });
  return { view, igId: created.account.id, secret: created.app.secret, igsid: customer.igsid };
}

async function post(url: string, body: string, secret: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signWebhookBody(Buffer.from(body), secret) },
    body,
  });
  return response.status;
}

test('shows subscription health, deliveries, not understood and refusals; replays a delivery', async ({
  app,
  sandbox,
  page,
}) => {
  const bakery = await connect(app, sandbox, 'Bakery Brown', ['messages', 'messaging_postbacks']);
  const gym = await connect(app, sandbox, 'Gym North', []);
  // Drained one by one, so each message is a delivery of its own (queued together they would share a POST).
  sandbox.customerSends(bakery.igId, bakery.igsid, 'Do you have croissants today?');
  await sandbox.drainWebhooks();
  sandbox.customerSends(bakery.igId, bakery.igsid, 'And pain au chocolat?');
  await sandbox.drainWebhooks();
  const odd = JSON.stringify({
    object: 'instagram',
    entry: [{ id: bakery.igId, time: Date.now(), messaging: [{ brand_new_event: { x: 1 } }] }],
  });
  expect(await post(bakery.view.callbackUrl, odd, bakery.secret)).toBe(200);
  expect(await post(gym.view.callbackUrl, odd, 'someone-elses-secret')).toBe(403);
  await expect
    .poll(async () => (await callApi(app, 'diagnostics.listNotUnderstood', {})).deliveries.length)
    .toBe(1);
  await expect
    .poll(async () => (await callApi(app, 'diagnostics.listSecurityLog', {})).entries.length)
    .toBeGreaterThan(0);

  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  await ui.goTo('Settings');
  await page.getByRole('link', { name: 'Open receiving diagnostics' }).click();
  await expect(ui.heading()).toHaveText('Receiving diagnostics');
  expect(page.url()).toContain('#/diagnostics');

  const health = page.getByRole('region', { name: 'Subscription health' });
  const deliveries = page.getByRole('region', { name: 'Recent deliveries' });
  await expect(deliveries.getByRole('row')).toHaveCount(4);
  await expect(page.getByRole('region', { name: 'Not understood' })).toContainText('Not understood: ');
  await expect(page.getByRole('region', { name: 'Refused requests' })).toContainText('Wrong signature');

  // Gym North's app was never subscribed: the check subscribes it.
  await page.getByRole('button', { name: 'Check subscriptions now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Checked 2 accounts.' })).toBeVisible();
  const gymRow = health.getByRole('row').filter({ hasText: 'Gym North' });
  await expect(gymRow).toContainText('Re-subscribed');
  await expect(gymRow).toContainText('messages');
  await ui.screenshot('diagnostics-overview');
  await page.getByRole('region', { name: 'Refused requests' }).scrollIntoViewIfNeeded();
  await ui.screenshot('diagnostics-not-understood-and-refused');

  // Row 0 is the header, row 1 the odd delivery: replay the second message's delivery.
  await deliveries.getByRole('row').nth(2).getByRole('button', { name: 'Replay' }).click();
  await expect(page.getByRole('status').filter({ hasText: /was queued for ingest again/ })).toBeVisible();
  await expect
    .poll(async () => (await callApi(app, 'inbox.list', { limit: 10 })).conversations[0]?.messageCount)
    .toBe(2);

  await page.getByLabel('Account').selectOption({ label: `Gym North (@${gym.view.username})` });
  await expect(deliveries).toContainText('No webhook has been received yet.');
  await ui.screenshot('diagnostics-filtered');
});
