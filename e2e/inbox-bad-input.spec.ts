/**
 * Bad input from issue 9 that e2e/inbox.spec.ts does not cover: HTML and script in every other
 * text field (client name, participant name and username, labels, assignee), participants with no
 * username (and with nothing at all), and images whose URL answers 404. Everything renders as text,
 * nothing runs, and the layout holds.
 */
import { AppPage } from './pages/app-page';
import { InboxPage } from './pages/inbox-page';
import { callApi } from './support/api';
import { connect, expect, horizontalOverflow, name, settled, test } from './support/inbox-world';

const HOSTILE_CLIENT = '<img src=x onerror="alert(1)">Evil & Co';
const HOSTILE_NAME = '<script>alert("name")</script>Zoë <b>Bold</b>';
const HOSTILE_USERNAME = '<i>zoe</i>';
const HOSTILE_LABEL = '<u>vip</u>';
const HOSTILE_ASSIGNEE = '<svg onload=alert(3)>Sam';

test('HTML in names, usernames, client names, labels and assignees is text; no username; 404 images', async ({
  app,
  sandbox,
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const evil = await connect(app, sandbox, HOSTILE_CLIENT, '#7A5195');
  const zoe = sandbox.createCustomer(evil.igId, { username: 'zoe' });
  const nadia = sandbox.createCustomer(evil.igId, { username: 'nadia' });
  const nobody = sandbox.createCustomer(evil.igId, { username: 'nobody' });
  sandbox.customerSends(evil.igId, zoe.igsid, 'Hello from Zoë');
  await sandbox.drainWebhooks();
  sandbox.customerSends(evil.igId, nadia.igsid, 'Photo of the cake I want');
  sandbox.customerEvent(evil.igId, nadia.igsid, {
    type: 'attachments',
    attachments: [{ type: 'image', url: `${sandbox.url}/gone/cake.jpg` }],
  });
  await sandbox.drainWebhooks();
  sandbox.customerSends(evil.igId, nobody.igsid, 'Who am I?');
  await settled(app, sandbox, 3);
  await name(app, [
    { accountId: evil.view.id, igsid: zoe.igsid, name: HOSTILE_NAME, username: HOSTILE_USERNAME },
    // A name but no username, as when the profile lookup was not allowed.
    { accountId: evil.view.id, igsid: nadia.igsid, name: 'Nadia Haddad', username: null },
  ]);
  const { conversations } = await callApi(app, 'inbox.list', { limit: 10 });
  const zoeRow = conversations.find((row) => row.participantIgsid === zoe.igsid)!;
  await callApi(app, 'inbox.update', {
    conversationId: zoeRow.id,
    labels: [HOSTILE_LABEL],
    assignedTo: HOSTILE_ASSIGNEE,
  });

  const ui = new AppPage(page);
  const inbox = new InboxPage(page);
  await ui.open(app.ready.ui);
  await expect(inbox.rows()).toHaveCount(3);
  // Every hostile string shows as itself, in the list and in the sidebar.
  await expect(inbox.row('Zoë')).toContainText(HOSTILE_NAME);
  await expect(inbox.row('Zoë')).toContainText(`@${HOSTILE_USERNAME}`);
  await expect(inbox.row('Zoë')).toContainText(HOSTILE_LABEL);
  await expect(inbox.row('Zoë')).toContainText(HOSTILE_CLIENT);
  await expect(page.getByRole('complementary', { name: 'Main' })).toContainText(HOSTILE_CLIENT);
  // No username: the name alone, no stray "@"; neither: a neutral label, never an empty row.
  await expect(inbox.row('Nadia Haddad').locator('.row__username')).toHaveCount(0);
  await expect(inbox.row('Instagram user')).toHaveCount(1);
  await expect(inbox.row('Instagram user')).toContainText('Who am I?');

  await inbox.open('Zoë');
  await expect(inbox.conversationHeading()).toHaveText(HOSTILE_NAME);
  await expect(page.locator('.conversation__sub')).toContainText(`@${HOSTILE_USERNAME}`);
  await expect(inbox.details()).toContainText(HOSTILE_LABEL);
  await expect(inbox.details().getByRole('textbox', { name: 'Assignee' })).toHaveValue(HOSTILE_ASSIGNEE);
  await inbox.screenshot('hostile-fields');

  await inbox.open('Instagram user');
  await expect(inbox.conversationHeading()).toHaveText('Instagram user');
  await expect(inbox.thread()).toContainText('Who am I?');

  // An image whose URL answers 404 becomes a plain "media expired" placeholder, not a broken image.
  await inbox.open('Nadia Haddad');
  await expect(inbox.conversationHeading()).toHaveText('Nadia Haddad');
  await expect(inbox.thread().getByRole('img', { name: 'Media expired' })).toBeVisible();
  await expect(inbox.thread().locator('img.media')).toHaveCount(0);
  await inbox.screenshot('media-404');

  // Nothing became markup anywhere on the page, nothing ran, nothing sticks out sideways.
  await expect(
    page.locator('#root script, #root img[src="x"], #root svg[onload], #root b, #root u, #root i'),
  ).toHaveCount(0);
  expect(await inbox.list().evaluate(horizontalOverflow)).toBeLessThanOrEqual(0);
  expect(await page.locator('.thread__scroller').evaluate(horizontalOverflow)).toBeLessThanOrEqual(0);
  expect(dialogs).toEqual([]);
});
