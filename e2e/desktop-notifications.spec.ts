/**
 * Settings → Notifications & desktop against headless demo mode: the private-notifications setting is
 * saved, survives a reload, and a simulated customer's message then arrives as a toast that names the
 * sender but hides the text (and shows it again once the setting is off). A toast opens its conversation.
 */
import { mkdirSync } from 'node:fs';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { callApi } from './support/api';
import { startHeadless, type HeadlessApp } from './support/headless';

const test = base.extend<{ app: HeadlessApp }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  app: async ({}, use) => {
    const app = await startHeadless(['--demo']);
    await use(app);
    await app.stop();
  },
});

const shots = process.env.SHOTS_DIR;
/** With SHOTS_DIR set: the window, and the section when given (the page scrolls inside its frame). */
async function shot(page: Page, name: string, section?: Locator) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  if (section) await section.screenshot({ path: `${shots}/${name}-section.png` });
  await page.screenshot({ path: `${shots}/${name}.png` });
}

test('private notifications: saved, kept after reload, and the toast hides the message', async ({
  app,
  page,
}) => {
  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  await ui.goTo('Settings');
  const card = page.getByRole('region', { name: 'Notifications & desktop' });
  const privateSwitch = card.getByRole('switch', { name: /Private notifications/ });
  const preview = card.getByRole('figure', { name: 'Notification preview' });
  await expect(privateSwitch).not.toBeChecked();
  await expect(preview).toContainText('gluten-free croissants');
  await shot(page, 'settings-notifications', card);

  // From the keyboard: focus the switch and press Space.
  await privateSwitch.focus();
  await page.keyboard.press('Space');
  await expect(card.getByText('Saved')).toBeVisible();
  await expect(preview).toContainText('New message');
  await expect(preview).not.toContainText('croissants');

  await page.reload();
  await page.locator('#root[data-app-state="ready"]').waitFor();
  await expect(privateSwitch).toBeChecked();
  expect((await callApi(app, 'desktop.getSettings', {})).privateNotifications).toBe(true);
  await shot(page, 'settings-notifications-private', card);

  const { accounts } = await callApi(app, 'demo.overview', {});
  const gym = accounts.find((account) => account.clientName === 'Iron Peak Gym')!;
  await callApi(app, 'demo.simulate', {
    accountId: gym.accountId,
    username: 'e2e.private',
    event: { type: 'text', text: 'My card number is 4242' },
  });
  const toasts = page.getByRole('region', { name: 'New messages' });
  const toast = toasts.getByRole('button', { name: /@e2e\.private/ });
  await expect(toast).toBeVisible();
  await expect(toast).toContainText('Iron Peak Gym · @ironpeak.gym');
  await expect(toast).toContainText('New message');
  await expect(toasts).not.toContainText('4242');
  await shot(page, 'toast-private');

  await toast.click();
  await expect(page).toHaveURL(/#\/inbox\/\d+$/);
  await expect(page.getByText('My card number is 4242').first()).toBeVisible();

  await ui.goTo('Settings');
  await privateSwitch.click();
  await expect(privateSwitch).not.toBeChecked();
  await callApi(app, 'demo.simulate', {
    accountId: gym.accountId,
    username: 'e2e.open',
    event: { type: 'text', text: 'Are you open on Sunday?' },
  });
  await expect(toasts.getByRole('button', { name: /@e2e\.open/ })).toContainText('Are you open on Sunday?');
  await shot(page, 'toast-open');
});

test('quiet hours per client are saved with a clear message for a bad window', async ({ app, page }) => {
  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  await ui.goTo('Settings');
  const card = page.getByRole('region', { name: 'Notifications & desktop' });
  await card.getByRole('checkbox', { name: 'Iron Peak Gym' }).check();
  await card
    .getByRole('group', { name: 'Quiet days for Iron Peak Gym' })
    .getByRole('button', { name: 'Sunday' })
    .click();
  const from = card.getByLabel('Quiet from (Iron Peak Gym)');
  const until = card.getByLabel('Quiet until (Iron Peak Gym)');
  await from.fill('22:00');
  await until.fill('22:00');
  await expect(card.getByRole('alert')).toContainText('same time');
  await expect(card.getByRole('button', { name: 'Save quiet hours' })).toBeDisabled();
  await until.fill('06:30');
  await expect(card.getByText('Runs past midnight')).toBeVisible();
  await card.getByRole('button', { name: 'Save quiet hours' }).click();
  await expect(card.getByText('Quiet hours saved')).toBeVisible();
  await shot(page, 'settings-quiet-hours', card);

  const stored = await callApi(app, 'desktop.getSettings', {});
  expect(stored.quietHours).toEqual([
    {
      clientName: 'Iron Peak Gym',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      from: '22:00',
      to: '06:30',
    },
  ]);
  await page.reload();
  await page.locator('#root[data-app-state="ready"]').waitFor();
  await expect(card.getByLabel('Quiet until (Iron Peak Gym)')).toHaveValue('06:30');
});
