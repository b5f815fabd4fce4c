/**
 * Per-account send budgets, so Switchboard never comes near Meta's rate limits.
 *
 * Meta's published limits (instagram-api.md §9, source M19: Messenger Platform rate-limiting page,
 * updated 23 Mar 2026, and the Instagram Platform overview): Send API 100 calls/s per Instagram
 * professional account (the IG-Login overview; the Messenger page says 300/s — we take the lower),
 * 10 calls/s for audio and video, private replies 750/hour for post and reel comments. The often
 * quoted "200 automated DMs per hour" is a vendors' convention, not Meta's (same section); it is the
 * accounts' default `hourlySendBudget` all the same, because it is a safe, familiar number.
 */

/** Default per-second budget: a tenth of Meta's lower published Send API limit, and within the 10/s media limit. */
export const DEFAULT_PER_SECOND_BUDGET = 10;
/** Highest per-second budget staff may set: Meta's lower published limit. */
export const MAX_PER_SECOND_BUDGET = 100;
/** Highest hourly budget that is safe for every kind of send (private replies: 750/hour). */
export const SAFE_HOURLY_CEILING = 750;

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;

/** An account's budgets. */
export interface SendBudget {
  perSecond: number;
  perHour: number;
}

/** The pacer's answer for one send. */
export type PaceDecision = { ok: true } | { ok: false; until: Date; which: 'second' | 'hour' };

/**
 * Sliding windows of send times per account. A send is counted when it is attempted, not when it
 * succeeds: Meta counts calls.
 *
 * The one-second window is widened by `jitterGuardMs`: our clock stamps a send before the request
 * leaves, and network delays can bunch sends at Meta's end; the guard keeps any one second at Meta
 * within the budget.
 */
export class SendPacer {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly jitterGuardMs = 250) {}

  /** Whether the account has seeded its history (from the database, after a restart). */
  knows(accountId: string): boolean {
    return this.times.has(accountId);
  }

  /** Seeds an account's history with earlier sends. */
  seed(accountId: string, sends: readonly Date[]): void {
    this.times.set(
      accountId,
      sends.map((at) => at.getTime()).sort((a, b) => a - b),
    );
  }

  /** May one more send go now? If not, when the budget frees up. */
  check(accountId: string, budget: SendBudget, now: Date): PaceDecision {
    const list = this.prune(accountId, now);
    const t = now.getTime();
    if (budget.perHour <= 0) return { ok: false, until: new Date(t + HOUR_MS), which: 'hour' };
    if (list.length >= budget.perHour) {
      const oldest = list[list.length - budget.perHour] ?? t;
      return { ok: false, until: new Date(oldest + HOUR_MS + 1), which: 'hour' };
    }
    const width = SECOND_MS + this.jitterGuardMs;
    const recent = list.filter((at) => at > t - width);
    if (recent.length >= budget.perSecond) {
      const oldest = recent[recent.length - budget.perSecond] ?? t;
      return { ok: false, until: new Date(oldest + width + 1), which: 'second' };
    }
    return { ok: true };
  }

  /** Records a send attempt. */
  record(accountId: string, now: Date): void {
    const list = this.times.get(accountId) ?? [];
    list.push(now.getTime());
    this.times.set(accountId, list);
  }

  /**
   * The send counted at `from` only leaves now, at `to` (the database or a busy thread held it up between
   * the budget check and the call): counted from `to`. Otherwise a send held up for longer than the guard
   * can reach Meta in the same second as the sends allowed after it; the likely cause of one benchmark run
   * (main thread overloaded) where 13 of 20 accounts went over their per-second budget at the emulator.
   * Moving a send later only ever makes the next checks stricter.
   */
  restamp(accountId: string, from: Date, to: Date): void {
    const list = this.times.get(accountId);
    const index = list ? list.lastIndexOf(from.getTime()) : -1;
    if (!list || index < 0 || to.getTime() <= from.getTime()) return;
    list.splice(index, 1);
    const t = to.getTime();
    let at = list.length;
    while (at > 0 && (list[at - 1] ?? 0) > t) at -= 1;
    list.splice(at, 0, t);
  }

  /** Sends in the last hour (the queue view shows how much of the budget is used). */
  usedLastHour(accountId: string, now: Date): number {
    return this.prune(accountId, now).length;
  }

  private prune(accountId: string, now: Date): number[] {
    const list = this.times.get(accountId) ?? [];
    const cutoff = now.getTime() - HOUR_MS;
    let drop = 0;
    while (drop < list.length && (list[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) list.splice(0, drop);
    this.times.set(accountId, list);
    return list;
  }
}
