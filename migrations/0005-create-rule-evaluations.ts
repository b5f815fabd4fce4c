/**
 * Creates `rule_evaluations`: per inbound message, the decision of the rule engine and its trace.
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
    .createTable('rule_evaluations')
    .addColumn('id', mysql ? 'bigint' : 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', id(64), (c) =>
      c.notNull().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    .addColumn('message_id', mysql ? 'bigint' : 'integer', (c) =>
      c.notNull().references('messages.id').onDelete('cascade'),
    )
    // No foreign key: the trace must survive the rule being deleted later ("why did this fire?").
    .addColumn('rule_id', id(64))
    .addColumn('rule_version', 'integer')
    .addColumn('outcome', text(16), (c) => c.notNull())
    .addColumn('trace', json('trace'), (c) => c.notNull())
    .addColumn('evaluated_at', time, (c) => c.notNull())
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  await db.schema
    .createIndex('rule_evaluations_message')
    .on('rule_evaluations')
    .columns(['message_id'])
    .execute();
  await db.schema
    .createIndex('rule_evaluations_rule')
    .on('rule_evaluations')
    .columns(['rule_id', 'evaluated_at'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rule_evaluations').execute();
}
