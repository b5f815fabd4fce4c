/**
 * Creates `saved_replies`: named texts staff insert in the composer by typing `/name`.
 *
 * `account_id` null means "all accounts" (a reply every client can use, e.g. a thank-you). Names are
 * unique among the replies one account is offered (its own and the all-accounts ones); that rule spans
 * rows with and without an account, which a unique index cannot express on both dialects (NULLs never
 * collide), so the repository checks it in the transaction that writes.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** Creates the table and its per-account index. */
export async function up(db: Kysely<any>): Promise<void> {
  const mysql = isMysql(db);
  const time = mysql ? sql`datetime(3)` : sql`integer`;

  await db.schema
    .createTable('saved_replies')
    .addColumn('id', mysql ? 'bigint' : 'integer', (c) => c.primaryKey().autoIncrement())
    // Null: offered in every account. Deleting the account deletes its own replies.
    .addColumn(
      'account_id',
      mysql ? sql`varchar(64) character set ascii collate ascii_bin` : sql`text`,
      (c) => c.references('instagram_business_accounts.id').onDelete('cascade'),
    )
    // One word typed after "/" (letters, digits, "-", "_"), at most 40 characters.
    .addColumn('name', mysql ? sql`varchar(40)` : sql`text`, (c) => c.notNull())
    // A template of at most 1,000 UTF-8 bytes (one Instagram message); varchar(1000) holds it in characters.
    .addColumn('body', mysql ? sql`varchar(1000)` : sql`text`, (c) => c.notNull())
    // Optimistic concurrency, as for rules: every change names the version it was made against.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();
  await db.schema
    .createIndex('saved_replies_account')
    .on('saved_replies')
    .columns(['account_id', 'name'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('saved_replies').execute();
}
