/**
 * Creates `conversations`: one thread between a business account and one person.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** Creates the table and the inbox indexes. */
export async function up(db: Kysely<any>): Promise<void> {
  const mysql = isMysql(db);
  // ASCII, byte-exact ids: see 0001 (case-insensitive collations would merge distinct ids).
  const id = (length: number) =>
    mysql ? sql`varchar(${sql.raw(String(length))}) character set ascii collate ascii_bin` : sql`text`;
  const time = mysql ? sql`datetime(3)` : sql`integer`;
  const json = (column: string) => (mysql ? sql`json` : sql`text check (json_valid(${sql.ref(column)}))`);
  const text = (length: number) => (mysql ? sql`varchar(${sql.raw(String(length))})` : sql`text`);

  await db.schema
    .createTable('conversations')
    .addColumn('id', mysql ? 'bigint' : 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', id(64), (c) =>
      c.notNull().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    // IGSIDs are digit strings today (~17 digits); 128 leaves room for a format change.
    .addColumn('participant_igsid', id(128), (c) => c.notNull())
    .addColumn('participant_username', text(255))
    .addColumn('participant_name', text(255))
    .addColumn('status', text(16), (c) => c.notNull().defaultTo('active'))
    .addColumn('last_message_at', time)
    // Added: the 24-hour messaging window runs from the person's last message, not ours.
    .addColumn('last_inbound_at', time)
    .addColumn('last_message_preview', text(280))
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    // Correction: the seed's boolean `unread` becomes a count kept up to date on ingest, so
    // per-account unread badges are a cheap indexed sum instead of a scan of messages.
    .addColumn('unread_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('assigned_to', text(255))
    .addColumn('automation_paused_until', time)
    .addColumn('labels', json('labels'), (c) => c.notNull())
    .addColumn('notes', sql`text`)
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    // Correction: an IGSID is scoped to one business account (the same person has a different
    // IGSID per account), so uniqueness is per (account, participant), not on the IGSID alone.
    .addUniqueConstraint('conversations_account_participant_unique', ['account_id', 'participant_igsid'])
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  // One account's inbox, newest first.
  await db.schema
    .createIndex('conversations_account_last_message')
    .on('conversations')
    .columns(['account_id', 'last_message_at desc', 'id desc'])
    .execute();
  // The all-accounts inbox, newest first, filtered by status (active by default).
  await db.schema
    .createIndex('conversations_status_last_message')
    .on('conversations')
    .columns(['status', 'last_message_at desc', 'id desc'])
    .execute();
  // Unread badges: only rows with unread_count > 0 are visited.
  await db.schema
    .createIndex('conversations_unread')
    .on('conversations')
    .columns(['unread_count', 'account_id'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conversations').execute();
}
