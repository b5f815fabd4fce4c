import { describe, expect, it } from 'vitest';
import { DisposableStore } from '../../electron/main/core/lib/lifecycle';
import { startCoreUnderTest } from '../support/core-harness';

/** Handles that keep a process alive: servers, sockets, timers. */
function liveResources(): string[] {
  return process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap' && kind !== 'PipeWrap');
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
    expect(liveResources().length).toBeGreaterThan(before.length);
    await harness.dispose();
    controller.abort();
    await stream.body?.cancel().catch(() => {});
    // Closed sockets are released on the next turns of the event loop.
    for (let i = 0; i < 20 && liveResources().length > before.length; i++)
      await new Promise((r) => setImmediate(r));
    expect(liveResources().sort()).toEqual(before.sort());
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
