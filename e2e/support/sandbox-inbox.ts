/**
 * A headless app wired to an in-process Instagram sandbox, for specs that drive conversations: accounts
 * connected both ways, customers writing (now or hours ago, by moving the sandbox clock), and display
 * names written through the repositories in place of the profile lookup headless mode does not have.
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { Sandbox } from '../../electron/main/sandbox';
import { callApi } from './api';
import { connect, name, type Connected } from './customers';
import type { HeadlessApp } from './headless';
import { expect, test } from './inbox-world';

export { connect, expect, test, type Connected };

/** A customer of `account` who writes `text`, `agoMs` before now (the sandbox clock is moved and put back). */
export async function customerWrites(
  app: HeadlessApp,
  sandbox: Sandbox,
  account: Connected,
  person: { username: string; name: string },
  text: string,
  agoMs = 0,
): Promise<{ igsid: string; conversationId: number }> {
  const customer = sandbox.createCustomer(account.igId, { username: person.username });
  sandbox.clock.setOffset(-agoMs);
  try {
    sandbox.customerSends(account.igId, customer.igsid, text);
    await sandbox.drainWebhooks();
  } finally {
    sandbox.clock.setOffset(0);
  }
  let conversationId = 0;
  await expect
    .poll(async () => {
      const { conversations } = await callApi(app, 'inbox.list', { limit: 100 });
      conversationId = conversations.find((row) => row.participantIgsid === customer.igsid)?.id ?? 0;
      return conversationId;
    })
    .toBeGreaterThan(0);
  await giveNames(app, [{ accountId: account.view.id, igsid: customer.igsid, ...person }]);
  return { igsid: customer.igsid, conversationId };
}

/** Gives participants display names, as a profile lookup would. */
export const giveNames = name;

/** Saves a screenshot for review, in SWITCHBOARD_SHOTS or artifacts/screenshots (ignored by git). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: join(process.env.SWITCHBOARD_SHOTS ?? 'artifacts/screenshots', `${name}.png`),
  });
}
