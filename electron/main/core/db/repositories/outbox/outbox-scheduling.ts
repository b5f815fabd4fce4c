/**
 * Taking messages for a send and deciding when the rest go: claims, the heads of each person's
 * queue, reasons to wait, and the times pacing needs.
 */
import { inTransaction } from '../context';
import type { RepositoryContext } from '../context';
import { longText, parseInput } from '../../validation';
import { findOutbound, outboundFromRow } from './outbox-rows';
import type { OutboundMessage, OutboxWaitKind } from './outbox-model';

/** See `OutboxRepository.claimDue`. */
export async function claimDue(
  context: RepositoryContext,
  limit: number,
  now: Date,
): Promise<OutboundMessage[]> {
  return inTransaction(context, async (context) => {
    const { db, specifics } = context;
    const due = await specifics
      .lockForUpdate(
        db
          .selectFrom('outbound_messages')
          .select('id')
          .where('state', '=', 'pending')
          .where('next_attempt_at', '<=', specifics.time(now))
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit),
      )
      .execute();
    if (due.length === 0) return [];
    const ids = due.map((row) => row.id);
    await db
      .updateTable('outbound_messages')
      .set((eb) => ({
        state: 'sending',
        attempts: eb('attempts', '+', 1),
        last_attempt_at: specifics.time(now),
        updated_at: specifics.time(now),
      }))
      .where('id', 'in', ids)
      .where('state', '=', 'pending')
      .execute();
    const rows = await db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('id', 'in', ids)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => outboundFromRow(context.specifics, row));
  });
}

/** See `OutboxRepository.listDueHeads`. */
export async function listDueHeads(
  context: RepositoryContext,
  now: Date,
  limit: number,
  skipAccounts: readonly string[],
): Promise<OutboundMessage[]> {
  const { db, specifics } = context;
  let query = db
    .selectFrom('outbound_messages as o')
    .selectAll('o')
    .where('o.state', '=', 'pending')
    .where('o.next_attempt_at', '<=', specifics.time(now));
  if (skipAccounts.length > 0) query = query.where('o.account_id', 'not in', [...skipAccounts]);
  const rows = await query
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('outbound_messages as earlier')
            .select('earlier.id')
            .whereRef('earlier.conversation_id', '=', 'o.conversation_id')
            .whereRef('earlier.id', '<', 'o.id')
            .where('earlier.state', 'in', ['pending', 'sending']),
        ),
      ),
    )
    .orderBy('o.id')
    .limit(limit)
    .execute();
  return rows.map((row) => outboundFromRow(context.specifics, row));
}

/** See `OutboxRepository.claim`. */
export async function claim(
  context: RepositoryContext,
  id: number,
  now: Date,
): Promise<OutboundMessage | null> {
  const { specifics } = context;
  const result = await context.db
    .updateTable('outbound_messages')
    .set((eb) => ({
      state: 'sending',
      attempts: eb('attempts', '+', 1),
      last_attempt_at: specifics.time(now),
      updated_at: specifics.time(context.now()),
      wait_kind: null,
      wait_reason: null,
    }))
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0 ? findOutbound(context, id) : null;
}

/** See `OutboxRepository.setWaiting`. */
export async function setWaiting(
  context: RepositoryContext,
  ids: readonly number[],
  kind: OutboxWaitKind,
  reason: string,
  until?: Date,
): Promise<void> {
  if (ids.length === 0) return;
  const { specifics } = context;
  await context.db
    .updateTable('outbound_messages')
    .set({
      wait_kind: kind,
      wait_reason: parseInput(longText(), reason, 'reason'),
      ...(until ? { next_attempt_at: specifics.time(until) } : {}),
      updated_at: specifics.time(context.now()),
    })
    .where('id', 'in', [...ids])
    .where('state', '=', 'pending')
    .execute();
}

/** See `OutboxRepository.rescheduleWaiting`. */
export async function rescheduleWaiting(
  context: RepositoryContext,
  accountId: string,
  kind: OutboxWaitKind,
  at: Date,
): Promise<number> {
  const { specifics } = context;
  const result = await context.db
    .updateTable('outbound_messages')
    .set({ next_attempt_at: specifics.time(at), updated_at: specifics.time(context.now()) })
    .where('account_id', '=', accountId)
    .where('state', '=', 'pending')
    .where('wait_kind', '=', kind)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** See `OutboxRepository.listStaleSending`. */
export async function listStaleSending(
  context: RepositoryContext,
  before: Date,
  limit: number,
): Promise<OutboundMessage[]> {
  const rows = await context.db
    .selectFrom('outbound_messages')
    .selectAll()
    .where('state', '=', 'sending')
    .where('last_attempt_at', '<', context.specifics.time(before))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => outboundFromRow(context.specifics, row));
}

/** See `OutboxRepository.nextDueAt`. */
export async function nextDueAt(
  context: RepositoryContext,
  skipAccounts: readonly string[],
): Promise<Date | null> {
  let query = context.db
    .selectFrom('outbound_messages')
    .select((eb) => eb.fn.min('next_attempt_at').as('due'))
    .where('state', '=', 'pending');
  if (skipAccounts.length > 0) query = query.where('account_id', 'not in', [...skipAccounts]);
  const row = await query.executeTakeFirst();
  const due = row?.due;
  return due === null || due === undefined ? null : context.specifics.readTime(due);
}

/** See `OutboxRepository.attemptTimesSince`. */
export async function attemptTimesSince(
  context: RepositoryContext,
  accountId: string,
  since: Date,
): Promise<Date[]> {
  const { specifics } = context;
  const rows = await context.db
    .selectFrom('outbound_messages')
    .select('last_attempt_at')
    .where('account_id', '=', accountId)
    .where('last_attempt_at', '>=', specifics.time(since))
    .orderBy('last_attempt_at')
    .execute();
  return rows.flatMap((row) => {
    const at = specifics.readTimeOrNull(row.last_attempt_at);
    return at ? [at] : [];
  });
}
