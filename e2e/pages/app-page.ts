import type { Page } from '@playwright/test';

export type SectionName = 'Inbox' | 'Rules' | 'Accounts' | 'Reports' | 'Settings';

/** Locators and actions for the application frame; specs keep the assertions. */
export class AppPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('#root[data-app-state="ready"]').waitFor();
  }

  nav(section: SectionName) {
    return this.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section });
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  statusBar() {
    return this.page.getByRole('contentinfo', { name: 'Status' });
  }

  async goTo(section: SectionName): Promise<void> {
    await this.nav(section).click();
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `artifacts/screenshots/${name}.png`, fullPage: true });
  }
}
