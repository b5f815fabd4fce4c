/**
 * Indexes `outbound_messages` by (account, Graph message id).
 *
 * Why: every echo webhook asks "did we send this mid?" so ingest can mark the echo as sent by the app
 * and reconcile a send whose result was lost in a crash; without the index that is a table scan per
 * echo.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

/** Creates the index. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('outbound_messages_graph_message_id')
    .on('outbound_messages')
    .columns(['account_id', 'graph_message_id'])
    .execute();
}

/** Drops the index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbound_messages_graph_message_id').on('outbound_messages').execute();
}
