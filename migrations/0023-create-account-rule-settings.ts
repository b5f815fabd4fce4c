/**
 * Creates `account_rule_settings`: per account, the named intents (example phrases), the variables
 * templates use as `{{var.key}}`, and the human-takeover pause.
 *
 * Why not the account's `settings` JSON: that document has a strict shape owned by the accounts
 * feature; intents can hold thousands of phrases and are edited (and version-checked) with the rules.
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

  await db.schema
    .createTable('account_rule_settings')
    .addColumn('account_id', id(64), (c) =>
      c.primaryKey().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    .addColumn('intents', json('intents'), (c) => c.notNull())
    .addColumn('variables', json('variables'), (c) => c.notNull())
    // Null: the default pause.
    .addColumn('human_pause_minutes', 'integer')
    // Optimistic concurrency, as for rules.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', time, (c) => c.notNull())
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('account_rule_settings').execute();
}
