/**
 * The ingest worker: turns stored webhook deliveries into conversations and messages, after Instagram
 * already has its 200.
 */
import { ApiError } from '../api/api-error';
import type { EventBus } from '../api/event-bus';
import { DatabaseError } from '../db/errors';
import type { Repositories } from '../db/repositories';
import type { WebhookEvent } from '../db/repositories/webhook-events-repository';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import type { StoredCommentHook } from './comment-ingest';
import type { DeliveryOutcome, StoredMessagesHook } from './delivery-outcome';
import { ingestDeliveries, ingestDelivery, type IngestHooks, type RoutedAccounts } from './ingest-delivery';
import { ProfileLookupRunner, type ProfileLookup } from './profile-lookup';

/** Attempts after which a delivery that keeps stopping ingest mid-way is set aside as `failed`. */
const MAX_ATTEMPTS = 5;
const DEFAULT_BATCH = 200;
/**
 * Deliveries per transaction at most: fewer commits, and pages that many messages touch (the newest end of
 * the inbox indexes, the table's last pages, the search index's new segment) written once per commit instead
 * of once per 50. Measured (`npm run bench -- db`, four runs taking turns, the disk stalled 7–12% of the time,
 * checkpoints counted alike): through the repository 3,693 and 3,502 messages/s at 200 against 2,869 and 3,244
 * at 50; its bare-statements yardstick 3,384 and 3,202 against 2,831 and 3,157.
 * Acknowledgements are not held up by it: while the receiver waits for the database, a transaction commits
 * after the chunk it is applying. Only a backlog fills a transaction: ingest takes what is waiting.
 */
export const INGEST_TRANSACTION_SIZE = 200;
/**
 * Deliveries whose writes are shared (one message insert, one "processed" mark) where another writer may
 * wait (SQLite, `writeContended`): a transaction commits early only between such chunks, each with its
 * messages and their rules. Measured (`npm run bench -- webhook`): 5 or 20 did not change an
 * acknowledgement's p99 at 1,000/s (about 10 ms, its spread from run to run larger than any difference).
 * Without `writeContended` (MariaDB) nobody waits, and a transaction's deliveries are one chunk.
 */
export const INGEST_CHUNK_SIZE = 10;
/** The safety net for a lost `notify()` (another process stored it, say); not the normal path. */
const DEFAULT_SAFETY_INTERVAL_MS = 30_000;

/** Running totals since the worker was created, for logs, diagnostics and tests. */
export interface IngestStats {
  processed: number;
  ignored: number;
  failed: number;
  messagesAdded: number;
  duplicates: number;
  /** Events not understood (odd shapes, unknown accounts, unroutable entries, unreadable bodies). */
  notUnderstood: number;
  /** Reactions to messages that were never stored. */
  unapplied: number;
}

/** Options for {@link IngestWorker}. */
export interface IngestWorkerOptions {
  /** The repositories; throws (ApiError UNAVAILABLE) while the database cannot be used. */
  repositories: () => Repositories;
  events: EventBus;
  logger: Logger;
  /** Runs in ingest's transaction for the messages added, a chunk's at once (the rules); see {@link StoredMessagesHook}. */
  onStoredMany?: StoredMessagesHook;
  /** Runs in ingest's transaction for every new comment (comment-to-DM rules); see {@link StoredCommentHook}. */
  onComment?: StoredCommentHook;
  /** Fills in participants' names after their messages are stored; absent = names stay empty for now. */
  profileLookup?: ProfileLookup;
  batchSize?: number;
  safetyIntervalMs?: number;
  /**
   * True while another writer waits for the database (the receiver thread, to acknowledge deliveries):
   * a group's transaction then commits the chunks it has done and lets it in before going on.
   */
  writeContended?: () => boolean;
}

/**
 * Processes `webhook_events` oldest first: each delivery is parsed and applied in one transaction,
 * then its events are published to the renderer.
 *
 * Resumable: `listPending` returns deliveries left `processing` by a crash too, and applying one again
 * is harmless (duplicate mids and dedup keys change nothing). Woken by `notify()` after each stored
 * delivery; a slow safety timer covers anything missed. One drain runs at a time.
 */
