/**
 * Adds `wait_kind` and `wait_reason` to `outbound_messages`.
 *
 * Why: a pending message can be waiting for different reasons (its retry time, the account's send
 * budget, an account that needs reconnecting, a send whose outcome must be checked before trying
 * again). Staff see the queue per account by these reasons, so they are stored, not recomputed.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

/** Adds both columns, empty for existing rows. */
export async function up(db: Kysely<any>): Promise<void> {
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter;
  await db.schema
    .alterTable('outbound_messages')
    .addColumn('wait_kind', mysql ? sql`varchar(16)` : sql`text`)
    .execute();
  await db.schema
    .alterTable('outbound_messages')
    .addColumn('wait_reason', sql`text`)
    .execute();
}

/** Drops both columns. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbound_messages').dropColumn('wait_reason').execute();
  await db.schema.alterTable('outbound_messages').dropColumn('wait_kind').execute();
}
