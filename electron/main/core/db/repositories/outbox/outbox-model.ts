/**
 * The outbox's shapes: states, reasons to wait, a queued send, and the input schemas.
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { DialectSpecifics } from '../../dialect';
import type { OutboundMessagesTable } from '../../schema';
import { asciiId, instant, jsonValue, longText, varchar } from '../../validation';
import type { JsonValue } from '../../validation';
import type { RepositoryContext } from '../context';

/** Outbox states. */
export const OUTBOX_STATES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'expired',
  'unknown',
  'cancelled',
] as const;
/**
 * Why a pending message waits: `retry` (backoff after a transient error), `paced` (the account's
 * send budget is spent), `held` (the account needs reconnecting or is not active), `verify` (the
 * last attempt's outcome is unknown: the thread is checked before sending again).
 */
export const OUTBOX_WAIT_KINDS = ['retry', 'paced', 'held', 'verify'] as const;
/** A pending message's reason to wait. */
export type OutboxWaitKind = (typeof OUTBOX_WAIT_KINDS)[number];
/** Who asked for the send. */
export const OUTBOX_CREATORS = ['staff', 'rule', 'system'] as const;

/** A queued or finished send. */
export interface OutboundMessage {
  id: number;
  accountId: string;
  conversationId: number;
  idempotencyKey: string;
  payload: JsonValue;
  text: string | null;
  replyToMid: string | null;
  state: (typeof OUTBOX_STATES)[number];
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  graphMessageId: string | null;
  errorCode: string | null;
  errorText: string | null;
  createdBy: { kind: (typeof OUTBOX_CREATORS)[number]; id: string | null };
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  waitKind: OutboxWaitKind | null;
  waitReason: string | null;
}

/** Counts per account, state and reason to wait (the queue view). */
export interface OutboxCountRow {
  accountId: string;
  state: OutboundMessage['state'];
  waitKind: OutboxWaitKind | null;
  count: number;
}

export const enqueueSchema = z
  .object({
    accountId: asciiId(64),
    conversationId: z.number().int().positive(),
    idempotencyKey: asciiId(255),
    payload: jsonValue,
    text: longText().nullable().optional(),
    replyToMid: asciiId(512).nullable().optional(),
    createdBy: z.object({ kind: z.enum(OUTBOX_CREATORS), id: varchar(255).nullable().optional() }).strict(),
    nextAttemptAt: instant.optional(),
  })
  .strict();

export const failureSchema = z
  .object({
    code: varchar(64).nullable().optional(),
    text: longText().nullable().optional(),
    /** Set for a transient failure: back to pending, retried at this time. */
    retryAt: instant.optional(),
    /** With `retryAt`: why it waits (default `retry`) and the words staff see. */
    waitKind: z.enum(OUTBOX_WAIT_KINDS).optional(),
    waitReason: longText().nullable().optional(),
  })
  .strict();

/** Input for `enqueue`. */
export type NewOutboundMessage = z.input<typeof enqueueSchema>;
/** Input for `markFailed`. */
export type OutboundFailure = z.input<typeof failureSchema>;

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

/** The outbound message, or null. */
export async function findOutbound(context: RepositoryContext, id: number): Promise<OutboundMessage | null> {
  const row = await context.db
    .selectFrom('outbound_messages')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? outboundFromRow(context.specifics, row) : null;
}
