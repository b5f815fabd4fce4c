/**
 * Creates `messages`: every message of every conversation, inbound and outbound.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** Creates the table, the thread index and the idempotency key. */
export async function up(db: Kysely<any>): Promise<void> {
  const mysql = isMysql(db);
  // Correction: the seed's VARCHAR(100) is too short for real mids (base64 of a long internal id,
  // commonly 150+ characters). 512 ASCII characters fit InnoDB's 3072-byte key limit even inside
  // the composite (account_id, mid) unique key; as utf8mb4 the same column would need 2048 bytes
  // and the composite key would exceed the limit. ascii_bin also keeps base64 ids case-sensitive.
  const id = (length: number) =>
    mysql ? sql`varchar(${sql.raw(String(length))}) character set ascii collate ascii_bin` : sql`text`;
  const time = mysql ? sql`datetime(3)` : sql`integer`;
  const json = (column: string) =>
    mysql ? sql`json` : sql`text check (${sql.ref(column)} is null or json_valid(${sql.ref(column)}))`;
  const text = (length: number) => (mysql ? sql`varchar(${sql.raw(String(length))})` : sql`text`);

  await db.schema
    .createTable('messages')
    .addColumn('id', mysql ? 'bigint' : 'integer', (c) => c.primaryKey().autoIncrement())
    // Denormalised from the conversation so the message id can be unique per account.
    .addColumn('account_id', id(64), (c) =>
      c.notNull().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    .addColumn('conversation_id', mysql ? 'bigint' : 'integer', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('mid', id(512), (c) => c.notNull())
    .addColumn('direction', text(16), (c) => c.notNull())
    // Added: what the event was (text, image, story_mention, reaction, …) so the thread can render it.
    .addColumn('kind', text(32), (c) => c.notNull().defaultTo('text'))
    // Correction: texts carry emoji; on MariaDB the table is utf8mb4 (4-byte characters).
    .addColumn('text', sql`text`)
    .addColumn('attachments', json('attachments'))
    // Added: inline replies and story replies point at another message.
    .addColumn('reply_to_mid', id(512))
    // Added: echoes are our own messages, sent from the app, the phone, a rule or a staff member.
    .addColumn('is_echo', 'boolean', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_by', text(16))
    // Added: unsend keeps the row (the thread shows "message removed") with when it happened.
    .addColumn('is_deleted', 'boolean', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', time)
    // Added: edits as a JSON array of {text, editedAt, numEdit}; edits are rare and read with the message.
    .addColumn('edit_history', json('edit_history'))
    // Added: reactions have no id of their own; they are kept on the message they react to.
    .addColumn('reactions', json('reactions'))
    // Added: the event exactly as Instagram sent it, for re-processing after a parser fix.
    .addColumn('raw_event', json('raw_event'))
    // Correction: millisecond UTC (see 0001): Instagram's event timestamp.
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    // Instagram re-delivers webhooks; the same mid must never be stored twice for one account.
    // Per account rather than global: when two managed accounts talk to each other, both see the mid.
    .addUniqueConstraint('messages_account_mid_unique', ['account_id', 'mid'])
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  // A thread page: latest N messages of one conversation.
  await db.schema
    .createIndex('messages_conversation_created')
    .on('messages')
    .columns(['conversation_id', 'created_at', 'id'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('messages').execute();
}
