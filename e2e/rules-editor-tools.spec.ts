/**
 * The rule editor's own tools: testing the unsaved rule with the shared engine, the reply preview with
 * a real conversation's data, and edits kept on this computer while the database cannot be reached.
 *
 * The outage is simulated at the transport only: the page's calls to `rules.update` answer exactly
 * what the core answers when its database is unreachable (503, code UNAVAILABLE); everything else,
 * including "another workstation" saving meanwhile, goes to the real headless core.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { startSandbox, type Sandbox } from '../electron/main/sandbox';
import { httpPaths, type RuleView } from '../shared/contract';
import { RulesPage } from './pages/rules-page';
import { callApi } from './support/api';
import { connect, name, settled } from './support/customers';
import { startHeadless, type HeadlessApp } from './support/headless';

const SHOTS = '/tmp/shots/rules';

const test = base.extend<{ sandbox: Sandbox; app: HeadlessApp; bakery: { id: string; igId: string } }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  sandbox: async ({}, use) => {
    const sandbox = await startSandbox({ port: 0, seed: 7 });
    await use(sandbox);
    await sandbox.dispose();
  },
  app: async ({ sandbox }, use) => {
    const app = await startHeadless(['--graph-url', sandbox.url]);
    await use(app);
    await app.stop();
  },
  bakery: async ({ app, sandbox }, use) => {
    const { view, igId } = await connect(app, sandbox, 'Rosie’s Bakery', '#E4572E');
    await use({ id: view.id, igId });
  },
});

function keywordRule(ruleName: string, keywords: string[], reply: string) {
  return {
    name: ruleName,
    priority: 10,
    trigger: { type: 'keyword', keywords },
    response: { kind: 'text', variants: [reply] },
  };
}

/** Makes the page's `rules.update` calls fail as they do while the database is unreachable. */
async function databaseUnreachableFor(page: Page, method: 'rules.update') {
  await page.route(`**${httpPaths.call(method)}`, (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'The database cannot be reached: connection refused.' },
      }),
    }),
  );
}

test('an unsaved keyword rule fires in the editor’s test panel, with its trace; nothing is saved', async ({
  app,
  bakery,
  page,
}) => {
  await callApi(app, 'rules.create', {
    accountId: bakery.id,
    rule: keywordRule('Prices', ['price'], 'From 2 €'),
  });
  const rules = new RulesPage(page);
  await rules.open(app.ready.ui, bakery.id);
  await rules.newRuleButton().click();
  await rules.editorField('Name').fill('Parking');
  await rules.addKeywords(['parking', 'park']);
  await rules.editorField('Reply').fill('Free parking behind the shop, {{first_name | "friend"}}!');

  const panel = rules.editor().getByRole('region', { name: 'Test this rule before saving' });
  await panel.getByLabel('Message', { exact: true }).fill('Where can I PARK?');
  await panel.getByLabel("Sender's name").fill('Ana Souza');
  await panel.getByRole('button', { name: 'Test', exact: true }).click();
  const result = panel.getByLabel('Test result');
  await expect(result).toContainText('“Parking” answers');
  await expect(result).toContainText('Free parking behind the shop, Ana!');
  const trace = panel.getByRole('table', { name: 'Trace' });
  await expect(trace.getByRole('row', { name: /Parking/ })).toContainText('Answers');
  await expect(trace.getByRole('row', { name: /Parking/ })).toContainText('park');
  await expect(trace.getByRole('row', { name: /Prices/ })).toContainText('No match');
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/editor-test-unsaved.png` });

  // Changing the form changes what the panel runs, before any save.
  await rules.editor().getByRole('button', { name: 'Remove keyword park', exact: true }).click();
  await panel.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(result).toContainText('No rule matched this message.');
  expect((await callApi(app, 'rules.list', { accountId: bakery.id })).rules.map((r) => r.name)).toEqual([
    'Prices',
  ]);
});

test('the reply preview uses the latest conversation’s data, and another one on request', async ({
  app,
  sandbox,
  bakery,
  page,
}) => {
  const rules = new RulesPage(page);
  // No conversation yet: sample data, said so.
  await rules.open(app.ready.ui, bakery.id);
  await rules.newRuleButton().click();
  await expect(rules.editor().getByRole('note')).toContainText('sample data (María López)');
  await page.keyboard.press('Escape');

  const ana = sandbox.createCustomer(bakery.igId, { username: 'ana.souza' });
  const ben = sandbox.createCustomer(bakery.igId, { username: 'ben.k' });
  sandbox.customerSends(bakery.igId, ana.igsid, 'Do you have croissants on Sunday?');
  await sandbox.drainWebhooks();
  sandbox.customerSends(bakery.igId, ben.igsid, 'Is the cake shop open late?');
  await settled(app, sandbox, 2);
  await name(app, [
    { accountId: bakery.id, igsid: ana.igsid, name: 'Ana Souza', username: 'ana.souza' },
    { accountId: bakery.id, igsid: ben.igsid, name: 'Ben Kowalski', username: 'ben.k' },
  ]);
  await callApi(app, 'rules.setVariables', {
    accountId: bakery.id,
    expectedVersion: 0,
    variables: { phone: '+33 1 23 45 67 89' },
  });

  await page.reload();
  await page.locator('#root[data-app-state="ready"]').waitFor();
  await rules.newRuleButton().click();
  await rules
    .editorField('Reply')
    .fill('Hi {{first_name}}! You asked “{{message.text}}”. {{account.name}} answers at {{var.phone}}.');
  const preview = rules.editor().getByLabel('Preview of reply 1');
  const picker = rules.editor().getByLabel('Preview with');
  await expect(picker.locator('option:checked')).toContainText('@ben.k');
  await expect(preview).toContainText(
    'Hi Ben! You asked “Is the cake shop open late?”. Rosie’s Bakery answers at +33 1 23 45 67 89.',
  );
  await expect(preview).toContainText('With @ben.k');
  await picker.selectOption({ label: '@ana.souza — “Do you have croissants on Sunday?”' });
  await expect(preview).toContainText('Hi Ana! You asked “Do you have croissants on Sunday?”.');
  await preview.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/editor-preview-conversation.png` });
});

