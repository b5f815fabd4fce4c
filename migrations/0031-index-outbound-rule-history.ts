/**
 * Indexes `outbound_messages` by (account, creator kind, creator id, created at).
 *
 * Why: a rule with a per-account cooldown asks, for every inbound message, "when did this rule last
 * answer on this account?". Without the index that is a scan of every reply the account ever sent, per
 * message, so evaluation slowed down as the outbox grew (quadratic over a busy account's life). With it,
 * `max(created_at)` for one rule is a single index seek on both SQLite and MariaDB.
 *
 * Frozen in time: uses `Kysely<any>` and imports nothing from the app (see migrations/index.ts).
 */
import type { Kysely } from 'kysely';

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations see the database as it was, not today's schema type. */

/** Creates the index. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('outbound_messages_rule_history')
    .on('outbound_messages')
    .columns(['account_id', 'created_by_kind', 'created_by_id', 'created_at'])
    .execute();
}

/** Drops the index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbound_messages_rule_history').on('outbound_messages').execute();
}
