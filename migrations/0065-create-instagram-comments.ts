/**
 * Creates `instagram_comments`: comments on the account's posts, as the `comments` / `live_comments`
 * webhooks deliver them, so that comment-to-DM rules can answer each one with one private reply.
 *
 * One row per comment and account (Meta retries and duplicated ad comments change nothing); the row
 * says whether a private reply was queued and which outbox row carries it (Meta allows one per comment).
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
  const serial = mysql ? 'bigint' : 'integer';

  await db.schema
    .createTable('instagram_comments')
    .addColumn('id', serial, (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', id(64), (c) =>
      c.notNull().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    // Comment and media ids are numeric strings today (17–18 digits); sized like participant ids.
    .addColumn('comment_id', id(128), (c) => c.notNull())
    .addColumn('media_id', id(128))
    .addColumn('media_product_type', text(32))
    .addColumn('parent_comment_id', id(128))
    .addColumn('from_id', id(128))
    .addColumn('from_username', text(64))
    // Instagram caps comments at 2,200 characters; the column leaves room for what Meta may add.
    .addColumn('text', 'text')
    .addColumn('field', text(32), (c) => c.notNull())
    .addColumn('is_own', 'boolean', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .addColumn('private_reply_outbox_id', serial, (c) =>
      c.references('outbound_messages.id').onDelete('set null'),
    )
    .addColumn('private_reply_queued_at', time)
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  await db.schema
    .createIndex('instagram_comments_account_comment')
    .on('instagram_comments')
    .columns(['account_id', 'comment_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('instagram_comments_account_created')
    .on('instagram_comments')
    .columns(['account_id', 'created_at'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('instagram_comments').execute();
}