export class IngestWorker implements Disposable {
  private started = false;
  private disposed = false;
  private wakeRequested = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly profiles: ProfileLookupRunner;
  private readonly hooks: IngestHooks;
  private readonly totals: IngestStats = {
    processed: 0,
    ignored: 0,
    failed: 0,
    messagesAdded: 0,
    duplicates: 0,
    notUnderstood: 0,
    unapplied: 0,
  };

  constructor(private readonly options: IngestWorkerOptions) {
    this.hooks = { onStoredMany: options.onStoredMany, onComment: options.onComment };
    this.profiles = new ProfileLookupRunner({
      port: options.profileLookup,
      logger: options.logger,
      needsLookup: async (accountId, igsid) => {
        const conversation = await options.repositories().conversations.findConversation(accountId, igsid);
        return conversation !== null && conversation.participantUsername === null;
      },
      onFound: async (accountId, igsid, profile) => {
        const repos = options.repositories();
        const conversation = await repos.conversations.findConversation(accountId, igsid);
        if (!conversation) return;
        await repos.conversations.updateConversation(conversation.id, {
          ...(profile.username ? { participantUsername: profile.username } : {}),
          ...(profile.name ? { participantName: profile.name } : {}),
        });
        options.events.publish('inbox.conversationChanged', {
          accountId,
          conversationId: conversation.id,
          cause: 'participant',
        });
      },
    });
  }

  /** Starts (or, after the database came back, restarts) draining. Harmless when already started. */
  start(): void {
    if (this.disposed) return;
    if (!this.started) {
      this.started = true;
      this.timer = setInterval(
        () => this.notify(),
        this.options.safetyIntervalMs ?? DEFAULT_SAFETY_INTERVAL_MS,
      );
      this.timer.unref();
    }
    this.notify();
  }

