/**
 * Creates `settings`: application-wide key/value settings (never secrets: those are in the keychain).
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
    .createTable('settings')
    .addColumn('key', id(191), (c) => c.primaryKey())
    .addColumn('value', json('value'), (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settings').execute();
}
