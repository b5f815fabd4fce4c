import { test as base } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { InboxPage } from './pages/inbox-page';
import { startHeadless, type HeadlessApp } from './support/headless';
import { expect } from './support/fixtures';

/** Each test gets its own headless Switchboard in demo mode (own data folder, ports and sandbox). */
const test = base.extend<{ app: HeadlessApp }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  app: async ({}, use) => {
    const app = await startHeadless(['--demo']);
    await use(app);
    await app.stop();
  },
});

test('demo mode: three clients, a simulated customer reaches the inbox and a rule answers', async ({
  app,
  page,
}) => {
  expect(app.ready.demo).toBe(true);
  expect(app.ready.dataDir).toMatch(/[/\\]demo$/);
  const ui = new AppPage(page);
  await ui.open(app.ready.ui);

  await expect(page.getByRole('note')).toContainText('Demo mode');
  const clients = page.getByRole('navigation', { name: 'Clients' });
  for (const name of ['Crumb & Co. Bakery', 'Iron Peak Gym', 'Bright Smile Clinic'])
    await expect(clients.getByText(name, { exact: true })).toBeVisible();
  const inbox = new InboxPage(page);
  await expect(inbox.row('Lena Vogel')).toBeVisible();
  await ui.screenshot('demo-inbox');

  await page.getByRole('link', { name: 'Simulate a customer →' }).click();
  await expect(ui.heading()).toHaveText('Simulate a customer');
  const form = page.getByRole('form', { name: 'Simulate a customer' });
  await form.getByLabel('To the account').selectOption({ label: 'Iron Peak Gym · @ironpeak.gym' });
  await form.getByLabel('Username').fill('e2e.visitor');
  await form.getByLabel('Message').fill('Hi! How much is a membership?');
  await form.getByRole('button', { name: 'Send as customer' }).click();
  await expect(form.getByRole('status')).toContainText('Sent as @e2e.visitor');
  const received = page.getByRole('region', { name: 'What the customer received' });
  await expect(received).toContainText('Memberships are £29/month');
  await ui.screenshot('demo-simulate');

  await ui.goTo('Inbox');
  await inbox.open('e2e.visitor');
  await expect(inbox.bubbles().filter({ hasText: 'How much is a membership?' })).toBeVisible();
  await expect(inbox.bubbles().filter({ hasText: 'Memberships are £29/month' })).toBeVisible();
  // The automatic reply says which rule sent it, and its delivery state.
  await expect(inbox.thread()).toContainText(/Rule “[^”]+”/);
  await expect(inbox.thread().getByText('Sent', { exact: true }).first()).toBeVisible();
  await ui.screenshot('demo-thread');
});
