/**
 * Copies acknowledged deliveries from the receiver's spool (delivery-spool.ts) into `webhook_events`, in
 * the order they were acknowledged, exactly once, and then forgets them in the spool.
 *
 * Exactly once across crashes: the copy and the spool's progress (the last id copied, with the spool's
 * identity) commit in one database transaction; the spool forgets only what that progress covers. A crash
 * between the two leaves copied deliveries in the spool, and the next start skips them by the progress.
 * While the database cannot be used, deliveries wait in the spool (they are acknowledged and safe) and the
 * mover tries again.
 */
import { z } from 'zod';
import type { Repositories } from '../db/repositories';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import type { DeliverySpool, SpooledDelivery } from './delivery-spool';
import { isUnavailable } from './delivery-store';

/** The setting that holds the mover's progress: `{ spool, through }`. */
export const SPOOL_PROGRESS_KEY = 'receiver.spoolProgress';
const progressSchema = z.object({ spool: z.string(), through: z.number().int().nonnegative() });

/** Deliveries per transaction at most. */
const MOVE_BATCH = 256;
const RETRY_MS = 2_000;
/** How long added deliveries wait for others to be copied with (see `added`). */
const GATHER_MS = 5;
/**
 * Copied deliveries the spool may still hold before it forgets them (see `forgetCopied`), and how long
 * after the last copy it forgets them anyway.
 */
const FORGET_EVERY = 512;
const FORGET_AFTER_MS = 250;

export class SpoolMover implements Disposable {
  /** The last spool id known to be in the database; null until the progress was read. */
  private through: number | null = null;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** The last attempt failed (the database is away): retrying, quietly. */
  private waiting = false;
  /** The last spool id the spool was told to forget. */
  private forgotten = 0;
  private forgetTimer: NodeJS.Timeout | undefined;
  private readonly idle: (() => void)[] = [];

  constructor(
    private readonly deps: {
      spool: DeliverySpool;
      repositories: () => Repositories;
      logger: Logger;
      /** Deliveries are in `webhook_events` now (ingest can take them). */
      onMoved: () => void;
      /**
       * Has the spool forget the deliveries up to an id (they are in the database); by default
       * `spool.forgetThrough`. The app asks the receiver thread, the one writer of the spool file.
       */
      forget?: (through: number) => void;
      retryMs?: number;
      gatherMs?: number;
    },
  ) {}

  /**
   * Deliveries were added to the spool: copied within `gatherMs`, together with the ones that arrive
   * meanwhile. Each copy is a commit on the database (a flush, and a turn of its one writer, which the main
   * thread's ingest then waits for): under load, one copy per delivery took the receiver thread's time
   * and made the copies trail behind.
   */
  added(): void {
    if (this.disposed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => this.kick(), this.deps.gatherMs ?? GATHER_MS);
  }

