/**
 * `npm run bench -- ui [--small] [--fresh] [--shots DIR]`: the inbox at scale, in a real browser.
 *
 * Generates (once, then cached; bench/lib/ui-dataset.ts) a data folder with 50,000 conversations
 * and 1,000,000 messages over 20 accounts, plus one conversation of 100,000 messages, all through
 * the repositories; starts the BUILT headless app on it (`npx electron-vite build` first) and drives
 * Debian's Chromium with Playwright. Figures, each from the page's own clock:
 *   - inbox_ready_ms: navigation → first rows painted and the main thread free (median of 5 loads);
 *   - open_thread_ms_p95: click a row → its latest messages painted (25 conversations), and
 *     open_big_thread_ms for the 100,000-message one;
 *   - search_ms_p95: last keystroke in the search box → results painted (20 queries; includes the
 *     box's typing pause);
 *   - scroll_long_frames: frames over 50 ms while scrolling the list fast for 4 s;
 *   - heap_mb: the page's JS heap after the run (after a garbage collection).
 * Targets: ready < 1500, open < 150, search < 200, no frame > 50 ms, heap < 150 MB.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium, type Page } from '@playwright/test';
import { startHeadless } from '../e2e/support/headless';
import { percentile, report } from './lib/report';
import { FULL_SIZE, SMALL_SIZE, uiDataset } from './lib/ui-dataset';
import {
  afterPaint,
  armSearch,
  inboxReady,
  openRow,
  scrollFast,
  scrollListTo,
  searchResult,
  visibleRowIds,
} from './lib/ui-probes';

const ROW_HEIGHT = 78;
const QUERIES = [
  'shipping',
  'Berlin',
  'cafe',
  'tomorrow table',
  'user.4242',
  'Person 17',
  'niño',
  'book',
  'available size',
  '🔥',
  'great',
  'please order',
  'hello',
  'user.9',
  'open',
  'thanks',
  'price',
  'Bea',
  'two',
  'zzzz-nothing',
];

interface Options {
  small: boolean;
  fresh: boolean;
  shots: string;
}

function parseArgs(args: string[]): Options {
  const options: Options = { small: false, fresh: false, shots: '/tmp/shots/uibench' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--small') options.small = true;
    else if (arg === '--fresh') options.fresh = true;
    else if (arg === '--shots') options.shots = args[++i] ?? options.shots;
    else
      throw new Error(
        `Unknown argument ${arg}. Usage: npm run bench -- ui [--small] [--fresh] [--shots DIR]`,
      );
  }
  return options;
}

const log = (text: string) => process.stderr.write(`[ui bench] ${text}\n`);
const round = (value: number) => Math.round(value * 10) / 10;

/** Entry point for `bench/run.ts`. */
export async function run(args: string[]): Promise<void> {
  const options = parseArgs(args);
  const dataset = await uiDataset(options.small ? SMALL_SIZE : FULL_SIZE, options.fresh, log);
  mkdirSync(options.shots, { recursive: true });
  const app = await startHeadless(
    [],
    {},
    {
      dataDir: dataset.dataDir,
      keyFile: dataset.keyFile,
      readyTimeoutMs: 120_000,
    },
  );
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // tsx keeps function names with a `__name` helper that the page does not have.
    await page.addInitScript('window.__name = (f) => f');
    const common = {
      bench: 'ui',
      conversations: dataset.size.conversations + 1,
      messages: dataset.size.messages + dataset.size.bigThread,
    };
    const figure = (metric: string, value: number, extra: Record<string, number | string> = {}) =>
      report({ ...common, metric, value: round(value), ...extra, load: round(loadavg()[0]!) });

    // 1. Inbox ready, five loads (the first is cold: the server's caches are empty).
    const ready: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(app.ready.ui, { waitUntil: 'commit' });
      ready.push(await page.evaluate(inboxReady));
    }
    log(`inbox ready: ${ready.map(Math.round).join(', ')} ms`);
    figure('inbox_ready_ms', percentile(ready, 50), { cold: round(ready[0]!), target: 1500 });
    await page.screenshot({ path: `${options.shots}/big-inbox.png` });

    // 2. Opening conversations: rows down the list, one at a time.
    const bigId = dataset.bigConversationId;
    const opened = new Set<number>([bigId]);
    const openTimes: number[] = [];
    for (let screen = 0; openTimes.length < 25 && screen < 40; screen++) {
      await page.evaluate(scrollListTo, screen * 6 * ROW_HEIGHT);
      for (const id of await page.evaluate(visibleRowIds)) {
        if (opened.has(id) || openTimes.length >= 25) continue;
        opened.add(id);
        const ms = await page.evaluate(openRow, { id, timeoutMs: 10_000 });
        if (ms < 0) throw new Error(`conversation ${id} did not open in 10 s`);
        openTimes.push(ms);
      }
    }
    log(`open thread: ${openTimes.map(Math.round).join(', ')} ms`);
    figure('open_thread_ms_p95', percentile(openTimes, 95), {
      p50: round(percentile(openTimes, 50)),
      samples: openTimes.length,
      target: 150,
    });
    await page.screenshot({ path: `${options.shots}/thread.png` });

    await page.evaluate(scrollListTo, 0);
    const bigOpen = await page.evaluate(openRow, { id: bigId, timeoutMs: 30_000 });
    figure('open_big_thread_ms', bigOpen, { thread_messages: dataset.size.bigThread, target: 1000 });
    await page.screenshot({ path: `${options.shots}/big-thread.png` });
    const olderPage = await loadOlder(page);
    figure('older_page_ms', olderPage, { thread_messages: dataset.size.bigThread });

    // 3. Search: type each query after clearing the box, time from the last keystroke.
    const searchTimes: number[] = [];
    const box = page.getByRole('searchbox', { name: 'Search conversations' });
    for (const query of QUERIES) {
      await clearSearch(page);
      await page.evaluate(armSearch, query);
      await box.pressSequentially(query, { delay: 20 });
      const ms = await page.evaluate(searchResult);
      if (ms < 0) throw new Error(`the search for "${query}" showed no result in 15 s`);
      searchTimes.push(ms);
      if (query === 'shipping') await page.screenshot({ path: `${options.shots}/search.png` });
    }
    log(`search: ${searchTimes.map(Math.round).join(', ')} ms`);
    figure('search_ms_p95', percentile(searchTimes, 95), {
      p50: round(percentile(searchTimes, 50)),
      samples: searchTimes.length,
      target: 200,
    });
    await clearSearch(page);

    // 4. Scrolling the list fast.
    await page.evaluate(scrollListTo, 0);
    await page.evaluate(afterPaint);
    const scroll = await page.evaluate(scrollFast, { ms: 4_000, pxPerFrame: 400 });
    log(`scroll: ${JSON.stringify(scroll)}`);
    figure('scroll_long_frames', scroll.longFrames, {
      frames: scroll.frames,
      max_frame_ms: scroll.maxFrameMs,
      long_animation_frames: scroll.longTasks,
      rows_passed: scroll.rowsPassed,
      target: 0,
    });
    await page.screenshot({ path: `${options.shots}/scrolled.png` });

    // 5. Heap after the run.
    const cdp = await page.context().newCDPSession(page);
    const before = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    await cdp.send('HeapProfiler.collectGarbage');
    const after = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    figure('heap_mb', after.usedSize / 1048576, { before_gc: round(before.usedSize / 1048576), target: 150 });
  } finally {
    await browser.close();
    await app.stop();
  }
}

/** Empties the search box and waits for the full list to be back. */
async function clearSearch(page: Page): Promise<void> {
  const box = page.getByRole('searchbox', { name: 'Search conversations' });
  if ((await box.inputValue()) === '') return;
  await box.fill('');
  await page.locator('.inbox[data-inbox-state="ok"] [role="option"]').first().waitFor();
}

/** Scrolls the open thread to its top and times the older page until it is painted. */
async function loadOlder(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const scroller = document.querySelector<HTMLElement>('.thread__scroller');
    if (!scroller) return -1;
    const before = scroller.querySelectorAll('.messages > li').length;
    const start = performance.now();
    scroller.scrollTop = 0;
    scroller.dispatchEvent(new Event('scroll'));
    while (scroller.querySelectorAll('.messages > li').length === before) {
      if (performance.now() - start > 10_000) return -1;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - start;
  });
}
