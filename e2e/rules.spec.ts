import { test as base, expect } from '@playwright/test';
import { startSandbox, type Sandbox } from '../electron/main/sandbox';
import { RulesPage } from './pages/rules-page';
import { callApi } from './support/api';
import { startHeadless, type HeadlessApp } from './support/headless';

/** Each test: its own Graph API emulator, its own headless Switchboard and one client account. */
const test = base.extend<{ sandbox: Sandbox; app: HeadlessApp; accountId: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  sandbox: async ({}, use) => {
    const sandbox = await startSandbox({ port: 0, seed: 1 });
    await use(sandbox);
    await sandbox.dispose();
  },
  app: async ({ sandbox }, use) => {
    const app = await startHeadless(['--graph-url', sandbox.url]);
    await use(app);
    await app.stop();
  },
  accountId: async ({ app, sandbox }, use) => {
    const { account, token, app: metaApp } = sandbox.createAccount({ loginType: 'instagram' });
    const created = await callApi(app, 'accounts.create', {
      instagramAccountId: account.id,
      username: account.username,
      displayName: 'Rosie’s Bakery',
      clientName: 'Rosie’s Bakery',
      loginType: 'instagram',
      accessToken: token,
      appSecret: metaApp.secret,
    });
    await use(created.id);
  },
});

function keywordRule(name: string, keywords: string[], reply: string, priority: number) {
  return {
    name,
    priority,
    trigger: { type: 'keyword', keywords },
    response: { kind: 'text', variants: [reply] },
  };
}

test('creating a keyword rule and testing it: the rule fires, the reply and the trace are shown', async ({
  app,
  accountId,
  page,
}) => {
  const rules = new RulesPage(page);
  await rules.open(app.ready.ui, accountId);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rules');
  await expect(page.getByRole('heading', { name: 'No rules yet' })).toBeVisible();

  await rules.newRuleButton().click();
  await rules.editorField('Name').fill('Opening hours');
  await rules.addKeywords(['hours', 'open']);
  await expect(rules.editor().getByRole('list', { name: 'keywords' }).getByRole('listitem')).toHaveText([
    'hours',
    'open',
  ]);
  await rules.editorField('Reply').fill('Hi ');
  await rules.editor().getByRole('button', { name: '{{first_name}}' }).click();
  await rules.editorField('Reply').press('End');
  await rules.editorField('Reply').pressSequentially('! We open 8:00–18:00, Monday to Saturday.');
  // Live preview, rendered locally with sample data, with the byte count.
  await expect(rules.editor().getByLabel('Preview of reply 1')).toContainText('Hi María! We open 8:00–18:00');
  await expect(rules.editor().getByLabel('Preview of reply 1')).toContainText('/ 1,000 bytes');
  await expect(rules.editor().locator('.field__error')).toHaveCount(0);
  await rules.screenshot('rules-editor-keyword');
  await rules.saveButton().click();
  await expect(rules.editor()).toBeHidden();

  const row = rules.row('Opening hours');
  await expect(row).toContainText('Draft');
  await expect(row).toContainText('Whole word: “hours”, “open”');
  await expect(row).toContainText('Matched0');

  await rules.testPanel().getByLabel("Sender's name").fill('Ana Souza');
  await rules.testMessage('What are your HOURS on Saturday?');
  await expect(rules.testResult()).toContainText('“Opening hours” answers');
  await expect(rules.testResult()).toContainText('Hi Ana! We open 8:00–18:00, Monday to Saturday.');
  const trace = rules.trace();
  await expect(trace).toBeVisible();
  await expect(trace.getByRole('row', { name: /Opening hours/ })).toContainText('Answers');
  await expect(trace.getByRole('row', { name: /Opening hours/ })).toContainText('hours');

  await rules.publishButton().click();
  await expect(page.getByRole('status').filter({ hasText: 'Published 1 rule' })).toBeVisible();
  await expect(row).toContainText('Published');
  await rules.screenshot('rules-list-tested');
});

