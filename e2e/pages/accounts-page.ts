import type { Locator, Page } from '@playwright/test';

export interface NewAccountDetails {
  instagramAccountId: string;
  username: string;
  displayName?: string;
  clientName: string;
  /** The name of a preset brand colour swatch, e.g. "Coral". */
  colour?: string;
  setup?: 'Instagram Login' | 'Facebook Login';
  accessToken: string;
  appSecret: string;
}

/** The few browser types these actions use (the e2e code is compiled without the DOM library). */
interface BrowserClipboardTypes {
  DataTransfer: new () => { setData(format: string, data: string): void };
  ClipboardEvent: new (
    type: string,
    init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean },
  ) => unknown;
  navigator: { clipboard: { readText(): Promise<string> } };
}

/** Locators and actions for the Accounts screen and its add/edit panel; specs keep the assertions. */
export class AccountsPage {
  constructor(readonly page: Page) {}

  addButton(): Locator {
    return this.page.getByRole('button', { name: 'Add account' }).first();
  }

  /** The add or edit side panel. */
  form(): Locator {
    return this.page.getByRole('dialog');
  }

  field(label: string): Locator {
    return this.form().getByLabel(label, { exact: true });
  }

  /** The error or help lines under a field, found through the field's aria-describedby. */
  fieldMessage(label: string): Locator {
    return this.form()
      .locator('.field')
      .filter({ has: this.page.getByLabel(label, { exact: true }) })
      .locator('.field__error');
  }

  /** The switch between "Always open" and "Set opening hours". */
  hoursSwitch(): Locator {
    return this.form().locator('#field-businessHours').getByRole('switch');
  }

  /** A weekday's "open" checkbox in the opening-hours editor, e.g. "Monday". */
  dayOpen(day: string): Locator {
    return this.form().getByRole('checkbox', { name: day, exact: true });
  }

  dayTime(day: string, which: 'opens' | 'closes'): Locator {
    return this.form().getByLabel(`${day} ${which} at`, { exact: true });
  }

  /** Opens the given weekdays with the same hours (times as HH:MM). */
  async setOpeningHours(days: readonly string[], start: string, end: string): Promise<void> {
    await this.hoursSwitch().check();
    for (const day of days) {
      await this.dayOpen(day).check();
      await this.dayTime(day, 'opens').fill(start);
      await this.dayTime(day, 'closes').fill(end);
    }
  }

  saveButton(): Locator {
    return this.form().getByRole('button', { name: /^(Add account|Save changes)$/ });
  }

  async openAddForm(): Promise<void> {
    await this.addButton().click();
    await this.form().waitFor();
  }

  async fillNewAccount(details: NewAccountDetails): Promise<void> {
    await this.field('Instagram account id').fill(details.instagramAccountId);
    await this.field('Username').fill(details.username);
    if (details.displayName) await this.field('Display name optional').fill(details.displayName);
    await this.field('Client name').fill(details.clientName);
    if (details.colour) await this.form().getByTitle(details.colour, { exact: true }).click();
    await this.form()
      .getByRole('radio', { name: new RegExp(details.setup ?? 'Instagram Login') })
      .check();
    await this.field('Access token').fill(details.accessToken);
    await this.field('App secret').fill(details.appSecret);
  }

  /** Pastes text the way a clipboard does, line breaks included (fill() would drop them). */
  async paste(field: Locator, text: string): Promise<void> {
    await field.focus();
    await field.evaluate((element, value) => {
      const browser = globalThis as unknown as BrowserClipboardTypes;
      const data = new browser.DataTransfer();
      data.setData('text/plain', value);
      const target = element as unknown as { dispatchEvent(event: unknown): boolean };
      target.dispatchEvent(
        new browser.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, text);
  }

  /** What the page's clipboard holds now (the test context grants clipboard permissions). */
  readClipboard(): Promise<string> {
    return this.page.evaluate(() =>
      (globalThis as unknown as BrowserClipboardTypes).navigator.clipboard.readText(),
    );
  }

  clientGroup(clientName: string): Locator {
    return this.page.getByRole('region', { name: clientName, exact: true });
  }

  accountRow(username: string): Locator {
    return this.page.locator('.account-list').getByRole('link', { name: new RegExp(`@${username}\\b`) });
  }

  detail(username: string): Locator {
    return this.page.getByRole('article', { name: `@${username}` });
  }

  async select(username: string): Promise<void> {
    await this.accountRow(username).click();
    await this.detail(username).waitFor();
  }

  healthBadge(username: string): Locator {
    return this.detail(username).locator('.account-detail__badges .pill').nth(1);
  }

  statusBadge(username: string): Locator {
    return this.detail(username).locator('.account-detail__badges .pill').first();
  }

  testConnectionButton(username: string): Locator {
    return this.detail(username).getByRole('button', { name: 'Test connection' });
  }

  /** The callout with the result of the last "Test connection". */
  testResult(username: string): Locator {
    return this.detail(username)
      .getByRole('status')
      .filter({ hasText: /Connection (works|failed)/ });
  }

  callbackUrl(username: string): Locator {
    return this.detail(username).getByTestId('callback-url');
  }

  verifyToken(username: string): Locator {
    return this.detail(username).getByTestId('verify-token');
  }

  copyButton(username: string, what: 'callback URL' | 'verify token'): Locator {
    return this.detail(username).getByRole('button', { name: new RegExp(`^(Copy ${what}|${what} copied)$`) });
  }

  /** Regenerates the webhook verify token, confirming in the dialog that asks first. */
  async regenerateVerifyToken(username: string): Promise<void> {
    await this.detail(username).getByRole('button', { name: 'Regenerate' }).click();
    const confirm = this.page.getByRole('alertdialog', { name: 'Make a new verify token?' });
    await confirm.getByRole('button', { name: 'Regenerate' }).click();
    await confirm.waitFor({ state: 'hidden' });
  }

  async edit(username: string): Promise<void> {
    await this.detail(username).getByRole('button', { name: 'Edit' }).click();
    await this.form().waitFor();
  }

  sidebarAccount(username: string): Locator {
    return this.page
      .getByRole('navigation', { name: 'Clients' })
      .getByRole('link', { name: new RegExp(`@${username}\\b`) });
  }
}
