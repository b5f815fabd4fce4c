/**
 * Stores verified deliveries in `webhook_events`, group-committing the ones that arrive together.
 *
 * Every acknowledgement waits for a durable commit (SQLite `synchronous=full`, InnoDB
 * `innodb_flush_log_at_trx_commit=1`), and a commit costs about one flush to disk whatever it holds. So
 * while one write is in flight, the deliveries that arrive queue up and go in the next transaction
 * together; each caller's promise resolves only after the transaction holding its delivery committed.
 */
import type { NewWebhookEvent } from '../db';
import type { Repositories } from '../db/repositories';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import type { DeliverySpool } from './delivery-spool';

/** A delivery ready to store (already verified). */
export type VerifiedDelivery = Omit<NewWebhookEvent, 'signatureValid'>;

/** Most deliveries in one transaction, and most body bytes: keeps one commit's latency bounded. */
const MAX_BATCH_ITEMS = 256;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

interface Waiting {
  delivery: VerifiedDelivery;
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Counters for the benchmark and tests. */
export interface DeliveryStoreStats {
  stored: number;
  transactions: number;
  largestBatch: number;
}

/** Writes deliveries durably; `groupCommit: false` writes each in its own transaction (for measuring). */
export class DeliveryStore implements Disposable {
  private queue: Waiting[] = [];
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private readonly totals: DeliveryStoreStats = { stored: 0, transactions: 0, largestBatch: 0 };

  constructor(
    private readonly deps: {
      repositories: () => Repositories;
      logger: Logger;
      groupCommit?: boolean;
      /** Where deliveries are made durable instead of `webhook_events` (SQLite: see delivery-spool.ts). */
      spool?: DeliverySpool;
    },
  ) {}

  /** Resolves once the delivery is committed; rejects when it could not be stored (nothing was acknowledged). */
  store(delivery: VerifiedDelivery): Promise<void> {
    if (this.deps.groupCommit === false) return this.write([delivery]).then(() => undefined);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ delivery, bytes: Buffer.byteLength(delivery.rawBody, 'utf8'), resolve, reject });
      this.kick();
    });
  }

  get stats(): DeliveryStoreStats {
    return { ...this.totals };
  }

  /** Waits for the writes in flight and queued (nothing is dropped: their callers are waiting for a 200). */
  async dispose(): Promise<void> {
    while (this.writing || this.scheduled) {
      if (this.writing) await this.writing;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private kick(): void {
    if (this.writing || this.scheduled || this.queue.length === 0) return;
    // Wait one turn of the event loop before writing. SQLite commits synchronously and blocks the loop
    // while it flushes to disk, so requests that arrived meanwhile sit unread in their sockets; one turn
    // lets them all be read and queued, and the next commit takes them together. Without this pause every
    // write holds exactly one delivery (measured: batches of 1). Idle, the turn costs microseconds.
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.writing || this.queue.length === 0) return;
      const batch = this.takeBatch();
      this.writing = this.commit(batch).finally(() => {
        this.writing = undefined;
        this.kick();
      });
    });
  }

  private takeBatch(): Waiting[] {
    let bytes = 0;
    let count = 0;
    while (count < this.queue.length && count < MAX_BATCH_ITEMS) {
      const next = this.queue[count];
      if (!next || (count > 0 && bytes + next.bytes > MAX_BATCH_BYTES)) break;
      bytes += next.bytes;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async commit(batch: Waiting[]): Promise<void> {
    try {
      await this.write(batch.map((item) => item.delivery));
      for (const item of batch) item.resolve();
    } catch (error) {
      if (batch.length > 1 && !isUnavailable(error)) {
        // One delivery the database refuses must not take its neighbours down with it: retry alone.
        this.deps.logger.warn(
          { err: error, deliveries: batch.length },
          'group commit failed; storing one by one',
        );
        for (const item of batch) {
          await this.write([item.delivery]).then(item.resolve, item.reject);
        }
        return;
      }
      for (const item of batch) item.reject(error);
    }
  }

  private async write(deliveries: VerifiedDelivery[]): Promise<number> {
    const spool = this.deps.spool;
    if (spool) {
      spool.add(deliveries);
    } else {
      await this.deps.repositories().transaction(async (tx) => {
        for (const delivery of deliveries)
          await tx.webhookEvents.record({ ...delivery, signatureValid: true });
      });
    }
    this.totals.stored += deliveries.length;
    this.totals.transactions += 1;
    this.totals.largestBatch = Math.max(this.totals.largestBatch, deliveries.length);
    return deliveries.length;
  }
}

/** The database is not there (down, unreachable, busy): no point retrying one by one now. */
export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UNAVAILABLE' || code === 'DB_UNREACHABLE' || code === 'DB_BUSY';
}
