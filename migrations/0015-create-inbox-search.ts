/**
 * Full-text search for the inbox: message text and participants' names and usernames.
 *
 * SQLite: two FTS5 tables over the existing rows (external content, so the text is not stored
 * twice), kept in sync by triggers on `messages` and `conversations`; the ingest code does not
 * know they exist. The tokenizer folds case and accents (`remove_diacritics 2`) and treats
 * symbols (`So`, `Sk`: emoji and skin tones) and marks as word characters, so an emoji is
 * searchable like a word.
 *
 * MariaDB: InnoDB FULLTEXT indexes on the same columns. The tables are utf8mb4 with a `_ci`
 * collation (0002, 0003), so matching ignores case and accents. InnoDB skips words shorter than
 * `innodb_ft_min_token_size` and emoji; the search code falls back to LIKE for those terms.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

const TOKENIZER = `unicode61 remove_diacritics 2 categories 'L* N* Co M* So Sk'`;

/** Creates the indexes and fills them from the rows already stored. */
export async function up(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) {
    // One statement each: InnoDB builds the first FULLTEXT index of a table with a table rebuild.
    await sql`alter table messages add fulltext index messages_text_fulltext (text)`.execute(db);
    await sql`alter table conversations add fulltext index conversations_participant_fulltext (participant_name, participant_username)`.execute(
      db,
    );
    return;
  }
  await sql`create virtual table messages_fts using fts5(text, content='messages', content_rowid='id', tokenize=${sql.lit(TOKENIZER)})`.execute(
    db,
  );
  // External content: the index must be told the old text exactly, or it drifts; only rows with
  // text are indexed, and each trigger mirrors that condition.
  await sql`create trigger messages_fts_insert after insert on messages when new.text is not null begin
    insert into messages_fts(rowid, text) values (new.id, new.text);
  end`.execute(db);
  await sql`create trigger messages_fts_delete after delete on messages when old.text is not null begin
    insert into messages_fts(messages_fts, rowid, text) values ('delete', old.id, old.text);
  end`.execute(db);
  await sql`create trigger messages_fts_update_old after update of text on messages when old.text is not null begin
    insert into messages_fts(messages_fts, rowid, text) values ('delete', old.id, old.text);
  end`.execute(db);
  await sql`create trigger messages_fts_update_new after update of text on messages when new.text is not null begin
    insert into messages_fts(rowid, text) values (new.id, new.text);
  end`.execute(db);
  await sql`insert into messages_fts(messages_fts) values ('rebuild')`.execute(db);

  await sql`create virtual table conversations_fts using fts5(participant_name, participant_username, content='conversations', content_rowid='id', tokenize=${sql.lit(TOKENIZER)})`.execute(
    db,
  );
  await sql`create trigger conversations_fts_insert after insert on conversations begin
    insert into conversations_fts(rowid, participant_name, participant_username)
      values (new.id, new.participant_name, new.participant_username);
  end`.execute(db);
  await sql`create trigger conversations_fts_delete after delete on conversations begin
    insert into conversations_fts(conversations_fts, rowid, participant_name, participant_username)
      values ('delete', old.id, old.participant_name, old.participant_username);
  end`.execute(db);
  // Only name changes touch the index: ingest updates counters on every message, and those must stay cheap.
  await sql`create trigger conversations_fts_update after update of participant_name, participant_username on conversations begin
    insert into conversations_fts(conversations_fts, rowid, participant_name, participant_username)
      values ('delete', old.id, old.participant_name, old.participant_username);
    insert into conversations_fts(rowid, participant_name, participant_username)
      values (new.id, new.participant_name, new.participant_username);
  end`.execute(db);
  await sql`insert into conversations_fts(conversations_fts) values ('rebuild')`.execute(db);
}

/** Drops the indexes (and on SQLite their triggers). */
export async function down(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) {
    await sql`alter table conversations drop index conversations_participant_fulltext`.execute(db);
    await sql`alter table messages drop index messages_text_fulltext`.execute(db);
    return;
  }
  for (const trigger of [
    'conversations_fts_update',
    'conversations_fts_delete',
    'conversations_fts_insert',
    'messages_fts_update_new',
    'messages_fts_update_old',
    'messages_fts_delete',
    'messages_fts_insert',
  ]) {
    await sql`drop trigger if exists ${sql.id(trigger)}`.execute(db);
  }
  await sql`drop table if exists conversations_fts`.execute(db);
  await sql`drop table if exists messages_fts`.execute(db);
}
