import type { Page } from '@playwright/test';
import type { Sandbox } from '../electron/main/sandbox';
import { httpPaths } from '../shared/contract';
import { AccountsPage } from './pages/accounts-page';
import { AppPage } from './pages/app-page';
import { callApi } from './support/api';
import { startHeadless, type HeadlessApp } from './support/headless';
import { expect, sandboxWorld } from './support/inbox-world';

/** Each test: its own Graph API emulator and its own headless Switchboard pointed at it. */
const test = sandboxWorld(1);

/** A sandbox account connected through the API, then selected on the Accounts page. */
async function openConnected(
  app: HeadlessApp,
  sandbox: Sandbox,
  page: Page,
  input: { loginType: 'instagram' | 'facebook'; clientName: string } & Record<string, unknown>,
) {
  const { account, token, app: metaApp } = sandbox.createAccount({ loginType: input.loginType });
  await callApi(app, 'accounts.create', {
    instagramAccountId: account.id,
    username: account.username,
    accessToken: token,
    appSecret: metaApp.secret,
    ...input,
  });
  const ui = new AppPage(page);
  const accounts = new AccountsPage(page);
  await ui.open(app.ready.ui);
  await ui.goTo('Accounts');
  await accounts.select(account.username);
  return { account, token, ui, accounts };
}

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('adding an account: it appears under its client, active, and its connection test succeeds', async ({
  app,
  sandbox,
  page,
}) => {
  const { account, token, app: metaApp } = sandbox.createAccount({ loginType: 'instagram' });
  const ui = new AppPage(page);
  const accounts = new AccountsPage(page);
  await ui.open(app.ready.ui);
  await ui.goTo('Accounts');
  await expect(page.getByRole('heading', { name: 'No client accounts yet' })).toBeVisible();
  await ui.screenshot('accounts-empty');

  await accounts.openAddForm();
  await expect(accounts.saveButton()).toBeDisabled();
  await accounts.fillNewAccount({
    instagramAccountId: account.id,
    username: account.username,
    displayName: 'Rosie’s Bakery',
    clientName: 'Rosie’s Bakery',
    colour: 'Coral',
    accessToken: token,
    appSecret: metaApp.secret,
  });
  await expect(accounts.form().locator('.field__error')).toHaveCount(0);
  await expect(accounts.saveButton()).toBeEnabled();
  await ui.screenshot('accounts-add-form');
  await accounts.saveButton().click();

  await expect(accounts.form()).toBeHidden();
  const group = accounts.clientGroup('Rosie’s Bakery');
  await expect(group.getByRole('link', { name: new RegExp(`@${account.username}\\b`) })).toContainText(
    'Active',
  );
  await expect(accounts.statusBadge(account.username)).toHaveText('Active');
  await expect(accounts.sidebarAccount(account.username)).toBeVisible();
  // The form forgot the secrets: nothing on the page shows them.
  await expect(page.locator('body')).not.toContainText(token);
  await expect(page.locator('body')).not.toContainText(metaApp.secret);

  await accounts.testConnectionButton(account.username).click();
  await expect(accounts.testResult(account.username)).toContainText('Connection works');
  await expect(accounts.testResult(account.username)).toContainText(
    `Connected: the token works for @${account.username}.`,
  );
  await expect(accounts.healthBadge(account.username)).toHaveText('Connected');
  await ui.screenshot('accounts-list');
});

test('a failed connection test explains itself and the account shows "needs reconnect"', async ({
  app,
  sandbox,
  page,
}) => {
  const { account, token, app: metaApp } = sandbox.createAccount({ loginType: 'instagram' });
  const created = await callApi(app, 'accounts.create', {
    instagramAccountId: account.id,
    username: account.username,
    clientName: 'Northside Gym',
    brandColor: '#2F6FEB',
    loginType: 'instagram',
    accessToken: token,
    appSecret: metaApp.secret,
  });
  sandbox.updateToken(token, { expire: true });

  const ui = new AppPage(page);
  const accounts = new AccountsPage(page);
  await ui.open(app.ready.ui);
  await accounts.sidebarAccount(account.username).click();
  await expect(page).toHaveURL(new RegExp(`#/accounts/${created.id}$`));
  await expect(accounts.healthBadge(account.username)).toHaveText('Not tested yet');

  await accounts.testConnectionButton(account.username).click();
  const result = accounts.testResult(account.username);
  await expect(result).toContainText('Connection failed');
  await expect(result).toContainText('The access token has expired.');
  await expect(accounts.healthBadge(account.username)).toHaveText('Needs reconnect');
  await expect(accounts.accountRow(account.username)).toContainText('Needs reconnect');
  await ui.screenshot('accounts-test-failed');
});