  /** A delivery was stored: drain now (or right after the current drain). Returns at once. */
  notify(): void {
    if (this.disposed || !this.started) return;
    this.wakeRequested = true;
    if (this.running) return;
    this.running = this.drain()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'ingest stopped unexpectedly'))
      .finally(() => {
        this.running = undefined;
        if (this.wakeRequested && !this.disposed && !this.paused) this.notify();
      });
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** A copy of the running totals. */
  get stats(): IngestStats {
    return { ...this.totals };
  }

  /** Resolves when no drain is running and every background profile lookup has finished. */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running;
    await this.profiles.settled();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.profiles.dispose();
  }

  /** Set when the database became unusable mid-drain: wait for the timer or `start()`, do not spin. */
  private paused = false;

  private async drain(): Promise<void> {
    this.paused = false;
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH;
    while (this.wakeRequested && !this.disposed) {
      this.wakeRequested = false;
      let batch: WebhookEvent[];
      try {
        batch = await this.options.repositories().webhookEvents.listPending(batchSize);
      } catch (error) {
        this.pause(error);
        return;
      }
      for (let start = 0; start < batch.length; start += INGEST_TRANSACTION_SIZE) {
        if (this.disposed) return;
        if (!(await this.processGroup(batch.slice(start, start + INGEST_TRANSACTION_SIZE)))) return;
        // SQLite commits block the event loop: let the receiver read and acknowledge waiting deliveries.
        await new Promise((resolve) => setImmediate(resolve));
      }
      // A full batch may hide more behind it.
      if (batch.length === batchSize) this.wakeRequested = true;
    }
  }

  /**
   * Ingests several deliveries in one transaction (one commit instead of one per delivery). When any of them
   * fails, the group is rolled back and each is retried on its own, so one bad delivery never holds back the rest.
   */
  private async processGroup(group: readonly WebhookEvent[]): Promise<boolean> {
    const fresh = group.filter((delivery) => delivery.attempts < MAX_ATTEMPTS);
    if (fresh.length < 2) {
      for (const delivery of group) if (!(await this.processOne(delivery))) return false;
      return true;
    }
    // Deliveries applied and committed so far: after a failure only the others are retried one by one.
    let done = 0;
    try {
      const repos = this.options.repositories();
      // Counted before the work, so a group that crashes the process is eventually split and set aside.
      await repos.webhookEvents.markProcessingMany(fresh.map((delivery) => delivery.id));
      const chunkSize = this.options.writeContended ? INGEST_CHUNK_SIZE : INGEST_TRANSACTION_SIZE;
      while (done < fresh.length) {
        const outcomes = await repos.transaction(async (tx) => {
          const results: DeliveryOutcome[] = [];
          const accounts: RoutedAccounts = new Map();
          while (done + results.length < fresh.length) {
            // Another writer is waiting (the receiver thread, to acknowledge deliveries): commit the chunks
            // done (each whole: messages with their rules) and let it in.
            if (results.length > 0 && this.options.writeContended?.()) break;
            const start = done + results.length;
            const chunk = fresh.slice(start, start + chunkSize);
            results.push(...(await ingestDeliveries(tx, chunk, this.hooks, accounts)));
          }
          return results;
        });
        outcomes.forEach((outcome, index) => this.applyOutcome(fresh[done + index]!, outcome));
        done += outcomes.length;
        if (done < fresh.length) await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      if (this.disposed || isUnavailable(error)) {
        this.pause(error);
        return false;
      }
      const committed = new Set(fresh.slice(0, done).map((delivery) => delivery.id));
      for (const delivery of group) {
        if (!committed.has(delivery.id) && !(await this.processOne(delivery, { counted: true })))
          return false;
      }
      return true;
    }
    for (const delivery of group) {
      if (delivery.attempts >= MAX_ATTEMPTS && !(await this.processOne(delivery))) return false;
    }
    return true;
  }

  /** Ingests one delivery; false when the database went away and draining must stop. */
  private async processOne(delivery: WebhookEvent, options: { counted?: boolean } = {}): Promise<boolean> {
    try {
      const repos = this.options.repositories();
      if (delivery.attempts >= MAX_ATTEMPTS) {
        await repos.webhookEvents.markFailed(
          delivery.id,
          `Set aside after ${delivery.attempts} attempts: ingest kept stopping before this delivery was done ` +
            '(the app may have closed or crashed while reading it). It is kept and can be replayed.',
        );
        this.totals.failed += 1;
        return true;
      }
      // Counted before the work, so a delivery that crashes the process is eventually set aside.
      if (!options.counted) await repos.webhookEvents.markProcessing(delivery.id);
      const outcome = await repos.transaction((tx) => ingestDelivery(tx, delivery, this.hooks));
      this.applyOutcome(delivery, outcome);
      return true;
    } catch (error) {
      if (this.disposed || isUnavailable(error)) {
        this.pause(error);
        return false;
      }
      // Anything else is about this delivery (or a bug): set it aside so the queue keeps moving.
      this.options.logger.error({ err: error, delivery: delivery.id }, 'delivery could not be ingested');
      try {
        await this.options
          .repositories()
          .webhookEvents.markFailed(delivery.id, `Ingest failed: ${errorText(error)}`);
        this.totals.failed += 1;
        return true;
      } catch (markError) {
        this.pause(markError);
        return false;
      }
    }
  }

  /** Counts, logs and publishes what one committed delivery did (never before its commit). */
  private applyOutcome(delivery: WebhookEvent, outcome: DeliveryOutcome): void {
    this.totals[outcome.state] += 1;
    this.totals.messagesAdded += outcome.counts.messagesAdded;
    this.totals.duplicates += outcome.counts.duplicates;
    this.totals.notUnderstood += outcome.counts.notUnderstood;
    this.totals.unapplied += outcome.counts.unapplied;
    if (outcome.state === 'ignored')
      this.options.logger.warn({ delivery: delivery.id, reason: outcome.reason }, 'delivery not understood');
    outcome.events.publishTo(this.options.events);
    for (const { accountId, igsid } of outcome.lookups) this.profiles.request(accountId, igsid);
  }

  private pause(error: unknown): void {
    this.paused = true;
    if (!this.disposed)
      this.options.logger.warn({ err: error }, 'ingest paused until the database is usable again');
  }
}

function isUnavailable(error: unknown): boolean {
  if (error instanceof ApiError) return error.code === 'UNAVAILABLE';
  return error instanceof DatabaseError && (error.code === 'DB_UNREACHABLE' || error.code === 'DB_BUSY');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
