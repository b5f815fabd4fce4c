/**
 * The inbox specs' world: a headless app wired to the Instagram sandbox, client accounts whose
 * webhooks reach the app, customers' DMs travelling the real path (sandbox → signed webhook →
 * receiver → ingest → pushed events). Only participants' display names are written through the
 * repositories, standing in for the profile lookup the headless core does not have yet.
 */
import { test as base, expect } from '@playwright/test';
import { startSandbox, type Sandbox } from '../../electron/main/sandbox';
import { startHeadless, type HeadlessApp } from './headless';

/** Specs' fixtures: an in-process Instagram sandbox (seeded) and a headless app that talks to it. */
export function sandboxWorld(seed: number) {
  return base.extend<{ sandbox: Sandbox; app: HeadlessApp }>({
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument.
    sandbox: async ({}, use) => {
      const sandbox = await startSandbox({ port: 0, seed });
      await use(sandbox);
      await sandbox.dispose();
    },
    app: async ({ sandbox }, use) => {
      const app = await startHeadless(['--graph-url', sandbox.url]);
      await use(app);
      await app.stop();
    },
  });
}

export const test = sandboxWorld(3);

export { expect };

/** How far an element's content sticks out sideways (0 when it fits). */
export function horizontalOverflow(element: unknown): number {
  const box = element as { scrollWidth: number; clientWidth: number };
  return box.scrollWidth - box.clientWidth;
}

/** How far a scrolled element is from its bottom. */
export function distanceFromBottom(element: unknown): number {
  const box = element as { scrollHeight: number; scrollTop: number; clientHeight: number };
  return box.scrollHeight - box.scrollTop - box.clientHeight;
}

export { connect, name, settled, type Connected } from './customers';
