/**
 * The words in the SQLite message search index, readable in SQL: `messages_fts_words`, an FTS5 `fts5vocab`
 * table over `messages_fts` (migration 0015), one row per occurrence, in word order. It stores nothing:
 * it reads the index.
 *
 * Why: a search word is a prefix (`ship` finds "shipping"), and FTS5 answers a prefix by reading the
 * whole list of messages of every word that starts with it, before it can return the newest. For a
 * word in a third of a million messages that took 22–25 ms a word (`npm run bench -- ui`'s data set).
 * The same words asked for as whole words, joined by OR, are read newest first and only as far as
 * needed: 0.7–1.4 ms. The search therefore looks up which indexed words start with the typed one
 * (a seek here, 0.06–0.24 ms a word) and asks for those; see `inbox-search.ts`.
 *
 * MariaDB's FULLTEXT indexes have no such table, nor the need: nothing to do there.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** SQLite: the vocabulary table. MariaDB: nothing to do. */
export async function up(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) return;
  await sql`create virtual table messages_fts_words using fts5vocab(messages_fts, instance)`.execute(db);
}

/** SQLite: drops it. */
export async function down(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) return;
  await sql`drop table messages_fts_words`.execute(db);
}
