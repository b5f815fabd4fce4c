import { describe, expect, it } from 'vitest';
import { DisposableStore } from '../../electron/main/core/lib/lifecycle';
import { startCoreUnderTest } from '../support/core-harness';

/** Handles that keep a process alive: servers, sockets, timers. */
function liveResources(): string[] {
  return process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap' && kind !== 'PipeWrap');
}

/** Resources alive now that were not alive in `before` (as multisets: two sockets then, three now = one extra). */
function extraResources(before: readonly string[]): string[] {
  const remaining = [...before];
  return liveResources().filter((kind) => {
    const index = remaining.indexOf(kind);
    if (index === -1) return true;
    remaining.splice(index, 1);
    return false;
  });
}

describe('lifetimes', () => {
  it('a started and disposed core leaves no server, socket or timer behind', async () => {
    const before = liveResources();
    const harness = await startCoreUnderTest();
    // Open an event stream and make a call, so that there are live connections to close.
    const controller = new AbortController();
    const stream = await fetch(`${harness.api.origin}/api/events`, {
      headers: { Authorization: `Bearer ${harness.api.token}` },
      signal: controller.signal,
    });
    await harness.httpCall('app.getStatus', {});
    expect(extraResources(before).length).toBeGreaterThan(0);
    await harness.dispose();
    controller.abort();
    await stream.body?.cancel().catch(() => {});
    // The client's end of a closed socket is released a few event-loop turns later, slower on a busy machine.
    for (let i = 0; i < 100 && extraResources(before).length > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(extraResources(before)).toEqual([]);
  });

  it('disposes in reverse order, once, and reports every failure', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.defer(() => void order.push('first'));
    store.defer(() => {
      order.push('second');
      throw new Error('second failed');
    });
    store.defer(() => void order.push('third'));
    await expect(store.dispose()).rejects.toThrow('second failed');
    await store.dispose();
    expect(order).toEqual(['third', 'second', 'first']);
  });
});
