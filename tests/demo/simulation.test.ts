/**
 * The simulated customers' schedule: one timer at a time, each tick awaited before the next is planned,
 * and disposing waits for a tick in flight and plans none after it.
 */
import { describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../electron/main/sandbox';
import { CustomerSimulation } from '../../electron/main/core/demo/simulation';

describe('customer simulation', () => {
  it('ticks again and again, never two at once, and stops for good when disposed', async () => {
    let ticks = 0;
    let running = 0;
    let maxRunning = 0;
    const errors: unknown[] = [];
    const simulation = new CustomerSimulation({
      random: seededRandom(7),
      timing: { minMs: 1, maxMs: 5 },
      tick: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        ticks += 1;
        await new Promise((resolve) => setTimeout(resolve, 2));
        running -= 1;
        if (ticks === 2) throw new Error('a customer failed');
      },
      onError: (error) => errors.push(error),
    });
    simulation.start();
    await vi.waitFor(() => expect(ticks).toBeGreaterThanOrEqual(4), { timeout: 5_000, interval: 5 });
    await simulation.dispose();
    const afterDispose = ticks;
    expect(running).toBe(0);
    expect(maxRunning).toBe(1);
    // A failing tick is reported and the schedule goes on.
    expect(errors).toHaveLength(1);
    await simulation.dispose();
    expect(ticks).toBe(afterDispose);
  });
});
