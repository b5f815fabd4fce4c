/**
 * Creates `instagram_business_accounts`: one row per connected client account.
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
  // Correction: ids are compared byte for byte. Instagram ids and our UUIDs are ASCII, and with the
  // server's default utf8mb4_unicode_ci collation 'aB' = 'ab', which would merge distinct ids. An
  // ascii_bin column is exact, and costs 1 byte per character in indexes instead of 4.
  const id = (length: number) =>
    mysql ? sql`varchar(${sql.raw(String(length))}) character set ascii collate ascii_bin` : sql`text`;
  // Correction: the seed used TIMESTAMP (second precision, ends in 2038). Instagram reports
  // milliseconds, so MariaDB stores UTC DATETIME(3) and SQLite stores integer epoch milliseconds.
  const time = mysql ? sql`datetime(3)` : sql`integer`;
  const json = (column: string) => (mysql ? sql`json` : sql`text check (json_valid(${sql.ref(column)}))`);
  const text = (length: number) => (mysql ? sql`varchar(${sql.raw(String(length))})` : sql`text`);

  await db.schema
    .createTable('instagram_business_accounts')
    .addColumn('id', id(64), (c) => c.primaryKey())
    // The professional-account id (webhook `entry.id`); digits today, sized generously.
    .addColumn('instagram_account_id', id(64), (c) => c.notNull().unique())
    .addColumn('username', text(255), (c) => c.notNull())
    .addColumn('display_name', text(255))
    .addColumn('client_name', text(255))
    .addColumn('brand_color', text(16))
    // Added: Instagram Login and Facebook Login use different hosts, ids and tokens.
    .addColumn('login_type', text(16), (c) => c.notNull().defaultTo('instagram'))
    // Secrets are AES-256-GCM ciphertexts (key in the OS keychain); base64 grows them, so TEXT.
    .addColumn('access_token_encrypted', sql`text`)
    .addColumn('app_secret_encrypted', sql`text`)
    .addColumn('webhook_verify_token', text(255))
    // Correction: the seed had active/inactive only; suspended (token revoked by Meta) and archived
    // (client left, history kept) are states staff need to see.
    .addColumn('status', text(16), (c) => c.notNull().defaultTo('active'))
    // Added: per-account settings (timezone, business hours, automation switch, hourly send
    // budget, human-agent tag allowed) as one JSON document, validated by the app.
    .addColumn('settings', json('settings'), (c) => c.notNull())
    // Added: long-lived tokens expire after 60 days unless refreshed.
    .addColumn('token_expires_at', time)
    .addColumn('token_refreshed_at', time)
    // Added: account health shown in the sidebar.
    .addColumn('health_status', text(16), (c) => c.notNull().defaultTo('unknown'))
    .addColumn('health_message', text(1000))
    .addColumn('health_checked_at', time)
    .addColumn('last_webhook_at', time)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('instagram_business_accounts').execute();
}
