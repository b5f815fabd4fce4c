/**
 * Lets `rule_evaluations` record the decision about a comment (comment-to-DM rules) as well as about a
 * message: `message_id` becomes nullable and `comment_id` (→ `instagram_comments.id`) is added; every
 * row names exactly one of the two.
 *
 * Why the same table rather than one of its own: an evaluation is the same thing whatever its event
 * (rule, version, outcome, trace), and "why did this rule fire?" must find both kinds in one place.
 *
 * SQLite cannot change a column's nullability, so the table is rebuilt there (nothing references it).
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { MysqlAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

function isMysql(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

const ONE_SUBJECT = sql`(message_id is null) <> (comment_id is null)`;

/** Makes `message_id` optional and adds `comment_id`. */
export async function up(db: Kysely<any>): Promise<void> {
  if (isMysql(db)) {
    await sql`alter table rule_evaluations
      modify message_id bigint null,
      add column comment_id bigint null after message_id,
      add index rule_evaluations_comment (comment_id),
      add constraint rule_evaluations_comment_fk foreign key (comment_id)
        references instagram_comments (id) on delete cascade,
      add constraint rule_evaluations_one_subject check (${ONE_SUBJECT})`.execute(db);
  } else {
    await rebuildSqlite(db, true);
    await db.schema
      .createIndex('rule_evaluations_comment')
      .on('rule_evaluations')
      .columns(['comment_id'])
      .execute();
  }
}

/** Removes comment evaluations and restores the message-only shape. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('rule_evaluations').where('comment_id', 'is not', null).execute();
  if (isMysql(db)) {
    await sql`alter table rule_evaluations
      drop constraint rule_evaluations_one_subject,
      drop foreign key rule_evaluations_comment_fk,
      drop index rule_evaluations_comment`.execute(db);
    await sql`alter table rule_evaluations drop column comment_id, modify message_id bigint not null`.execute(
      db,
    );
  } else {
    await rebuildSqlite(db, false);
  }
}

/** SQLite: the table rebuilt with (or without) the comment column, rows and indexes kept. */
async function rebuildSqlite(db: Kysely<any>, forComments: boolean): Promise<void> {
  await db.schema
    .createTable('rule_evaluations_next')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', 'text', (c) =>
      c.notNull().references('instagram_business_accounts.id').onDelete('cascade'),
    )
    .addColumn('message_id', 'integer', (c) => {
      const column = c.references('messages.id').onDelete('cascade');
      return forComments ? column : column.notNull();
    })
    .$call((t) =>
      forComments
        ? t
            .addColumn('comment_id', 'integer', (c) =>
              c.references('instagram_comments.id').onDelete('cascade'),
            )
            .addCheckConstraint('rule_evaluations_one_subject', ONE_SUBJECT)
        : t,
    )
    .addColumn('rule_id', 'text')
    .addColumn('rule_version', 'integer')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('trace', sql`text check (json_valid(trace))`, (c) => c.notNull())
    .addColumn('evaluated_at', 'integer', (c) => c.notNull())
    .execute();
  const columns = sql.raw('id, account_id, message_id, rule_id, rule_version, outcome, trace, evaluated_at');
  await sql`insert into rule_evaluations_next (${columns}) select ${columns} from rule_evaluations`.execute(
    db,
  );
  await db.schema.dropTable('rule_evaluations').execute();
  await sql`alter table rule_evaluations_next rename to rule_evaluations`.execute(db);
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
