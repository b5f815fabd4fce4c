/**
 * The receiver's spool: a small SQLite file of its own beside the database (`<database file>-spool`), where
 * the receiver thread makes each verified delivery durable before Instagram gets its 200.
 *
 * Why a second file: SQLite has one writer per file. Storing deliveries straight into `webhook_events`
 * made every acknowledgement wait its turn behind the main thread's ingest transactions (measured with
 * `npm run bench -- webhook`, SQLite, 1,000 deliveries/s offered: waits of 3 ms at p90 and 6–7 ms at p99,
 * up to 30 ms). Nobody else commits to this file in the normal run, so an acknowledgement waits for its own
 * commit only. The spool mover (spool-mover.ts) on the main thread then copies the deliveries into
 * `webhook_events`, where ingest reads them.
 *
 * Durable like the database: WAL with `synchronous = full`, each append one transaction (one flush for a
 * group of deliveries that arrived together). The receiver thread writes the file (appends, and forgets
 * what the main thread says it copied); the main thread reads it, and writes only to set aside a delivery
 * the database refused for good.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Libsql from 'libsql';
import { DatabaseError, toDatabaseError } from '../db/errors';
import type { VerifiedDelivery } from './delivery-store';

/** A delivery waiting in the spool, numbered in the order it was acknowledged. */
export interface SpooledDelivery {
  id: number;
  accountId: string | null;
  rawBody: string;
  headers: Record<string, string>;
  receivedAt: Date;
}

const SCHEMA = `
  create table if not exists spool_meta (key text primary key, value text not null);
  create table if not exists deliveries (
    id integer primary key autoincrement,
    account_id text,
    raw_body text not null,
    headers text not null,
    received_at integer not null,
    -- Set when the database refused the delivery for good: it stays here, out of the queue, for diagnosis.
    refused text
  );`;

/** The spool of the SQLite database at `databaseFile`. */
export function spoolFileFor(databaseFile: string): string {
  return `${databaseFile}-spool`;
}

interface Row {
  id: number | bigint;
  account_id: string | null;
  raw_body: string;
  headers: string;
  received_at: number | bigint;
}

export class DeliverySpool {
  /**
   * This spool's identity, made when the file is created: the mover's progress (kept in the database)
   * names it, so a spool file made anew never inherits the progress of an earlier one.
   */
  readonly id: string;
  private readonly append: Libsql.Statement;
  private readonly readAfter: Libsql.Statement;
  private readonly deleteThrough: Libsql.Statement;
  private readonly setRefused: Libsql.Statement;

  private constructor(
    private readonly handle: Libsql.Database,
    readonly file: string,
  ) {
    this.append = handle.prepare(
      'insert into deliveries (account_id, raw_body, headers, received_at) values (?, ?, ?, ?)',
    );
    this.readAfter = handle.prepare(
      'select id, account_id, raw_body, headers, received_at from deliveries where id > ? and refused is null order by id limit ?',
    );
    this.deleteThrough = handle.prepare('delete from deliveries where id <= ? and refused is null');
    this.setRefused = handle.prepare('update deliveries set refused = ? where id = ?');
    const existing = handle.prepare("select value from spool_meta where key = 'id'").get() as
      { value: string } | undefined;
    this.id = existing?.value ?? randomUUID();
    if (!existing) handle.prepare("insert into spool_meta (key, value) values ('id', ?)").run(this.id);
  }

  /** Opens (creating when absent) the spool file; throws a DatabaseError naming the file when it cannot. */
  static open(file: string): DeliverySpool {
    let handle: Libsql.Database | undefined;
    try {
      mkdirSync(dirname(file), { recursive: true });
      handle = new Libsql(file);
      handle.exec('pragma busy_timeout = 5000');
      // FULL, as for the database: an acknowledged delivery must survive a power loss.
      handle.exec('pragma synchronous = full');
      const journal = (handle.prepare('pragma journal_mode = wal').get() as { journal_mode?: string })
        .journal_mode;
      if (journal !== 'wal') {
        throw new DatabaseError(
          'DB_READONLY',
          `The webhook spool ${file} cannot be written to (journal mode stayed "${journal ?? 'unknown'}").`,
          'Make the data folder writable by your user.',
        );
      }
      handle.exec(SCHEMA);
      return new DeliverySpool(handle, file);
    } catch (error) {
      handle?.close();
      throw toDatabaseError(error, { dialect: 'sqlite', where: file });
    }
  }

  /** Makes the deliveries durable, in one transaction; returns when they are on disk. */
  add(deliveries: readonly VerifiedDelivery[]): void {
    this.guard(() => {
      this.handle.exec('begin immediate');
      try {
        for (const delivery of deliveries) {
          this.append.run(
            delivery.accountId ?? null,
            delivery.rawBody,
            JSON.stringify(delivery.headers),
            (delivery.receivedAt === undefined ? new Date() : new Date(delivery.receivedAt)).getTime(),
          );
        }
        this.handle.exec('commit');
      } catch (error) {
        if (this.handle.inTransaction) this.handle.exec('rollback');
        throw error;
      }
    });
  }

  /** The oldest deliveries after `afterId`, in order, at most `limit`. */
  after(afterId: number, limit: number): SpooledDelivery[] {
    const rows = this.guard(() => this.readAfter.all(afterId, limit) as Row[]);
    return rows.map((row) => ({
      id: Number(row.id),
      accountId: row.account_id,
      rawBody: row.raw_body,
      headers: JSON.parse(row.headers) as Record<string, string>,
      receivedAt: new Date(Number(row.received_at)),
    }));
  }

  /** Forgets the deliveries up to `id` (they are in the database now). */
  forgetThrough(id: number): void {
    this.guard(() => this.deleteThrough.run(id));
  }

  /** Keeps a delivery the database refused for good out of the queue, with the reason. */
  refuse(id: number, reason: string): void {
    this.guard(() => this.setRefused.run(reason, id));
  }

  close(): void {
    this.handle.close();
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw toDatabaseError(error, { dialect: 'sqlite', where: this.file });
    }
  }
}
