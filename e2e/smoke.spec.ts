import { AppPage, type SectionName } from './pages/app-page';
import { expect, test } from './support/fixtures';

const sections: SectionName[] = ['Inbox', 'Rules', 'Accounts', 'Reports', 'Settings'];

test('boots, shows every section and keeps the token out of the address bar', async ({ app, page }) => {
  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  expect(page.url()).not.toContain(app.ready.token);
  await expect(ui.heading()).toHaveText('Inbox');
  await expect(ui.statusBar()).toContainText('Headless');
  for (const section of sections) {
    await ui.goTo(section);
    await expect(ui.heading()).toHaveText(section);
    await expect(ui.nav(section)).toHaveAttribute('aria-current', 'page');
    await ui.screenshot(`section-${section.toLowerCase()}`);
  }
});

test('keyboard shortcuts switch sections', async ({ app, page }) => {
  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  await page.keyboard.press('Control+3');
  await expect(ui.heading()).toHaveText('Accounts');
  await page.keyboard.press('Control+5');
  await expect(ui.heading()).toHaveText('Settings');
  await expect(page.getByText(app.ready.dataDir, { exact: true })).toBeVisible();
});

test('without the token the UI is locked', async ({ app, page }) => {
  const response = await page.goto(app.ready.api);
  expect(response?.status()).toBe(401);
  await expect(page.getByRole('heading', { name: 'Switchboard is running' })).toBeVisible();
});
