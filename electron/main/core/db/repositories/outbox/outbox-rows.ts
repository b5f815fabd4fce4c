/**
 * Outbox rows as callers see them.
 */
import type { Selectable } from 'kysely';
import type { DialectSpecifics } from '../../dialect';
import type { OutboundMessagesTable } from '../../schema';
import type { JsonValue } from '../../validation';
import type { RepositoryContext } from '../context';
import { preparedQuery } from '../prepared-query';
import type { OutboundMessage, OutboxWaitKind } from './outbox-model';

/** A stored row as the outbox sees it (also used by the queue view's queries). */
export function outboundFromRow(
  specifics: DialectSpecifics,
  row: Selectable<OutboundMessagesTable>,
): OutboundMessage {
  return {
    id: Number(row.id),
    accountId: row.account_id,
    conversationId: Number(row.conversation_id),
    idempotencyKey: row.idempotency_key,
    payload: JSON.parse(row.payload) as JsonValue,
    text: row.text,
    replyToMid: row.reply_to_mid,
    state: row.state as OutboundMessage['state'],
    attempts: Number(row.attempts),
    nextAttemptAt: specifics.readTime(row.next_attempt_at),
    lastAttemptAt: specifics.readTimeOrNull(row.last_attempt_at),
    graphMessageId: row.graph_message_id,
    errorCode: row.error_code,
    errorText: row.error_text,
    createdBy: { kind: row.created_by_kind as OutboundMessage['createdBy']['kind'], id: row.created_by_id },
    createdAt: specifics.readTime(row.created_at),
    updatedAt: specifics.readTime(row.updated_at),
    sentAt: specifics.readTimeOrNull(row.sent_at),
    waitKind: row.wait_kind as OutboxWaitKind | null,
    waitReason: row.wait_reason,
  };
}

// Read on every send (its events) and every echo of one: compiled once per dialect.
const outboundById = preparedQuery((db, id: number) =>
  db.selectFrom('outbound_messages').selectAll().where('id', '=', id),
);
export const outboundByIdempotencyKey = preparedQuery((db, key: string) =>
  db.selectFrom('outbound_messages').selectAll().where('idempotency_key', '=', key),
);
export const outboundByGraphMessageId = preparedQuery((db, accountId: string, graphMessageId: string) =>
  db
    .selectFrom('outbound_messages')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('graph_message_id', '=', graphMessageId),
);

/** The outbound message, or null. */
export async function findOutbound(context: RepositoryContext, id: number): Promise<OutboundMessage | null> {
  const row = await outboundById.first(context, id);
  return row ? outboundFromRow(context.specifics, row) : null;
}
