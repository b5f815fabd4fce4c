/**
 * Adds `instagram_app_secret_encrypted` to accounts.
 *
 * Why: Instagram Login apps have two secrets (the Meta app secret and the Instagram app secret), and which one
 * signs their webhooks is not settled (instagram-api.md §2: several real integrations verify with the
 * Instagram app secret). The receiver accepts a signature made with either, so the second one is stored
 * too — encrypted like the first. Long text: the encrypted envelope is longer than the secret.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

/** Adds the column, empty for existing accounts. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('instagram_business_accounts')
    .addColumn('instagram_app_secret_encrypted', sql`text`)
    .execute();
}

/** Drops the column. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('instagram_business_accounts')
    .dropColumn('instagram_app_secret_encrypted')
    .execute();
}
