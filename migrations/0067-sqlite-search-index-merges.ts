/**
 * Search index upkeep on SQLite: the message search index (FTS5, migration 0015) merges its segments
 * less eagerly, `automerge` 16 instead of FTS5's default 4.
 *
 * Why: every transaction that inserts messages adds a small segment to the index, and FTS5 merges
 * segments as they pile up. With `automerge` 4 it merges four of a level into one of the next, so
 * each indexed word is rewritten once per level, about log4 of the segments written (7 levels at a
 * million messages stored 50 at a time); with 16, about log16 (4 levels). Measured with the db
 * benchmark's bare-statements yardstick (1,000,000 messages, 20,000 more stored 50 per transaction,
 * `synchronous = off` so that only CPU counted): 4,187 and 4,682 messages/s with 4, 5,878 and 5,634
 * with 16 (the process's CPU time fell from 4.8 to 3.4 s). Search was as fast afterwards (p50 14 ms,
 * worst 69–73 ms over the same 40 prefix queries), and in the app too (`npm run bench -- ui`, 1,100,000
 * messages stored through ingest, the same day: search p95 204–217 ms in five runs with 16, 211 ms with 4):
 * a query reads at most 15 segments per level instead of 3, a few pages each, against doclists of the same
 * total size. 16 is FTS5's largest
 * allowed value, and equal to its `crisismerge`, the count at which a level is merged at once anyway.
 *
 * The setting is stored in the index's own config table, so it holds for every connection. MariaDB's
 * FULLTEXT indexes are InnoDB's and have no such setting: nothing to do there.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** SQLite: merges of 16 segments. MariaDB: nothing to do. */
export async function up(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) return;
  await sql`insert into messages_fts(messages_fts, rank) values ('automerge', 16)`.execute(db);
}

/** SQLite: back to FTS5's default. */
export async function down(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) return;
  await sql`insert into messages_fts(messages_fts, rank) values ('automerge', 4)`.execute(db);
}