  /** Copies what the spool holds now (or right after the copy under way). */
  kick(): void {
    if (this.disposed) return;
    this.again = true;
    if (this.running) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again && !this.disposed) this.kick();
      else this.settle();
    });
  }

  /**
   * Resolves once everything spooled before the call is in the database, or the database cannot be
   * used right now (it stays spooled, and is copied when it can be).
   */
  async settled(): Promise<void> {
    if (this.timer && !this.waiting) this.kick();
    if (!this.running && !this.again) return this.forgetCopied();
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.forgetCopied();
    this.settle();
  }

  /**
   * Nothing is being copied: whoever waited for that hears so, after the spool forgot what was copied
   * (at once when someone waits, soon otherwise).
   */
  private settle(): void {
    if (this.idle.length === 0) return this.forgetSoon();
    this.forgetCopied();
    for (const resolve of this.idle.splice(0)) resolve();
  }

  /**
   * The spool forgets what is in the database. Not after every copy: each forget is a flush of the spool
   * file, which the next acknowledgement's flush waits behind. Copied deliveries the spool still holds are
   * harmless: reads start after the progress, and a start after a crash skips them by it.
   */
  private forgetCopied(): void {
    clearTimeout(this.forgetTimer);
    this.forgetTimer = undefined;
    if (this.through === null || this.through <= this.forgotten) return;
    try {
      this.forget(this.through);
      this.forgotten = this.through;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'the webhook spool could not forget copied deliveries yet');
    }
  }

  /** After a copy: forget once enough was copied, or a moment after the copies stop. */
  private forgetSoon(): void {
    if (this.through !== null && this.through - this.forgotten >= FORGET_EVERY) return this.forgetCopied();
    if (this.forgetTimer || this.disposed) return;
    this.forgetTimer = setTimeout(() => this.forgetCopied(), FORGET_AFTER_MS);
    this.forgetTimer.unref();
  }

  private async drain(): Promise<void> {
    while (this.again && !this.disposed) {
      this.again = false;
      try {
        const repos = this.deps.repositories();
        if (this.through === null) this.through = await this.progress(repos);
        for (;;) {
          const batch = this.deps.spool.after(this.through, MOVE_BATCH);
          if (batch.length === 0) break;
          await this.copy(repos, batch);
          this.deps.onMoved();
        }
        this.waiting = false;
      } catch (error) {
        // Said once per outage, not at every retry.
        if (!this.waiting) {
          if (isUnavailable(error))
            this.deps.logger.warn(
              { reason: error instanceof Error ? error.message : String(error) },
              'acknowledged webhooks wait in the spool until the database is usable',
            );
          else
            this.deps.logger.error(
              { err: error },
              'acknowledged webhooks could not be copied from the spool yet',
            );
        }
        this.waiting = true;
        this.retryLater();
        return;
      }
    }
  }

  /** Reads the progress and forgets what it covers; a progress of another spool counts for nothing. */
  private async progress(repos: Repositories): Promise<number> {
    const saved = progressSchema.safeParse(await repos.settings.get(SPOOL_PROGRESS_KEY));
    const through = saved.success && saved.data.spool === this.deps.spool.id ? saved.data.through : 0;
    if (through > 0) this.forget(through);
    this.forgotten = through;
    return through;
  }

  /**
   * Copies a batch with the progress in one transaction. A batch the database refuses (not for being
   * away) is copied one by one, and a delivery refused on its own is kept in the spool, out of the queue.
   */
  private async copy(repos: Repositories, batch: readonly SpooledDelivery[]): Promise<void> {
    try {
      await this.commit(repos, batch);
    } catch (error) {
      if (isUnavailable(error)) throw error;
      if (batch.length > 1) {
        for (const delivery of batch) await this.copy(repos, [delivery]);
        return;
      }
      const only = batch[0]!;
      this.deps.logger.error(
        { err: error, spoolId: only.id, accountId: only.accountId },
        'a spooled webhook was refused by the database; it is kept in the spool file',
      );
      this.deps.spool.refuse(only.id, error instanceof Error ? error.message : String(error));
    }
  }

  private async commit(repos: Repositories, batch: readonly SpooledDelivery[]): Promise<void> {
    const last = batch[batch.length - 1]!.id;
    await repos.transaction(async (tx) => {
      await tx.webhookEvents.recordMany(
        batch.map((delivery) => ({
          accountId: delivery.accountId,
          rawBody: delivery.rawBody,
          headers: delivery.headers,
          receivedAt: delivery.receivedAt,
          signatureValid: true,
        })),
      );
      await tx.settings.set(SPOOL_PROGRESS_KEY, { spool: this.deps.spool.id, through: last });
    });
    this.through = last;
    this.forgetSoon();
  }

  private forget(through: number): void {
    if (this.deps.forget) this.deps.forget(through);
    else this.deps.spool.forgetThrough(through);
  }

  private retryLater(): void {
    if (this.disposed) return;
    this.settle();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.deps.retryMs ?? RETRY_MS);
    this.timer.unref();
  }
}