test('reordering changes the priority order, and it persists after a reload', async ({
  app,
  accountId,
  page,
}) => {
  for (const [i, name] of ['Prices', 'Delivery', 'Opening hours'].entries())
    await callApi(app, 'rules.create', {
      accountId,
      rule: keywordRule(name, [name.toLowerCase().split(' ')[0] ?? name], `About ${name}`, 30 - i * 10),
    });
  const rules = new RulesPage(page);
  await rules.open(app.ready.ui, accountId);
  await expect.poll(() => rules.order()).toEqual(['Prices', 'Delivery', 'Opening hours']);

  // Keyboard: move buttons.
  await rules.moveUp('Opening hours').click();
  await expect.poll(() => rules.order()).toEqual(['Prices', 'Opening hours', 'Delivery']);
  await expect(rules.moveUp('Opening hours')).toBeEnabled();
  // Mouse: drag "Delivery" onto the first row.
  await rules.row('Delivery').dragTo(rules.row('Prices'));
  await expect.poll(() => rules.order()).toEqual(['Delivery', 'Prices', 'Opening hours']);
  await expect(rules.moveUp('Prices')).toBeEnabled();
  await rules.screenshot('rules-reordered');

  await page.reload();
  await page.locator('#root[data-app-state="ready"]').waitFor();
  await expect.poll(() => rules.order()).toEqual(['Delivery', 'Prices', 'Opening hours']);
  const stored = await callApi(app, 'rules.list', { accountId });
  expect(stored.rules.map((r) => r.name)).toEqual(['Delivery', 'Prices', 'Opening hours']);
});

test('two rules on the same keyword show a conflict warning on the rules concerned', async ({
  app,
  accountId,
  page,
}) => {
  await callApi(app, 'rules.create', {
    accountId,
    rule: keywordRule('Prices', ['price', 'cost'], 'Our prices are on the menu.', 20),
  });
  const rules = new RulesPage(page);
  await rules.open(app.ready.ui, accountId);
  await rules.createKeywordRule({ name: 'Cake prices', keywords: ['price'], reply: 'Cakes start at €20.' });

  // The lower rule says why it never answers; the higher one says which rule it hides.
  await expect(rules.row('Cake prices')).toContainText('"Cake prices" can never answer');
  await expect(rules.row('Cake prices')).toContainText('keyword "price"');
  await expect(rules.row('Prices')).toContainText('Always answers before “Cake prices” (keyword "price")');
  await expect(page.getByText(/1 warning|2 warnings/)).toBeVisible();
  await rules.screenshot('rules-conflict');
});

test('a bad pattern is refused with the engine’s message; a good one shows its captures live', async ({
  app,
  accountId,
  page,
}) => {
  const rules = new RulesPage(page);
  await rules.open(app.ready.ui, accountId);
  await rules.newRuleButton().click();
  await rules.editorField('Name').fill('Order status');
  await rules.chooseTrigger('Pattern');
  const pattern = rules.editorField('Pattern');
  await pattern.fill('order (?<number>\\d+');
  await expect(rules.editor().locator('.field__error').first()).toContainText('Invalid pattern:');
  await expect(rules.editor().locator('.field__error').first()).toContainText('missing closing )');
  await expect(rules.saveButton()).toBeDisabled();
  await rules.screenshot('rules-bad-pattern');

  await pattern.fill('order #?(?<number>\\d+)');
  await rules.editor().getByLabel('Try it').fill('Where is ORDER #4521?');
  await expect(rules.editor().getByLabel('Pattern test result')).toContainText('ORDER #4521');
  await expect(rules.editor().getByLabel('Pattern test result')).toContainText('number = 4521');
  await rules.editorField('Reply').fill('Checking order {{capture.number}} for you.');
  await expect(rules.editor().getByLabel('Preview of reply 1')).toContainText('Checking order 4521 for you.');
  await rules.editorField('Reply').fill('Checking order {{capture.id}} for you.');
  await expect(rules.editor().locator('.field__error').first()).toContainText(
    'the pattern has no group named "id"',
  );
  await rules.screenshot('rules-pattern');
});

test('a save against a stale version asks what to do instead of overwriting', async ({
  app,
  accountId,
  page,
}) => {
  const created = await callApi(app, 'rules.create', {
    accountId,
    rule: keywordRule('Delivery', ['delivery'], 'We deliver within 5 km.', 20),
  });
  const rules = new RulesPage(page);
  await rules.open(app.ready.ui, accountId);
  await page.getByRole('button', { name: 'Edit Delivery' }).click();
  await rules.editorField('Name').fill('Delivery area');

  // Meanwhile, another workstation saves the same rule.
  await callApi(app, 'rules.update', {
    id: created.id,
    expectedVersion: created.version,
    rule: keywordRule('Delivery (theirs)', ['delivery'], 'We deliver everywhere.', 20),
  });
  await rules.saveButton().click();
  const conflict = page.getByRole('alertdialog', { name: 'Someone else changed this rule' });
  await expect(conflict).toBeVisible();
  await rules.screenshot('rules-version-conflict');
  await conflict.getByRole('button', { name: 'Reload their version' }).click();
  await expect(conflict).toBeHidden();
  await expect(rules.editorField('Name')).toHaveValue('Delivery (theirs)');

  await rules.editorField('Name').fill('Delivery area');
  await rules.saveButton().click();
  await expect(rules.editor()).toBeHidden();
  await expect(rules.row('Delivery area')).toBeVisible();
});
