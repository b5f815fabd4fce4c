/**
 * The inbox against headless mode and the Instagram sandbox: customers' DMs travel the real path
 * (sandbox → signed webhook → receiver → ingest → pushed events). Only the participants' display
 * names are written through the repositories, standing in for the profile lookup the headless
 * core does not have yet.
 */
import type { Sandbox } from '../electron/main/sandbox';
import { AppPage } from './pages/app-page';
import { InboxPage } from './pages/inbox-page';
import type { HeadlessApp } from './support/headless';
import {
  connect,
  distanceFromBottom,
  expect,
  horizontalOverflow,
  name,
  settled,
  test,
} from './support/inbox-world';

async function seed(app: HeadlessApp, sandbox: Sandbox) {
  const bakery = await connect(app, sandbox, 'Rosie’s Bakery', '#E4572E');
  const gym = await connect(app, sandbox, 'Iron Gym', '#2E86AB');
  const ana = sandbox.createCustomer(bakery.igId, { username: 'ana.souza' });
  const ben = sandbox.createCustomer(gym.igId, { username: 'ben_lifts' });
  const cleo = sandbox.createCustomer(bakery.igId, { username: 'cleo.m' });
  sandbox.customerSends(bakery.igId, ana.igsid, 'Do you have croissants on Sunday?');
  await sandbox.drainWebhooks();
  sandbox.customerSends(gym.igId, ben.igsid, 'How much is a monthly membership?');
  await sandbox.drainWebhooks();
  sandbox.customerSends(bakery.igId, cleo.igsid, 'Hi! Can I order a birthday cake 🎂 for Friday?');
  await settled(app, sandbox, 3);
  await name(app, [
    { accountId: bakery.view.id, igsid: ana.igsid, name: 'Ana Souza', username: 'ana.souza' },
    { accountId: gym.view.id, igsid: ben.igsid, name: 'Ben Okafor', username: 'ben_lifts' },
    { accountId: bakery.view.id, igsid: cleo.igsid, name: 'Cléo Martin', username: 'cleo.m' },
  ]);
  return { bakery, gym, ana, ben, cleo };
}

test('the list shows every account newest first, with client colour and unread; search and filters narrow it', async ({
  app,
  sandbox,
  page,
}) => {
  const world = await seed(app, sandbox);
  const ui = new AppPage(page);
  const inbox = new InboxPage(page);
  await ui.open(app.ready.ui);
  await expect(inbox.rows()).toHaveCount(3);
  await expect(inbox.rows().locator('.row__name')).toHaveText(['Cléo Martin', 'Ben Okafor', 'Ana Souza']);
  await expect(inbox.row('Ben Okafor')).toHaveCSS('border-left-color', 'rgb(46, 134, 171)');
  await expect(inbox.row('Cléo Martin')).toHaveCSS('border-left-color', 'rgb(228, 87, 46)');
  await expect(inbox.row('Ben Okafor')).toContainText('Iron Gym');
  await expect(inbox.row('Cléo Martin')).toContainText('@cleo.m');
  await expect(inbox.unreadDot('Ana Souza')).toBeVisible();
  await expect(inbox.unreadTotal()).toHaveText('3 unread');
  await inbox.screenshot('list');

  await inbox.search().fill('croissant');
  await expect(inbox.rows()).toHaveCount(1);
  await expect(inbox.rows().first()).toContainText('Ana Souza');
  await expect(inbox.rows().first()).toContainText('croissants on Sunday');
  // What matched is marked: the start of "croissants".
  await expect(inbox.rows().first().locator('mark')).toHaveText(['croissant']);
  await inbox.screenshot('search');
  await inbox.search().fill('@ben_li');
  await expect(inbox.rows().locator('.row__name')).toHaveText(['Ben Okafor']);
  await expect(inbox.rows().first().locator('mark')).toHaveText(['ben_li']);
  await inbox.search().fill('');
  await expect(inbox.rows()).toHaveCount(3);

  await inbox.scopeSelect().selectOption({ label: `@${world.gym.view.username} (1)` });
  await expect(inbox.rows().locator('.row__name')).toHaveText(['Ben Okafor']);
  await inbox.scopeSelect().selectOption({ label: 'All of Rosie’s Bakery' });
  await expect(inbox.rows().locator('.row__name')).toHaveText(['Cléo Martin', 'Ana Souza']);
  await inbox.scopeSelect().selectOption({ label: 'All accounts' });

  await inbox.open('Ana Souza');
  await expect(inbox.unreadDot('Ana Souza')).toHaveCount(0);
  await inbox.quickFilter('Unread').click();
  await expect(inbox.rows().locator('.row__name')).toHaveText(['Cléo Martin', 'Ben Okafor']);
  // Reading a conversation under "Unread" does not pull it from under the cursor.
  await inbox.open('Ben Okafor');
  await expect(inbox.unreadDot('Ben Okafor')).toHaveCount(0);
  await expect(inbox.rows().locator('.row__name')).toHaveText(['Cléo Martin', 'Ben Okafor']);
  await inbox.screenshot('filter-unread');
});