test('an edit made while the database is unreachable is kept, then saved, or resolved as a conflict', async ({
  app,
  bakery,
  page,
}) => {
  const prices: RuleView = await callApi(app, 'rules.create', {
    accountId: bakery.id,
    rule: keywordRule('Prices', ['price'], 'From 2 €'),
  });
  const hours: RuleView = await callApi(app, 'rules.create', {
    accountId: bakery.id,
    rule: keywordRule('Hours', ['open'], 'We open at 8'),
  });
  const rules = new RulesPage(page);
  await rules.open(app.ready.ui, bakery.id);
  await databaseUnreachableFor(page, 'rules.update');

  for (const [rule, reply] of [
    ['Prices', 'From 2.50 €'],
    ['Hours', 'We open at 7'],
  ] as const) {
    await rules.row(rule).getByRole('button', { name: rule, exact: true }).click();
    await rules.editorField('Reply').fill(reply);
    await rules.saveButton().click();
    await expect(rules.editor()).toBeHidden();
  }
  const banner = page.getByRole('region', { name: 'Changes saved on this computer' });
  await expect(banner).toContainText(
    '2 changes saved on this computer, will be saved to the database when it is reachable',
  );
  await page.screenshot({ path: `${SHOTS}/offline-banner.png` });

  // Kept across a reload (localStorage), and restored into the editor.
  await page.reload();
  await page.locator('#root[data-app-state="ready"]').waitFor();
  await expect(banner).toContainText('2 changes');
  await banner.getByRole('button', { name: 'Prices' }).click();
  await expect(rules.editor()).toContainText('Restored your changes saved on this computer');
  await expect(rules.editorField('Reply')).toHaveValue('From 2.50 €');
  await page.keyboard.press('Escape');

  // Another workstation changes "Hours" meanwhile.
  await callApi(app, 'rules.update', {
    id: hours.id,
    expectedVersion: hours.version,
    rule: keywordRule('Hours', ['open'], 'We open at 9 (theirs)'),
  });

  // The database is back: the next successful load of the rules saves what was kept.
  await page.unroute(`**${httpPaths.call('rules.update')}`);
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Saved to the database: “Prices”' })).toBeVisible();
  await expect(banner).toContainText('Changed elsewhere while you were offline');
  const stored = await callApi(app, 'rules.get', { id: prices.id });
  expect(stored.rule?.response).toMatchObject({ variants: ['From 2.50 €'] });

  await banner.getByRole('button', { name: 'Hours' }).click();
  const conflict = page.getByRole('alertdialog', { name: 'Someone else changed this rule' });
  await expect(conflict).toContainText('While the database could not be reached');
  await page.screenshot({ path: `${SHOTS}/offline-conflict.png` });
  await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(rules.editor()).toBeHidden();
  await expect(banner).toBeHidden();
  const resolved = await callApi(app, 'rules.get', { id: hours.id });
  expect(resolved.rule?.response).toMatchObject({ variants: ['We open at 7'] });
});
