/**
 * Creates `outbound_messages`: the outbox (pending → sending → sent | failed | expired).
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
  const json = (column: string) => (mysql ? sql`json` : sql`text check (json_valid(${sql.ref(column)}))`);
  const text = (length: number) => (mysql ? sql`varchar(${sql.raw(String(length))})` : sql`text`);

  await db.schema
    .createTable('outbound_messages')
    .addColumn('id', mysql ? 'bigint' : 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', id(64), (c) =>
      c.notNull().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    .addColumn('conversation_id', mysql ? 'bigint' : 'integer', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    // "Never sends twice": whoever enqueues names the send (e.g. rule reply to message 42); a
    // second enqueue of the same key is refused by this unique index.
    .addColumn('idempotency_key', id(255), (c) => c.notNull().unique())
    .addColumn('payload', json('payload'), (c) => c.notNull())
    .addColumn('text', sql`text`)
    .addColumn('reply_to_mid', id(512))
    .addColumn('state', text(16), (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', time, (c) => c.notNull())
    .addColumn('last_attempt_at', time)
    // The Graph API's message id once sent (same shape as a mid).
    .addColumn('graph_message_id', id(512))
    .addColumn('error_code', text(64))
    .addColumn('error_text', sql`text`)
    .addColumn('created_by_kind', text(16), (c) => c.notNull())
    .addColumn('created_by_id', text(255))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addColumn('sent_at', time)
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  // The sender takes due work in order.
  await db.schema
    .createIndex('outbound_messages_state_due')
    .on('outbound_messages')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('outbound_messages_conversation')
    .on('outbound_messages')
    .columns(['conversation_id', 'created_at'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbound_messages').execute();
}
