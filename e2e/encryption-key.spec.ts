import { AppPage } from './pages/app-page';
import { expect, test } from './support/fixtures';

test('the key is exported as a passphrase-protected file, and a wrong passphrase on import is explained', async ({
  app,
  page,
}) => {
  const ui = new AppPage(page);
  await ui.open(app.ready.ui);
  await ui.goTo('Settings');

  await page.getByRole('button', { name: 'Export key…' }).click();
  const exportDialog = page.getByRole('dialog', { name: 'Export the encryption key' });
  await exportDialog.getByLabel('Passphrase', { exact: true }).fill('violet staircase under the harbour');
  await exportDialog.getByLabel('Passphrase again').fill('violet staircase under the harbour');
  await ui.screenshot('settings-export-key');
  const downloading = page.waitForEvent('download');
  await exportDialog.getByRole('button', { name: 'Export key' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^switchboard-key-[0-9a-f]{16}\.sbkey$/);
  await expect(exportDialog).toBeHidden();

  await page.getByRole('button', { name: 'Import key…' }).click();
  const importDialog = page.getByRole('dialog', { name: 'Import an encryption key' });
  await importDialog.getByLabel('Key file').setInputFiles(await download.path());
  await importDialog.getByLabel('Passphrase', { exact: true }).fill('not the passphrase at all');
  await importDialog.getByRole('button', { name: 'Import key' }).click();
  await expect(importDialog.getByRole('alert')).toContainText('passphrase');
  await ui.screenshot('settings-import-key-wrong-passphrase');
});
