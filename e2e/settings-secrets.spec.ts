/**
 * Settings → Connection secrets against headless mode: the ngrok authtoken saved into (and cleared from) the
 * keychain, under a keychain service of this run alone.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { AppPage } from './pages/app-page';
import { startHeadless } from './support/headless';

test('staff save and clear the ngrok authtoken in Settings', async ({ page }) => {
  const app = await startHeadless([], { SWITCHBOARD_KEYCHAIN_SERVICE: `switchboard-e2e-${randomUUID()}` });
  try {
    const ui = new AppPage(page);
    await ui.open(app.ready.ui);
    await ui.goTo('Settings');
    const card = page.getByRole('region', { name: 'Connection secrets' });
    await expect(card).toBeVisible();
    const unavailable = await card.getByRole('alert').count();
    if (unavailable === 0) {
      await card.getByLabel('ngrok authtoken', { exact: true }).fill('e2e_token_value');
      await card.getByRole('button', { name: 'Save' }).first().click();
      await expect(card.getByText('Set', { exact: true })).toBeVisible();
    }
    await ui.screenshot('settings-secrets');
    if (unavailable === 0) {
      await card.getByRole('button', { name: 'Clear' }).first().click();
      await expect(card.getByText('Set', { exact: true })).toHaveCount(0);
    }
  } finally {
    await app.stop();
  }
});
