/**
 * Creates `audit_log`: actor, action, entity, secret-free before/after summaries, time.
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
  const json = (column: string) =>
    mysql ? sql`json` : sql`text check (${sql.ref(column)} is null or json_valid(${sql.ref(column)}))`;
  const text = (length: number) => (mysql ? sql`varchar(${sql.raw(String(length))})` : sql`text`);

  await db.schema
    .createTable('audit_log')
    .addColumn('id', mysql ? 'bigint' : 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('actor', text(255), (c) => c.notNull())
    .addColumn('action', text(64), (c) => c.notNull())
    .addColumn('entity_type', text(64), (c) => c.notNull())
    .addColumn('entity_id', text(255))
    // No foreign key: the log outlives the account it mentions.
    .addColumn('account_id', id(64))
    .addColumn('before_summary', json('before_summary'))
    .addColumn('after_summary', json('after_summary'))
    .addColumn('at', time, (c) => c.notNull())
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  await db.schema
    .createIndex('audit_log_entity')
    .on('audit_log')
    .columns(['entity_type', 'entity_id', 'at'])
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
}
