import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppPage } from './pages/app-page';
import { startHeadless } from './support/headless';
import { expect, test } from '@playwright/test';

test('a database that cannot be opened gets an explanation screen, and Settings stays reachable', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-baddb-'));
  const file = join(dir, 'switchboard.db');
  writeFileSync(file, 'not a database: a text file someone saved under the database name by mistake');
  const app = await startHeadless(['--database', `sqlite:${file}`]);
  try {
    const ui = new AppPage(page);
    await ui.open(app.ready.ui);
    const alert = page.getByRole('alert', { name: 'The database needs attention' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(file);
    await expect(ui.statusBar()).toContainText('Database needs attention');
    await ui.screenshot('database-needs-attention');
    await ui.goTo('Settings');
    await expect(ui.heading()).toHaveText('Settings');
    await expect(page.getByText(file, { exact: true })).toBeVisible();
  } finally {
    await app.stop();
  }
});
