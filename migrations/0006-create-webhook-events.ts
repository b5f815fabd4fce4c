/**
 * Creates `webhook_events`: every delivery as received, stored before it is acknowledged.
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
    .createTable('webhook_events')
    .addColumn('id', mysql ? 'bigint' : 'integer', (c) => c.primaryKey().autoIncrement())
    // Null when the delivery names an account we do not know; it is still kept for diagnosis.
    .addColumn('account_id', id(64), (c) =>
      c.references('instagram_business_accounts.id').onDelete('set null'),
    )
    // The body exactly as received (a POST can batch many entries): MEDIUMTEXT holds 16 MB.
    .addColumn('raw_body', mysql ? sql`mediumtext` : sql`text`, (c) => c.notNull())
    // Only the headers that matter (signature, content type, user agent), as a JSON object.
    .addColumn('headers', json('headers'), (c) => c.notNull())
    .addColumn('signature_valid', 'boolean', (c) => c.notNull())
    .addColumn('received_at', time, (c) => c.notNull())
    .addColumn('state', text(16), (c) => c.notNull().defaultTo('received'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_at', time)
    .addColumn('error', sql`text`)
    .$call((t) =>
      mysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`) : t,
    )
    .execute();

  // Ingest picks up what is not yet processed, oldest first (also after a crash).
  await db.schema
    .createIndex('webhook_events_state_received')
    .on('webhook_events')
    .columns(['state', 'received_at'])
    .execute();
}

/** Drops the table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_events').execute();
}
