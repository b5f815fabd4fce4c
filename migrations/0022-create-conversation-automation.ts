/**
 * Creates `conversation_automation`: what automation must remember per conversation — the person's
 * opt-out (STOP until START) and the last time a human answered (from the app or from the phone).
 *
 * Why a table of its own: the conversation row is the inbox's, edited by others; this state is the
 * rule engine's and is written in the same transaction as the engine's decision.
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

  await db.schema
    .createTable('conversation_automation')
    .addColumn('conversation_id', mysql ? 'bigint' : 'integer', (c) =>
      c.primaryKey().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('account_id', id(64), (c) =>
      c.notNull().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    .addColumn('opted_out', 'boolean', (c) => c.notNull().defaultTo(0))
    .addColumn('opt_out_changed_at', time)
    .addColumn('last_human_reply_at', time)
    .addColumn('updated_at', time, (c) => c.notNull())
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conversation_automation').execute();
}
