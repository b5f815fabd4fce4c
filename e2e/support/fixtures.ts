import { test as base } from '@playwright/test';
import { startHeadless, type HeadlessApp } from './headless';

/** Each test gets its own headless Switchboard (own data folder, own ports), stopped afterwards. */
export const test = base.extend<{ app: HeadlessApp }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
  app: async ({}, use) => {
    const app = await startHeadless();
    await use(app);
    await app.stop();
  },
});

export { expect } from '@playwright/test';
