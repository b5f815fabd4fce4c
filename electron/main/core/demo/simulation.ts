import type { Random } from '../../sandbox';
import type { Disposable } from '../lib/lifecycle';

/** Milliseconds between two simulated messages: a uniform pick in [minMs, maxMs]. */
export interface SimulationTiming {
  minMs: number;
  maxMs: number;
}

/** Gentle enough to read each message as it arrives, lively enough that the demo never looks dead. */
export const DEFAULT_SIMULATION_TIMING: SimulationTiming = { minMs: 20_000, maxMs: 60_000 };

/**
 * Simulated customers writing now and then: one timer at a time, rescheduled after each message, so a
 * slow tick never piles up and disposing stops everything.
 */
export class CustomerSimulation implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private disposed = false;
  private readonly timing: SimulationTiming;

  constructor(
    private readonly options: {
      random: Random;
      timing?: SimulationTiming;
      tick: () => Promise<void>;
      onError: (error: unknown) => void;
    },
  ) {
    this.timing = options.timing ?? DEFAULT_SIMULATION_TIMING;
  }

  start(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.disposed) return;
    const { minMs, maxMs } = this.timing;
    const delay = minMs + Math.floor(this.options.random.next() * Math.max(0, maxMs - minMs));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.options
        .tick()
        .catch((error: unknown) => this.options.onError(error))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, delay);
    // A demo server exits on Ctrl+C without waiting for the next customer.
    this.timer.unref();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
