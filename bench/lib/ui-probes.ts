/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * What the `ui` benchmark measures inside the page. Each function runs in the browser (passed to
 * `page.evaluate`), so it may only use what it gets as arguments and the page's globals; times are
 * the page's own clock (`performance.now()`), so no round trip to Node is counted.
 */

/** Resolves after the next frame has been painted and the main thread got back to the task queue. */
export function afterPaint(): Promise<number> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
  );
}

/** Time since navigation start when the list has rows and the page can take input again. */
export async function inboxReady(): Promise<number> {
  const hasRows = () => document.querySelector('[role="listbox"] [role="option"]') !== null;
  while (!hasRows()) await new Promise((resolve) => requestAnimationFrame(resolve));
  return new Promise((resolve) =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
  );
}

/**
 * Clicks the row of conversation `id` (it must be on screen) and returns the milliseconds until its
 * latest messages are in the DOM and painted, or -1 when it did not open within `timeoutMs`.
 */
export async function openRow(args: { id: number; timeoutMs: number }): Promise<number> {
  const row = document.querySelector<HTMLElement>(`[data-conversation-id="${args.id}"]`);
  if (!row) throw new Error(`row ${args.id} is not on screen`);
  const name = row.querySelector('.row__name')?.textContent ?? '';
  const opened = () => {
    const heading = document.querySelector('.conversation__name')?.textContent ?? '';
    const messages = document.querySelectorAll('.thread__scroller .messages > li').length;
    const loading = document.querySelector('.thread__scroller .thread__status[role="status"]');
    return heading === name && messages > 0 && !loading;
  };
  const start = performance.now();
  row.click();
  while (!opened()) {
    if (performance.now() - start > args.timeoutMs) return -1;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return performance.now() - start;
}

/** Ids of the rows fully inside the list's viewport, top to bottom. */
export function visibleRowIds(): number[] {
  const list = document.querySelector('[role="listbox"]');
  if (!list) return [];
  const box = list.getBoundingClientRect();
  return [...list.querySelectorAll<HTMLElement>('[data-conversation-id]')]
    .filter((row) => {
      const r = row.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom;
    })
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
    .map((row) => Number(row.dataset.conversationId));
}

/** Scrolls the list to `top` pixels and waits for a paint. */
export async function scrollListTo(top: number): Promise<void> {
  const list = document.querySelector<HTMLElement>('[role="listbox"]');
  if (list) list.scrollTop = top;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

/**
 * Starts watching for the result of searching `query`: from the last keystroke in the search box
 * until the list shows that query's result (the inbox says which search its rows answer) and it
 * has been painted. `searchResult()` collects the figure.
 */
export function armSearch(query: string): void {
  const input = document.querySelector<HTMLInputElement>('input[type="search"]');
  const inbox = document.querySelector<HTMLElement>('.inbox');
  if (!input || !inbox) throw new Error('no search box');
  const state: SearchWatch = { inputs: [], shownAt: null, observer: null };
  input.addEventListener('input', () => state.inputs.push(performance.now()));
  state.observer = new MutationObserver(() => {
    if (inbox.dataset.inboxState !== 'ok' || inbox.dataset.inboxSearch !== query) return;
    state.observer?.disconnect();
    requestAnimationFrame(() => (state.shownAt = performance.now()));
  });
  state.observer.observe(inbox, {
    attributes: true,
    attributeFilter: ['data-inbox-state', 'data-inbox-search'],
  });
  (window as unknown as { __search: SearchWatch }).__search = state;
}

interface SearchWatch {
  inputs: number[];
  shownAt: number | null;
  observer: MutationObserver | null;
}

/** Milliseconds from the last keystroke to the painted result of the search armed before. */
export async function searchResult(): Promise<number> {
  const state = (window as unknown as { __search: SearchWatch }).__search;
  const deadline = performance.now() + 15_000;
  while (state.shownAt === null) {
    if (performance.now() > deadline) return -1;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return state.shownAt - Math.max(...state.inputs);
}

/**
 * Scrolls the list fast (`pxPerFrame` every frame) for `ms`, and counts frames that took longer
 * than 50 ms (from requestAnimationFrame deltas) and long animation frames / long tasks reported
 * by the browser. Rows load page by page on the way, as for a reader.
 */
export async function scrollFast(args: { ms: number; pxPerFrame: number }): Promise<{
  frames: number;
  longFrames: number;
  maxFrameMs: number;
  longTasks: number;
  rowsPassed: number;
  /** Of the long frames' time: script, and style and layout (long-animation-frame only). */
  scriptMs: number;
  layoutMs: number;
  topScripts: string[];
}> {
  const list = document.querySelector<HTMLElement>('[role="listbox"]');
  if (!list) throw new Error('no list');
  let longTasks = 0;
  let scriptMs = 0;
  let layoutMs = 0;
  const scripts = new Map<string, number>();
  const types = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
    ? ['long-animation-frame']
    : ['longtask'];
  const observer = new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) {
      if (entry.duration <= 50) continue;
      longTasks += 1;
      const frame = entry as PerformanceEntry & {
        renderStart?: number;
        styleAndLayoutStart?: number;
        scripts?: { invoker: string; duration: number }[];
      };
      if (frame.styleAndLayoutStart) layoutMs += entry.startTime + entry.duration - frame.styleAndLayoutStart;
      for (const script of frame.scripts ?? []) {
        scriptMs += script.duration;
        scripts.set(script.invoker, (scripts.get(script.invoker) ?? 0) + script.duration);
      }
    }
  });
  for (const type of types) observer.observe({ type, buffered: false });
  const deltas: number[] = [];
  const start = performance.now();
  const startTop = list.scrollTop;
  await new Promise<void>((resolve) => {
    let last = performance.now();
    const step = (now: number) => {
      deltas.push(now - last);
      last = now;
      list.scrollTop += args.pxPerFrame;
      if (now - start < args.ms) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame((now) => {
      last = now;
      requestAnimationFrame(step);
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return {
    frames: deltas.length,
    longFrames: deltas.filter((delta) => delta > 50).length,
    maxFrameMs: Math.round(Math.max(...deltas)),
    longTasks,
    rowsPassed: Math.round((list.scrollTop - startTop) / 78),
    scriptMs: Math.round(scriptMs),
    layoutMs: Math.round(layoutMs),
    topScripts: [...scripts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([invoker, ms]) => `${invoker} ${Math.round(ms)} ms`),
  };
}
