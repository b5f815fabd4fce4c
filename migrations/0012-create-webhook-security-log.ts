/**
 * Creates `webhook_security_log`: webhook requests the receiver refused (unknown or inactive account,
 * missing or wrong signature, wrong content type, body too large, failed handshake), per account.
 *
 * Why a table of its own and not `audit_log`: these rows are driven by whoever sends requests to the public
 * tunnel URL, so their volume is an attacker's choice. They are coalesced (one row per account, reason and
 * second with an `occurrences` count) and pruned to the newest rows per account, while the audit log is the
 * staff's permanent record and is never pruned. Never holds a body, a signature or a secret.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** Creates the table. */
export async function up(db: Kysely<any>): Promise<void> {
  const mysql = isMysql(db);
  const id = (length: number) =>
    mysql ? sql`varchar(${sql.raw(String(length))}) character set ascii collate ascii_bin` : sql`text`;
  const time = mysql ? sql`datetime(3)` : sql`integer`;
  const text = (length: number) => (mysql ? sql`varchar(${sql.raw(String(length))})` : sql`text`);

  await db.schema
    .createTable('webhook_security_log')
    .addColumn('id', mysql ? 'bigint' : 'integer', (c) => c.primaryKey().autoIncrement())
    // The connected account, or null when the URL names no connected account. No foreign key: the log
    // outlives the account it mentions (like the audit log).
    .addColumn('account_id', id(64))
    // The id in the URL as sent (digits only; anything else never reaches the log).
    .addColumn('instagram_account_id', id(64), (c) => c.notNull())
    .addColumn('reason', text(48), (c) => c.notNull())
    .addColumn('http_status', 'integer', (c) => c.notNull())
    .addColumn('method', text(8), (c) => c.notNull())
    .addColumn('remote_address', text(64))
    .addColumn('user_agent', text(255))
    .addColumn('body_bytes', mysql ? 'bigint' : 'integer')
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('first_at', time, (c) => c.notNull())
    .addColumn('last_at', time, (c) => c.notNull())
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  // Per-account reading (newest first) and pruning to the newest rows per account.
  await db.schema
    .createIndex('webhook_security_log_account')
    .on('webhook_security_log')
    .columns(['account_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_security_log_instagram_account')
    .on('webhook_security_log')
    .columns(['instagram_account_id', 'id'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_security_log').execute();
}
