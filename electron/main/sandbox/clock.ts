/**
 * Time source for the sandbox.
 *
 * Every rule that depends on time (the 24-hour window, token age, rate limits)
 * reads this port instead of `Date.now()`, so tests can move time without
 * waiting for it.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The machine's wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that follows a base clock plus an adjustable offset.
 *
 * The admin API exposes the offset so scripts outside the process can age
 * windows and tokens; `advance` is the usual way tests move time forward.
 */
export class OffsetClock implements Clock {
  private offset = 0;

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.base.now() + this.offset;
  }

  /** Current offset from the base clock, in milliseconds. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Replace the offset (may be negative). */
  setOffset(ms: number): void {
    this.offset = ms;
  }

  /** Move time forward by `ms` (backwards when negative). */
  advance(ms: number): void {
    this.offset += ms;
  }
}

/** A clock frozen at a given instant until moved; handy for deterministic tests. */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  /** Jump to an absolute time. */
  set(ms: number): void {
    this.current = ms;
  }

  /** Move forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }
}
