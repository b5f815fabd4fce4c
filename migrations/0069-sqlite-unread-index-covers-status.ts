/**
 * Unread badges on SQLite: the partial index of conversations with unread messages (migration 0024) holds
 * their status first, `(status, account_id, unread_count) WHERE unread_count > 0`, under the same name.
 *
 * Why: the inbox's unread badges count active conversations only (`status = 'active' ... GROUP BY
 * account_id`), and the index did not hold the status. In a database without ANALYZE statistics (every
 * user's: the app never runs it) SQLite then read every active conversation through
 * `conversations_status_last_message` and sorted them by account; with statistics (the ui benchmark's data
 * set) it read each unread conversation's table row, 5,062 random reads, 233 ms with nothing in the OS
 * cache. The badges are read at start, sharing the connection with the first page of the inbox, and again
 * after every burst of new messages. With the status first the index answers alone, already grouped, with
 * or without statistics (EXPLAIN QUERY PLAN: SEARCH … USING COVERING INDEX; 7 ms cold on that data set).
 *
 * MariaDB has no partial indexes; its `conversations_unread` index stays as it is.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

async function unreadIndex(db: Kysely<any>, columns: string[]): Promise<void> {
  await db.schema.dropIndex('conversations_unread_by_account').execute();
  await db.schema
    .createIndex('conversations_unread_by_account')
    .on('conversations')
    .columns(columns)
    // A literal: SQLite does not accept a bound parameter in an index definition.
    .where(sql.ref('unread_count'), '>', sql.lit(0))
    .execute();
}

/** SQLite: the index with the status. MariaDB: nothing to do. */
export async function up(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) return;
  await unreadIndex(db, ['status', 'account_id', 'unread_count']);
}

/** SQLite: the index as 0024 made it. */
export async function down(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) return;
  await unreadIndex(db, ['account_id', 'unread_count']);
}
