/**
 * Settings → Database against headless mode and a real private MariaDB (started for this file from the
 * system's mariadbd): the app runs on the embedded database, staff try a MySQL server with a wrong password
 * and read why it failed, then save the right one and are told a restart switches to it.
 */
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { expect, test } from '@playwright/test';
import { startPrivateMariaDb, withDatabase, type PrivateMariaDb } from '../tests/support/mariadb';
import { AppPage } from './pages/app-page';
import { startHeadless } from './support/headless';

let server: PrivateMariaDb;
const password = 'Bakery-Pass-7';

test.beforeAll(async () => {
  server = await startPrivateMariaDb();
  const admin = await createConnection(withDatabase(server.url, ''));
  try {
    await admin.query('CREATE DATABASE sb_shared CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    for (const host of ['%', 'localhost']) {
      await admin.query(`CREATE USER 'agency'@'${host}' IDENTIFIED BY '${password}'`);
      await admin.query(`GRANT ALL ON sb_shared.* TO 'agency'@'${host}'`);
    }
  } finally {
    await admin.end();
  }
});
test.afterAll(async () => {
  await server?.stop();
});

test('staff test a MySQL server from Settings, see a wrong password explained, and save the right one', async ({
  page,
}) => {
  const app = await startHeadless([], { SWITCHBOARD_KEYCHAIN_SERVICE: `switchboard-e2e-${randomUUID()}` });
  try {
    const ui = new AppPage(page);
    await ui.open(app.ready.ui);
    await ui.goTo('Settings');
    const card = page.getByRole('region', { name: 'Database' });
    await expect(card.getByText('Embedded (SQLite file)')).toBeVisible();
    await expect(card.getByTestId('database-source')).toHaveText(
      'the default: the embedded database in the data folder',
    );
    await page.screenshot({ path: '/tmp/shots/queue/settings-database-sqlite.png', fullPage: true });

    await card.getByRole('radio', { name: /MySQL or MariaDB server/ }).check();
    await card.getByRole('textbox', { name: 'Host' }).fill('127.0.0.1');
    await card.getByRole('textbox', { name: 'Port' }).fill(String(server.port));
    await card.getByRole('textbox', { name: 'Database' }).fill('sb_shared');
    await card.getByRole('textbox', { name: 'User' }).fill('agency');
    await card.getByLabel('Password', { exact: true }).fill('not-the-password');
    await card.getByRole('button', { name: 'Test connection' }).click();
    const result = card.getByRole('status').filter({ hasText: 'Connection failed' });
    await expect(result).toBeVisible();
    await expect(result).toContainText(/password/i);
    await expect(result).not.toContainText('not-the-password');
    await card.screenshot({ path: '/tmp/shots/queue/settings-database-wrong-password.png' });

    // Saving tests first: a failing server is not saved.
    await card.getByRole('button', { name: 'Save and switch' }).click();
    await expect(card.getByText('Not saved: the connection failed')).toBeVisible();

    await card.getByLabel('Password', { exact: true }).fill(password);
    await card.getByRole('button', { name: 'Test connection' }).click();
    await expect(card.getByText('Connection works')).toBeVisible();
    await expect(
      card.getByText(`Connected to MySQL at 127.0.0.1:${server.port}/sb_shared as agency.`),
    ).toBeVisible();

    const keychainUsable = (await page.request
      .post(`${app.ready.api}/api/call/settings.getSecrets`, {
        headers: { Authorization: `Bearer ${app.ready.token}` },
        data: {},
      })
      .then((response) => response.json())) as { ok: boolean; value?: { keychain: string } };
    const keychainAvailable = keychainUsable.ok && keychainUsable.value?.keychain === 'available';
    // The password is saved in the OS keychain; `npm test` always provides one, so in CI its absence fails.
    if (process.env.CI) expect(keychainAvailable, 'the OS keychain must be reachable in CI').toBe(true);
    if (keychainAvailable) {
      await card.getByRole('button', { name: 'Save and switch' }).click();
      await expect(card.getByText('Saved — restart Switchboard to switch')).toBeVisible();
      await expect(card.getByText('Restart Switchboard to switch', { exact: true })).toBeVisible();
      await card.screenshot({ path: '/tmp/shots/queue/settings-database-saved.png' });
    }
  } finally {
    await app.stop();
  }
});
