/**
 * Saved replies against headless mode and the sandbox: managed in the account's detail page (live checks
 * and preview), then inserted in the composer by typing `/`, filled in for the conversation, and sent.
 */
import { AppPage } from './pages/app-page';
import { InboxPage } from './pages/inbox-page';
import { callApi } from './support/api';
import { connect, customerWrites, expect, shot, test } from './support/sandbox-inbox';

test('saved replies are written, checked, previewed, edited and deleted in the account detail', async ({
  app,
  sandbox,
  page,
}) => {
  const bakery = await connect(app, sandbox, 'Rosie’s Bakery', '#E4572E');
  await new AppPage(page).open(`${app.ready.ui}#/accounts/${bakery.view.id}`);
  const section = page.getByRole('region', { name: 'Saved replies' });
  await section.scrollIntoViewIfNeeded();
  await expect(section).toContainText('No saved replies yet');
  await shot(page, 'saved-replies-empty');
  await section.getByRole('button', { name: 'New reply' }).click();

  const dialog = page.getByRole('dialog', { name: 'New saved reply' });
  await dialog.getByLabel('Name').fill('opening hours');
  await expect(dialog.getByRole('alert')).toContainText('Use one word');
  await dialog.getByLabel('Name').fill('/hours');
  await expect(dialog.getByLabel('Name')).toHaveValue('hours');
  await dialog.getByLabel('Text').fill('Hi {{frist_name}}');
  await expect(dialog.getByRole('alert')).toContainText('Unknown variable {{frist_name}}');
  await dialog.getByLabel('Text').fill('Hi ');
  await dialog.getByRole('button', { name: 'first_name' }).click();
  await dialog.getByLabel('Text').press('End');
  await dialog.getByLabel('Text').pressSequentially('! We open at 8 every day — <b>even Sunday</b>.');
  await expect(dialog.getByLabel('Preview')).toContainText(
    'Hi Ana! We open at 8 every day — <b>even Sunday</b>.',
  );
  await shot(page, 'saved-reply-dialog');
  await dialog.getByRole('button', { name: 'Save reply' }).click();
  await expect(dialog).toHaveCount(0);

  const list = section.getByRole('list', { name: 'Saved replies' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list).toContainText('/hours');
  await expect(list).toContainText('Hi {{first_name}}! We open at 8 every day — <b>even Sunday</b>.');

  // A second one for every account; the same name is refused with what to do.
  await section.getByRole('button', { name: 'New reply' }).click();
  const second = page.getByRole('dialog', { name: 'New saved reply' });
  await second.getByLabel('Name').fill('HOURS');
  await second.getByLabel('Text').fill('Thanks, {{name | "friend"}}!');
  await second.getByLabel('Every account’s conversations').check();
  await second.getByRole('button', { name: 'Save reply' }).click();
  await expect(second.getByRole('alert')).toContainText('"/HOURS" is already the name of a reply');
  await second.getByLabel('Name').fill('thanks');
  await second.getByRole('button', { name: 'Save reply' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByRole('listitem').nth(1)).toContainText('All accounts');
  await shot(page, 'saved-replies-section');

  await list.getByRole('button', { name: 'Edit /hours' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit /hours' });
  await edit.getByLabel('Text').fill('We open at 7 now!');
  await edit.getByRole('button', { name: 'Save reply' }).click();
  await expect(list).toContainText('We open at 7 now!');

  await list.getByRole('button', { name: 'Delete /thanks' }).click();
  await page
    .getByRole('alertdialog', { name: 'Delete /thanks?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  const stored = await callApi(app, 'savedReplies.list', {});
  expect(stored.replies.map((reply) => [reply.name, reply.body, reply.version])).toEqual([
    ['hours', 'We open at 7 now!', 2],
  ]);
});

test('typing / in the composer inserts a saved reply filled in for the conversation, which is then sent', async ({
  app,
  sandbox,
  page,
}) => {
  const bakery = await connect(app, sandbox, 'Rosie’s Bakery', '#E4572E');
  await customerWrites(
    app,
    sandbox,
    bakery,
    { username: 'ana.souza', name: 'Ana Souza' },
    'When do you open?',
  );
  const body = 'Hi {{first_name | "there"}}! We open at 8 every day at {{account.name}}.';
  await callApi(app, 'savedReplies.create', { accountId: bakery.view.id, name: 'hours', body });
  await callApi(app, 'savedReplies.create', {
    accountId: null,
    name: 'promo',
    body: 'Use {{var.promo_code}} 🎉',
  });
  await callApi(app, 'savedReplies.create', { accountId: null, name: 'thanks', body: 'Thank you!' });
  const inbox = new InboxPage(page);
  await new AppPage(page).open(app.ready.ui);
  await inbox.open('Ana Souza');
  const picker = page.getByRole('listbox', { name: 'Saved replies' });

  // "/" opens the picker with every reply; typing filters it; the first match is highlighted.
  await inbox.composer().pressSequentially('/');
  await expect(picker.getByRole('option')).toHaveCount(3);
  await inbox.composer().pressSequentially('ho');
  await expect(picker.getByRole('option')).toHaveCount(1);
  await expect(picker.getByRole('option', { selected: true })).toContainText(
    'Hi Ana! We open at 8 every day at Rosie’s Bakery.',
  );
  await shot(page, 'slash-picker');
  await inbox.composer().press('Enter');
  await expect(picker).toHaveCount(0);
  await expect(inbox.composer()).toHaveValue('Hi Ana! We open at 8 every day at Rosie’s Bakery.');
  await expect(page.locator('.composer__count')).toHaveText('49 characters · 51 / 1000 bytes');

  // Escape closes the picker and leaves the typed text; a slash inside a word opens nothing.
  await inbox.composer().pressSequentially(' and/or /tha');
  await expect(picker.getByRole('option')).toHaveCount(1);
  await inbox.composer().press('Escape');
  await expect(picker).toHaveCount(0);
  await expect(inbox.composer()).toBeFocused();
  for (let i = 0; i < 5; i += 1) await inbox.composer().press('Backspace');
  await expect(inbox.composer()).toHaveValue('Hi Ana! We open at 8 every day at Rosie’s Bakery. and/or');
  await expect(picker).toHaveCount(0);
  await inbox.composer().fill('Hi Ana! We open at 8 every day at Rosie’s Bakery.');
  await inbox.composer().press('Enter');

  const reply = inbox.thread().getByRole('listitem').filter({ hasText: 'We open at 8 every day' });
  await expect(reply.locator('.delivery')).toContainText('Sent');
  expect(JSON.stringify(sandbox.sentMessages({ accountId: bakery.igId }))).toContain(
    'Hi Ana! We open at 8 every day at Rosie’s Bakery.',
  );

  // A variable this account has no value for is flagged in the picker and blocks sending until replaced.
  await inbox.composer().pressSequentially('/pro');
  await expect(picker.getByRole('option')).toContainText('No value here for {{var.promo_code}}');
  await picker.getByRole('option').click();
  await expect(inbox.composer()).toHaveValue('Use {{var.promo_code}} 🎉');
  await expect(page.getByRole('alert').filter({ hasText: 'Replace {{var.promo_code}}' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await shot(page, 'slash-unfilled');
  await inbox.composer().fill('Use SPRING10 🎉');
  await expect(page.getByRole('button', { name: 'Send' })).toBeEnabled();
});
