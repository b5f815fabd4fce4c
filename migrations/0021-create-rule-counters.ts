/**
 * Creates `rule_counters`: per rule, how often it matched, answered, was suppressed (one counter per
 * reason) and failed.
 *
 * Why a table and not a count over `rule_evaluations`: an evaluation row names only the rule that
 * answered, while a message can match several rules (one answers, others are shadowed or stopped by a
 * condition), and the suppression reason lives inside the trace JSON, which neither dialect can index.
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

  await db.schema
    .createTable('rule_counters')
    // No foreign key to the rule: counters are removed with the rule by the service, and kept in step
    // with `rule_evaluations`, which keeps the rule id of deleted rules too.
    .addColumn('rule_id', id(64), (c) => c.notNull())
    .addColumn('account_id', id(64), (c) =>
      c.notNull().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    // `matched`, `answered`, `failed`, or `suppressed:<reason>`.
    .addColumn('counter', text(64), (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_counters_pk', ['rule_id', 'counter'])
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  await db.schema.createIndex('rule_counters_account').on('rule_counters').columns(['account_id']).execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rule_counters').execute();
}
