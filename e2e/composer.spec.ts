/**
 * The staff-reply path against headless mode and the Instagram sandbox: a reply typed in the composer is
 * queued, sent by the delivery worker to the emulated Send API and shown as sent; a refused send says why
 * and Retry delivers it; the messaging window shows its countdown and its lock.
 */
import { AppPage } from './pages/app-page';
import { InboxPage } from './pages/inbox-page';
import { connect, customerWrites, expect, shot, test } from './support/sandbox-inbox';

const HOUR = 3600_000;

test('a staff reply goes out from the composer and is delivered', async ({ app, sandbox, page }) => {
  const bakery = await connect(app, sandbox, 'Rosie’s Bakery', '#E4572E');
  await customerWrites(
    app,
    sandbox,
    bakery,
    { username: 'ana.souza', name: 'Ana Souza' },
    'Croissants on Sunday?',
  );
  const inbox = new InboxPage(page);
  await new AppPage(page).open(app.ready.ui);
  await inbox.open('Ana Souza');
  await inbox.composer().fill('Yes, from 8 am 🥐');
  await inbox.composer().press('Enter');

  await expect(inbox.composer()).toHaveValue('');
  const reply = inbox.thread().getByRole('listitem').filter({ hasText: 'Yes, from 8 am 🥐' });
  // One bubble: the echo of the send, linked to it even when it comes before the send's result.
  await expect(reply).toHaveCount(1);
  await expect(reply.locator('.delivery')).toContainText('Sent');
  const sent = sandbox.sentMessages({ accountId: bakery.igId });
  expect(sent.map((record) => JSON.stringify(record))).toEqual([
    expect.stringContaining('Yes, from 8 am 🥐'),
  ]);
  await shot(page, 'composer-sent');
});

test('a refused send shows its reason in plain words, and Retry delivers it once the problem is gone', async ({
  app,
  sandbox,
  page,
}) => {
  const bakery = await connect(app, sandbox, 'Rosie’s Bakery', '#E4572E');
  await customerWrites(
    app,
    sandbox,
    bakery,
    { username: 'cleo.m', name: 'Cléo Martin' },
    'A cake for Friday?',
  );
  // Meta's "this person isn't available right now": permanent, so the message fails instead of retrying.
  sandbox.injectFault(bakery.igId, { kind: 'error', code: 551, subcode: 1545041 }, null);
  const inbox = new InboxPage(page);
  await new AppPage(page).open(app.ready.ui);
  await inbox.open('Cléo Martin');
  await inbox.composer().fill('Of course! Which flavour?');
  await inbox.page.getByRole('button', { name: 'Send' }).click();

  const reply = inbox.thread().getByRole('listitem').filter({ hasText: 'Of course! Which flavour?' });
  await expect(reply.locator('.delivery')).toContainText('Failed');
  await expect(reply.locator('.delivery__reason')).toContainText(
    "This person isn't receiving messages from you right now",
  );
  expect(sandbox.sentMessages({ accountId: bakery.igId })).toEqual([]);
  await shot(page, 'composer-failed');

  sandbox.clearFaults(bakery.igId);
  await reply.getByRole('button', { name: 'Retry' }).click();
  // The echo of the send can be ingested before the send's result is recorded: it is linked to the send in
  // flight, and the reply shows once.
  await expect(reply).toHaveCount(1);
  await expect(reply.locator('.delivery')).toContainText('Sent');
  await expect(reply.locator('.delivery__reason')).toHaveCount(0);
  expect(sandbox.sentMessages({ accountId: bakery.igId })).toHaveLength(1);
  await shot(page, 'composer-retried');
});

test('the window counts down under 4 hours and locks after 24, saying why', async ({
  app,
  sandbox,
  page,
}) => {
  const gym = await connect(app, sandbox, 'Iron Gym', '#2E86AB');
  await customerWrites(
    app,
    sandbox,
    gym,
    { username: 'ben_lifts', name: 'Ben Okafor' },
    'Still open?',
    30 * HOUR,
  );
  await customerWrites(app, sandbox, gym, { username: 'dee.runs', name: 'Dee Park' }, 'Price?', 21 * HOUR);
  const inbox = new InboxPage(page);
  await new AppPage(page).open(app.ready.ui);

  // Under 4 hours left: the list row and the composer both count down.
  await expect(inbox.row('Dee Park')).toContainText(/2 h \d\d min|3 h/);
  await inbox.open('Dee Park');
  await expect(page.locator('.composer__window')).toHaveAttribute('data-window', 'open');
  await expect(page.locator('.composer__window')).toContainText(/Reply window open · [23] h \d\d min left/);
  await expect(inbox.composer()).toBeEnabled();
  await shot(page, 'composer-countdown');

  await inbox.open('Ben Okafor');
  await expect(page.locator('.composer__window')).toContainText(
    'Locked: the 24-hour window has closed and this account is not set up for Human Agent replies',
  );
  await expect(inbox.composer()).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await shot(page, 'composer-locked');
});