test('editing: client name and time zone change; a bad time zone and a token with a line break are refused', async ({
  app,
  sandbox,
  page,
}) => {
  const { account, token, ui, accounts } = await openConnected(app, sandbox, page, {
    loginType: 'instagram',
    displayName: 'Clinic front desk',
    clientName: 'Old Clinic',
    settings: { timezone: 'Europe/Berlin' },
  });
  await accounts.edit(account.username);

  // Stored secrets are never shown back: the fields start empty, with the stored state beside them.
  await expect(accounts.field('Access token')).toHaveValue('');
  await expect(accounts.form()).toContainText('Stored, encrypted');
  await expect(accounts.saveButton()).toBeDisabled();

  await accounts.field('Time zone').fill('Mars/Olympus_Mons');
  await expect(accounts.fieldMessage('Time zone')).toHaveText(
    'Unknown time zone — use a name like Europe/Berlin or America/New_York',
  );
  await accounts.paste(accounts.field('Access token'), `${token.slice(0, 30)}\n${token.slice(30)}`);
  await expect(accounts.fieldMessage('Access token')).toHaveText(
    'The access token contains spaces or line breaks — copy it again without them',
  );
  await expect(accounts.saveButton()).toBeDisabled();
  await ui.screenshot('accounts-edit-invalid');

  await accounts.field('Access token').fill('');
  await accounts.field('Time zone').fill('America/New_York');
  await accounts.field('Client name').fill('Lakeside Clinic');
  await expect(accounts.form().locator('.field__error')).toHaveCount(0);
  await expect(accounts.saveButton()).toBeEnabled();
  await accounts.saveButton().click();

  await expect(accounts.form()).toBeHidden();
  await expect(accounts.clientGroup('Lakeside Clinic')).toBeVisible();
  await expect(accounts.clientGroup('Old Clinic')).toHaveCount(0);
  await expect(accounts.detail(account.username)).toContainText('America/New_York');

  // Keyboard: Escape closes the panel and gives focus back to the button that opened it.
  await accounts.edit(account.username);
  await page.keyboard.press('Escape');
  await expect(accounts.form()).toBeHidden();
  await expect(accounts.detail(account.username).getByRole('button', { name: 'Edit' })).toBeFocused();

  const view = await callApi(app, 'accounts.list', {});
  expect(view.accounts[0]?.settings.timezone).toBe('America/New_York');
  expect(view.accounts[0]?.credentials.accessToken).toBe('present');
});

