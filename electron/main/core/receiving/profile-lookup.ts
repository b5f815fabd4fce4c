/**
 * Participant names from Instagram's profile API, fetched after a message is stored, never before.
 */
import type { Logger } from '../lib/logger';

/** The person behind an IGSID, as the profile API tells it. */
export interface Profile {
  username: string | null;
  name: string | null;
}

/**
 * Looks up a person's username and name for one business account.
 *
 * Resolves `undefined` when the profile cannot be read (no consent, deleted user); may reject on
 * network or Graph errors. The Graph implementation comes with the Instagram client.
 */
export interface ProfileLookup {
  lookup(accountId: string, igsid: string): Promise<Profile | undefined>;
}

/** How long a failed lookup is left alone before it may be tried again. */
const RETRY_AFTER_MS = 10 * 60_000;

/**
 * Runs lookups in the background, at most once per (account, person) while they succeed or are
 * unavailable, and hands found names to `onFound`.
 *
 * Why a separate runner: a slow or failing profile API must never lose or delay a message, so the
 * ingest worker only calls `request()` after the message is committed, and never awaits the result.
 */
export class ProfileLookupRunner {
  /** Per (account, person): 'done' once answered, or the time a failed attempt may be retried. */
  private readonly seen = new Map<string, 'done' | number>();
  private readonly inFlight = new Set<Promise<void>>();
  private disposed = false;

  constructor(
    private readonly options: {
      port: ProfileLookup | undefined;
      /** Whether the stored conversation still lacks a name (checked before calling the API). */
      needsLookup: (accountId: string, igsid: string) => Promise<boolean>;
      onFound: (accountId: string, igsid: string, profile: Profile) => Promise<void>;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  /** Schedules a lookup unless one was already done or is running; returns at once. */
  request(accountId: string, igsid: string): void {
    const port = this.options.port;
    if (!port || this.disposed) return;
    const key = `${accountId}\u0000${igsid}`;
    const now = (this.options.now ?? Date.now)();
    const state = this.seen.get(key);
    if (state === 'done' || (typeof state === 'number' && state > now)) return;
    // Marked before the call so concurrent requests for the same person collapse into one.
    this.seen.set(key, now + RETRY_AFTER_MS);
    const task = this.run(port, accountId, igsid, key).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Resolves when every lookup started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.settled();
  }

  private async run(port: ProfileLookup, accountId: string, igsid: string, key: string): Promise<void> {
    try {
      if (!(await this.options.needsLookup(accountId, igsid))) {
        this.seen.set(key, 'done');
        return;
      }
      const profile = await port.lookup(accountId, igsid);
      this.seen.set(key, 'done');
      if (profile && !this.disposed && (profile.username || profile.name)) {
        await this.options.onFound(accountId, igsid, profile);
      }
    } catch (error) {
      // Left as a retry time in `seen`: the next message from this person tries again later.
      this.options.logger.warn({ err: error, accountId }, 'profile lookup failed; the message is stored');
    }
  }
}
