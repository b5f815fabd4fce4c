import type { Locator, Page } from '@playwright/test';

/** Locators and actions for the inbox; specs keep the assertions. */
export class InboxPage {
  constructor(readonly page: Page) {}

  list(): Locator {
    return this.page.getByRole('listbox', { name: 'Conversations' });
  }

  rows(): Locator {
    return this.list().getByRole('option');
  }

  row(name: string): Locator {
    return this.rows().filter({ has: this.page.locator('.row__name', { hasText: name }) });
  }

  unreadDot(name: string): Locator {
    return this.row(name).locator('.row__dot');
  }

  search(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search conversations' });
  }

  quickFilter(name: 'All' | 'Unread' | 'Needs reply' | 'Closing soon'): Locator {
    return this.page.getByRole('group', { name: 'Show' }).getByRole('button', { name });
  }

  scopeSelect(): Locator {
    return this.page.getByRole('combobox', { name: 'Client or account' });
  }

  statusSelect(): Locator {
    return this.page.getByRole('combobox', { name: 'Status' });
  }

  labelSelect(): Locator {
    return this.page.getByRole('combobox', { name: 'Label' });
  }

  unreadTotal(): Locator {
    return this.page.getByLabel('Unread messages');
  }

  thread(): Locator {
    return this.page.getByRole('list', { name: 'Messages' });
  }

  bubbles(): Locator {
    return this.thread().locator('.bubble');
  }

  conversationHeading(): Locator {
    return this.page.getByRole('region', { name: 'Conversation' }).getByRole('heading', { level: 2 }).first();
  }

  action(name: string | RegExp): Locator {
    return this.page.getByRole('toolbar', { name: 'Conversation actions' }).getByRole('button', { name });
  }

  details(): Locator {
    return this.page.getByRole('complementary', { name: 'Conversation details' });
  }

  composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Reply' });
  }

  async open(name: string): Promise<void> {
    await this.row(name).click();
  }

  async addLabel(label: string): Promise<void> {
    await this.details().getByRole('textbox', { name: 'New label' }).fill(label);
    await this.details().getByRole('button', { name: 'Add', exact: true }).click();
  }

  async addNote(text: string, author: string): Promise<void> {
    await this.details().getByRole('textbox', { name: 'Your name' }).fill(author);
    await this.details().getByRole('textbox', { name: 'New note' }).fill(text);
    await this.details().getByRole('button', { name: 'Add note' }).click();
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `artifacts/screenshots/inbox-${name}.png` });
  }
}
