/**
 * Exponential backoff with jitter, for reconnect loops.
 */

/** Options for {@link ExponentialBackoff}. */
export interface BackoffOptions {
  /** First delay before jitter, ms. */
  initialMs: number;
  /** Largest delay before jitter, ms. */
  maxMs: number;
  /** Growth per failure (default 2). */
  factor?: number;
  /** Source of randomness in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * Delays that double after each failure up to a cap, with "equal jitter": each delay is a random
 * value between half and all of the current step.
 *
 * Why jitter: many workstations of one agency losing the same network come back at the same moment;
 * without it they would all retry in lockstep. Half the step stays fixed so a delay never collapses
 * to zero.
 */
export class ExponentialBackoff {
  private step: number;

  constructor(private readonly options: BackoffOptions) {
    this.step = options.initialMs;
  }

  /** The delay before the next attempt; grows the step for the one after. */
  next(): number {
    const current = Math.min(this.step, this.options.maxMs);
    this.step = Math.min(current * (this.options.factor ?? 2), this.options.maxMs);
    const random = (this.options.random ?? Math.random)();
    return Math.round(current / 2 + (random * current) / 2);
  }

  /** Back to the first delay (after a success). */
  reset(): void {
    this.step = this.options.initialMs;
  }
}
