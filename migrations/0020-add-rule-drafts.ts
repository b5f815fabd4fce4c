/**
 * Adds draft/published state to `response_rules`.
 *
 * Why: staff edit a rule (or reorder the list) as a draft and publish when ready, while the published
 * copy keeps answering. `definition` is the full editable rule as the shared rule schema describes it
 * (trigger keywords, reply variants, quick replies…), which the seed's flat columns cannot hold;
 * `published_definition` / `published_version` are the copy that runs live. `status` says whether the
 * working copy differs from it.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** Adds the columns; existing rules become drafts with no definition (the editor asks to re-save them). */
export async function up(db: Kysely<any>): Promise<void> {
  const mysql = isMysql(db);
  const json = (column: string) => (mysql ? sql`json` : sql`text check (json_valid(${sql.ref(column)}))`);
  await db.schema.alterTable('response_rules').addColumn('definition', json('definition')).execute();
  await db.schema
    .alterTable('response_rules')
    .addColumn('status', mysql ? sql`varchar(16)` : sql`text`, (c) => c.notNull().defaultTo('draft'))
    .execute();
  await db.schema
    .alterTable('response_rules')
    .addColumn('published_definition', json('published_definition'))
    .execute();
  await db.schema.alterTable('response_rules').addColumn('published_version', 'integer').execute();
}

/** Drops the columns. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['published_version', 'published_definition', 'status', 'definition'])
    await db.schema.alterTable('response_rules').dropColumn(column).execute();
}
