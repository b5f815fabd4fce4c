/**
 * Indexes `outbound_messages` by (account, state, id).
 *
 * Why: the queue view lists one account's messages in one state (waiting, paced, failed…) a page at
 * a time, keyed on the id; without the index each page scans every message the account ever sent.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

/** Creates the index. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('outbound_messages_account_state')
    .on('outbound_messages')
    .columns(['account_id', 'state', 'id'])
    .execute();
}

/** Drops the index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbound_messages_account_state').on('outbound_messages').execute();
}