test('opening marks read; labels, notes and archive', async ({ app, sandbox, page }) => {
  await seed(app, sandbox);
  const ui = new AppPage(page);
  const inbox = new InboxPage(page);
  await ui.open(app.ready.ui);
  await inbox.open('Cléo Martin');
  await expect(inbox.conversationHeading()).toHaveText('Cléo Martin');
  await expect(inbox.thread()).toContainText('birthday cake 🎂');
  await expect(inbox.unreadDot('Cléo Martin')).toHaveCount(0);
  await expect(inbox.unreadTotal()).toHaveText('2 unread');
  await expect(page.locator('.composer__window')).toContainText('Reply window open');

  await inbox.addLabel('Cake order');
  await expect(inbox.details().getByRole('listitem').filter({ hasText: 'Cake order' })).toBeVisible();
  await expect(inbox.row('Cléo Martin')).toContainText('Cake order');
  await inbox.addNote('Wants chocolate, 20 people. <b>Call</b> before 5pm', 'Sam');
  await expect(inbox.details().locator('.note__text')).toHaveText(
    'Wants chocolate, 20 people. <b>Call</b> before 5pm',
  );
  await expect(inbox.details().locator('.note__meta')).toContainText('Sam');
  // A note is internal: nothing was sent to Instagram.
  expect(sandbox.sentMessages()).toEqual([]);
  await inbox.screenshot('thread-details');

  await inbox.labelSelect().selectOption('Cake order');
  await expect(inbox.rows().locator('.row__name')).toHaveText(['Cléo Martin']);
  await inbox.labelSelect().selectOption('');
  await expect(inbox.rows()).toHaveCount(3);

  // e archives and moves on to the next conversation.
  await page.keyboard.press('e');
  await expect(inbox.row('Cléo Martin')).toHaveCount(0);
  await expect(inbox.rows()).toHaveCount(2);
  await expect(inbox.conversationHeading()).toHaveText('Ben Okafor');
  await inbox.statusSelect().selectOption('archived');
  await expect(inbox.rows().locator('.row__name')).toHaveText(['Cléo Martin']);
  await inbox.open('Cléo Martin');
  await expect(page.locator('.conversation__sub')).toContainText('archived');
  await inbox.screenshot('archived');

  await inbox.action('Mark unread').click();
  await expect(inbox.unreadDot('Cléo Martin')).toBeVisible();
});

test('HTML and script in messages render as text; RTL and 1,000 emoji keep the layout; expired media say so', async ({
  app,
  sandbox,
  page,
}) => {
  const world = await seed(app, sandbox);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> <b>bold?</b>';
  sandbox.customerSends(world.bakery.igId, world.ana.igsid, hostile);
  sandbox.customerSends(world.bakery.igId, world.ana.igsid, 'مرحبا! هل لديكم كرواسون اليوم؟ شكرا جزيلا');
  sandbox.customerSends(world.bakery.igId, world.ana.igsid, '😀'.repeat(1000));
  sandbox.customerSends(
    world.bakery.igId,
    world.ana.igsid,
    'See https://example.com/menu?x=1 and javascript:alert(3)',
  );
  sandbox.customerEvent(world.bakery.igId, world.ana.igsid, {
    type: 'story_mention',
    url: `${sandbox.url}/expired-story.jpg`,
  });
  await sandbox.drainWebhooks();

  const ui = new AppPage(page);
  const inbox = new InboxPage(page);
  await ui.open(app.ready.ui);
  await inbox.open('Ana Souza');
  await expect(inbox.thread()).toContainText(hostile);
  await expect(inbox.thread().locator('script, b, img[src="x"]')).toHaveCount(0);
  await expect(inbox.thread().getByRole('link', { name: 'https://example.com/menu?x=1' })).toHaveAttribute(
    'href',
    'https://example.com/menu?x=1',
  );
  await expect(inbox.thread().locator('a[href^="javascript"]')).toHaveCount(0);
  await expect(inbox.thread()).toContainText('Story expired');
  await expect(inbox.thread()).toContainText('مرحبا');
  const scroller = page.locator('.thread__scroller');
  const overflow = await scroller.evaluate(horizontalOverflow);
  expect(overflow).toBeLessThanOrEqual(0);
  const listOverflow = await inbox.list().evaluate(horizontalOverflow);
  expect(listOverflow).toBeLessThanOrEqual(0);
  // The thread opens at its latest message, even after media turned into placeholders.
  await expect.poll(() => scroller.evaluate(distanceFromBottom)).toBeLessThan(48);
  await inbox.screenshot('bad-input');
  expect(dialogs).toEqual([]);
});

test('a new message appears live in the open thread and the list, without reload; the composer counts bytes', async ({
  app,
  sandbox,
  page,
}) => {
  const world = await seed(app, sandbox);
  const ui = new AppPage(page);
  const inbox = new InboxPage(page);
  await ui.open(app.ready.ui);
  await inbox.open('Ana Souza');
  await expect(inbox.thread()).toContainText('croissants on Sunday');

  sandbox.customerSends(world.bakery.igId, world.ana.igsid, 'Also, do you do gluten-free?');
  await sandbox.drainWebhooks();
  await expect(inbox.thread()).toContainText('Also, do you do gluten-free?');
  await expect(inbox.rows().first()).toContainText('Ana Souza');
  await expect(inbox.rows().first()).toContainText('gluten-free');

  await page.keyboard.press('r');
  await expect(inbox.composer()).toBeFocused();
  await inbox.composer().fill('Yes 🙂');
  await expect(page.locator('.composer__count')).toHaveText('5 characters · 8 / 1000 bytes');
  await inbox.screenshot('live');

  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await inbox.screenshot('shortcuts');
});
