import type { Locator, Page } from '@playwright/test';

/** Locators and actions for the Rules screen, its editor and its test panel; specs keep the assertions. */
export class RulesPage {
  constructor(readonly page: Page) {}

  async open(uiUrl: string, accountId: string): Promise<void> {
    const url = new URL(uiUrl);
    url.hash = `#/rules/${accountId}`;
    await this.page.goto(url.toString());
    await this.page.locator('#root[data-app-state="ready"]').waitFor();
  }

  accountPicker(): Locator {
    return this.page.getByLabel('Client account');
  }

  newRuleButton(): Locator {
    return this.page.getByRole('button', { name: 'New rule' });
  }

  publishButton(): Locator {
    return this.page.getByRole('button', { name: /^Publish/ });
  }

  /** The editor drawer. */
  editor(): Locator {
    return this.page.getByRole('dialog');
  }

  editorField(label: string): Locator {
    return this.editor().getByLabel(label, { exact: true });
  }

  saveButton(): Locator {
    return this.editor().getByRole('button', { name: 'Save draft' });
  }

  async chooseTrigger(kind: 'Keyword' | 'Pattern' | 'Intent'): Promise<void> {
    await this.editor()
      .getByRole('radio', { name: new RegExp(`^${kind}`) })
      .check();
  }

  async addKeywords(keywords: readonly string[]): Promise<void> {
    const input = this.editorField('Keywords');
    for (const keyword of keywords) {
      await input.fill(keyword);
      await input.press('Enter');
    }
  }

  /** Creates a keyword rule through the editor and waits for the drawer to close. */
  async createKeywordRule(rule: { name: string; keywords: readonly string[]; reply: string }): Promise<void> {
    await this.newRuleButton().click();
    await this.editorField('Name').fill(rule.name);
    await this.addKeywords(rule.keywords);
    await this.editorField('Reply').fill(rule.reply);
    await this.saveButton().click();
    await this.editor().waitFor({ state: 'hidden' });
  }

  list(): Locator {
    return this.page.getByRole('list', { name: 'Rules in priority order' });
  }

  rows(): Locator {
    return this.list()
      .getByRole('listitem')
      .filter({ has: this.page.locator('.rule-row__name') });
  }

  row(name: string): Locator {
    return this.list().locator(':scope > li', { has: this.page.getByRole('button', { name, exact: true }) });
  }

  /** Rule names in list order. */
  async order(): Promise<string[]> {
    return this.list().locator('.rule-row__name').allInnerTexts();
  }

  moveDown(name: string): Locator {
    return this.page.getByRole('button', { name: `Move ${name} down` });
  }

  moveUp(name: string): Locator {
    return this.page.getByRole('button', { name: `Move ${name} up` });
  }

  testPanel(): Locator {
    return this.page.getByRole('region', { name: 'Test a message' });
  }

  async testMessage(text: string): Promise<void> {
    await this.testPanel().getByLabel('Message', { exact: true }).fill(text);
    await this.testPanel().getByRole('button', { name: 'Test', exact: true }).click();
  }

  testResult(): Locator {
    return this.testPanel().getByLabel('Test result');
  }

  trace(): Locator {
    return this.testPanel().getByRole('table', { name: 'Trace' });
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
  }
}