test('opening hours: Monday to Friday 08:00–18:00 are saved and shown again on edit', async ({
  app,
  sandbox,
  page,
}) => {
  const { account, ui, accounts } = await openConnected(app, sandbox, page, {
    loginType: 'instagram',
    clientName: 'Corner Café',
  });
  await accounts.edit(account.username);

  await expect(accounts.hoursSwitch()).not.toBeChecked();
  await expect(accounts.form()).toContainText('Always open');
  const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
  await accounts.setOpeningHours(weekdays, '08:00', '18:00');

  // Closing before opening is refused, next to the day it concerns.
  await accounts.dayTime('Monday', 'closes').fill('07:00');
  await expect(accounts.form().getByRole('alert')).toHaveText('Closing must be after opening');
  await expect(accounts.saveButton()).toBeDisabled();
  await accounts.dayTime('Monday', 'closes').fill('18:00');
  await expect(accounts.form().locator('.field__error')).toHaveCount(0);
  await expect(accounts.dayOpen('Saturday')).not.toBeChecked();
  await expect(accounts.form()).toContainText('Closed');
  await accounts.dayTime('Monday', 'closes').blur();
  await ui.screenshot('accounts-business-hours');
  // The page reloads its list after a save; hold that reload back, as a slow disk would, so the edit
  // below is reopened while the list still holds the account as it was before the save.
  let releaseList = () => {};
  const listHeld = new Promise<void>((resolve) => (releaseList = resolve));
  await page.route(`**${httpPaths.call('accounts.list')}`, async (route) => {
    await listHeld;
    await route.continue();
  });
  await accounts.saveButton().click();
  await expect(accounts.form()).toBeHidden();

  const view = await callApi(app, 'accounts.list', {});
  expect(view.accounts[0]?.settings.businessHours).toEqual(
    [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '18:00' })),
  );

  await accounts.edit(account.username);
  await expect(accounts.hoursSwitch()).toBeChecked();
  for (const day of weekdays) {
    await expect(accounts.dayOpen(day)).toBeChecked();
    await expect(accounts.dayTime(day, 'opens')).toHaveValue('08:00');
    await expect(accounts.dayTime(day, 'closes')).toHaveValue('18:00');
  }
  for (const day of ['Saturday', 'Sunday']) await expect(accounts.dayOpen(day)).not.toBeChecked();
  await expect(accounts.saveButton()).toBeDisabled();
  await accounts.dayTime('Friday', 'closes').scrollIntoViewIfNeeded();
  await ui.screenshot('accounts-business-hours-reopened');
  releaseList();
  await page.unrouteAll({ behavior: 'wait' });
});

test('the webhook values can be copied and the callback URL names the account', async ({
  app,
  sandbox,
  page,
}) => {
  const { account, ui, accounts } = await openConnected(app, sandbox, page, {
    loginType: 'facebook',
    clientName: 'Boutique Belle',
    brandColor: '#7A5AF8',
  });

  await expect(accounts.callbackUrl(account.username)).toContainText(`/webhooks/instagram/${account.id}`);
  const copyUrl = accounts.copyButton(account.username, 'callback URL');
  const copyToken = accounts.copyButton(account.username, 'verify token');
  await expect(copyUrl).toBeVisible();
  await expect(copyToken).toBeVisible();

  await copyUrl.click();
  await expect(copyUrl).toHaveText('Copied');
  const url = await accounts.callbackUrl(account.username).textContent();
  expect(await accounts.readClipboard()).toBe(url);

  await copyToken.click();
  await expect(copyToken).toHaveText('Copied');
  const verifyToken = (await accounts.verifyToken(account.username).textContent()) ?? '';
  expect(verifyToken.length).toBeGreaterThan(10);
  expect(await accounts.readClipboard()).toBe(verifyToken);
  await ui.screenshot('accounts-detail-copied');

  await accounts.regenerateVerifyToken(account.username);
  await expect(accounts.verifyToken(account.username)).not.toHaveText(verifyToken);
});

test('Settings shows the encryption key and explains why a key file cannot be rotated', async ({
  app,
  page,
}) => {
  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  await ui.goTo('Settings');
  const section = page.getByRole('region', { name: 'Encryption key' });
  await expect(section).toContainText('Ready');
  await expect(section).toContainText('Key file (--key-file)');
  await section.getByRole('button', { name: 'Rotate key…' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate key' }).click();
  await expect(section.getByRole('alert')).toContainText('The key comes from the key file');
  await expect(ui.statusBar()).not.toContainText('Encryption key');
  await ui.screenshot('accounts-settings-encryption');
});

test('a missing encryption key shows in the status bar and, with what to do, in Settings', async ({
  page,
}) => {
  const app = await startHeadless(['--key-file', '/nonexistent/switchboard-missing.key']);
  try {
    const ui = new AppPage(page);
    await ui.open(app.ready.ui);
    const indicator = ui.statusBar().getByRole('link', { name: 'Encryption key unavailable' });
    await expect(indicator).toBeVisible();
    await indicator.click();
    await expect(ui.heading()).toHaveText('Settings');
    const section = page.getByRole('region', { name: 'Encryption key' });
    await expect(section).toContainText('Unavailable');
    await expect(section.getByRole('alert')).toContainText('does not exist');
    await ui.screenshot('accounts-settings-encryption-unavailable');
  } finally {
    await app.stop();
  }
});
