const SECOND = 1000;
const HOUR = 60 * 60 * 1000;

/** What a benchmark reads to prove it never exceeded Meta's pacing. */
export interface SendCounters {
  /** Sends the emulator accepted. */
  accepted: number;
  /** Send calls answered with an error (rules, rate limits, injected faults). */
  rejected: number;
  /** Accepted sends within the last second / hour (by the sandbox clock). */
  lastSecond: number;
  lastHour: number;
  /** Highest number of accepted sends ever seen inside any sliding 1 s / 1 h window. */
  maxPerSecond: number;
  maxPerHour: number;
}

/** Sliding-window counter of event times. */
class SlidingWindow {
  private readonly times: number[] = [];
  private head = 0;

  constructor(private readonly widthMs: number) {}

  count(now: number): number {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= now - this.widthMs) this.head++;
    // Compact now and then so a long benchmark does not grow without bound.
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): number {
    this.times.push(now);
    return this.count(now);
  }
}

/**
 * Per-account call metering.
 *
 * Two things are tracked separately: the calls that count against the limit
 * (every send call that reached the limiter, as Meta counts calls) and the
 * sends that were accepted (what a benchmark compares to its intended pace).
 */
export class RateMeter {
  private readonly calls = new Map<string, { second: SlidingWindow; hour: SlidingWindow }>();
  private readonly accepted = new Map<
    string,
    { second: SlidingWindow; hour: SlidingWindow; counters: SendCounters }
  >();

  /** Record a call and say which limit, if any, it exceeds. The call is only counted when it passes. */
  admit(
    accountId: string,
    now: number,
    limits: { perSecond: number | null; perHour: number | null },
  ): 'ok' | 'per_second' | 'per_hour' {
    let windows = this.calls.get(accountId);
    if (!windows) {
      windows = { second: new SlidingWindow(SECOND), hour: new SlidingWindow(HOUR) };
      this.calls.set(accountId, windows);
    }
    if (limits.perSecond !== null && windows.second.count(now) >= limits.perSecond) return 'per_second';
    if (limits.perHour !== null && windows.hour.count(now) >= limits.perHour) return 'per_hour';
    windows.second.add(now);
    windows.hour.add(now);
    return 'ok';
  }

  recordAccepted(accountId: string, now: number): void {
    const entry = this.entry(accountId);
    entry.counters.accepted++;
    const second = entry.second.add(now);
    const hour = entry.hour.add(now);
    entry.counters.maxPerSecond = Math.max(entry.counters.maxPerSecond, second);
    entry.counters.maxPerHour = Math.max(entry.counters.maxPerHour, hour);
  }

  recordRejected(accountId: string): void {
    this.entry(accountId).counters.rejected++;
  }

  /** A snapshot of an account's counters. */
  counters(accountId: string, now: number): SendCounters {
    const entry = this.entry(accountId);
    return { ...entry.counters, lastSecond: entry.second.count(now), lastHour: entry.hour.count(now) };
  }

  private entry(accountId: string): { second: SlidingWindow; hour: SlidingWindow; counters: SendCounters } {
    let entry = this.accepted.get(accountId);
    if (!entry) {
      entry = {
        second: new SlidingWindow(SECOND),
        hour: new SlidingWindow(HOUR),
        counters: { accepted: 0, rejected: 0, lastSecond: 0, lastHour: 0, maxPerSecond: 0, maxPerHour: 0 },
      };
      this.accepted.set(accountId, entry);
    }
    return entry;
  }
}
