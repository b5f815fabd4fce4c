/**
 * The label filter's list of labels on SQLite: a partial index of the conversations that have labels,
 * `conversations_labelled (labels) WHERE labels <> '[]'`.
 *
 * Why: "every label in use" read the whole conversations table to find the few rows with labels: 287 ms
 * with nothing in the OS cache on `npm run bench -- ui`'s data set (50,000 conversations), at every start
 * of the inbox. The index holds only those rows, and their labels, so the read is the index alone.
 *
 * MariaDB has no partial indexes, and an index over every row's labels would cost each ingest more than
 * it saves here: nothing to do there.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** SQLite: the index. MariaDB: nothing to do. */
export async function up(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) return;
  await db.schema
    .createIndex('conversations_labelled')
    .on('conversations')
    .column('labels')
    // A literal: SQLite does not accept a bound parameter in an index definition.
    .where(sql.ref('labels'), '<>', sql.lit('[]'))
    .execute();
}

/** SQLite: drops it. */
export async function down(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) return;
  await db.schema.dropIndex('conversations_labelled').execute();
}
