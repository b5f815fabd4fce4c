/**
 * The outbox: replies wait here until the sender delivers them.
 *
 * States: pending → sending → sent | failed | expired, and sending → pending for a retry. Each
 * transition is a conditional update on the current state, so two senders can never both send
 * one message.
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { DatabaseError } from '../errors';
import type { OutboundMessagesTable } from '../schema';
import { asciiId, instant, jsonValue, longText, parseInput, toJsonText, varchar } from '../validation';
import type { JsonValue } from '../validation';
import { inTransaction, notFound } from './context';
import type { RepositoryContext } from './context';

/** Outbox states. */
export const OUTBOX_STATES = ['pending', 'sending', 'sent', 'failed', 'expired'] as const;
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
}

const enqueueSchema = z
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

const failureSchema = z
  .object({
    code: varchar(64).nullable().optional(),
    text: longText().nullable().optional(),
    /** Set for a transient failure: back to pending, retried at this time. */
    retryAt: instant.optional(),
  })
  .strict();

/** Input for `enqueue`. */
export type NewOutboundMessage = z.input<typeof enqueueSchema>;
/** Input for `markFailed`. */
export type OutboundFailure = z.input<typeof failureSchema>;

/** Reads and writes the outbox. */
export class OutboxRepository {
  constructor(private readonly context: RepositoryContext) {}

  /**
   * Queues a send. A second enqueue with the same idempotency key returns the first one with
   * `created: false` and changes nothing.
   */
  async enqueue(input: NewOutboundMessage): Promise<{ message: OutboundMessage; created: boolean }> {
    const parsed = parseInput(enqueueSchema, input, 'outbound message');
    const { db, specifics } = this.context;
    const now = this.context.now();
    const result = await specifics
      .insertIfAbsent(
        db.insertInto('outbound_messages').values({
          account_id: parsed.accountId,
          conversation_id: parsed.conversationId,
          idempotency_key: parsed.idempotencyKey,
          payload: toJsonText(parsed.payload, 'payload'),
          text: parsed.text ?? null,
          reply_to_mid: parsed.replyToMid ?? null,
          state: 'pending',
          next_attempt_at: specifics.time(parsed.nextAttemptAt ?? now),
          created_by_kind: parsed.createdBy.kind,
          created_by_id: parsed.createdBy.id ?? null,
          created_at: specifics.time(now),
          updated_at: specifics.time(now),
        }),
        ['idempotency_key'],
        'idempotency_key',
      )
      .executeTakeFirst();
    const row = await db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('idempotency_key', '=', parsed.idempotencyKey)
      .executeTakeFirstOrThrow();
    return { message: this.fromRow(row), created: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
  }

  /** The outbound message, or null. */
  async get(id: number): Promise<OutboundMessage | null> {
    const row = await this.context.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.fromRow(row) : null;
  }

  /** A conversation's outbound messages, oldest first. */
  async listByConversation(conversationId: number): Promise<OutboundMessage[]> {
    const rows = await this.context.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => this.fromRow(row));
  }

  /**
   * Takes up to `limit` due pending messages and moves them to `sending` (attempts + 1), in one
   * transaction with the rows locked, so concurrent senders never take the same message.
   */
  async claimDue(limit = 10, now: Date = this.context.now()): Promise<OutboundMessage[]> {
    return inTransaction(this.context, async (context) => {
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
      return rows.map((row) => new OutboxRepository(context).fromRow(row));
    });
  }

  /** Delivered: records the Graph message id. Only from `sending`. */
  async markSent(id: number, graphMessageId: string, at: Date = this.context.now()): Promise<void> {
    const { specifics } = this.context;
    parseInput(asciiId(512), graphMessageId, 'Graph message id');
    await this.transition(id, 'sending', {
      state: 'sent',
      graph_message_id: graphMessageId,
      sent_at: specifics.time(at),
      error_code: null,
      error_text: null,
      updated_at: specifics.time(this.context.now()),
    });
  }

  /** A failed attempt: with `retryAt` back to pending, otherwise permanently failed. Only from `sending`. */
  async markFailed(id: number, failure: OutboundFailure): Promise<void> {
    const parsed = parseInput(failureSchema, failure, 'send failure');
    const { specifics } = this.context;
    await this.transition(id, 'sending', {
      state: parsed.retryAt ? 'pending' : 'failed',
      ...(parsed.retryAt ? { next_attempt_at: specifics.time(parsed.retryAt) } : {}),
      error_code: parsed.code ?? null,
      error_text: parsed.text ?? null,
      updated_at: specifics.time(this.context.now()),
    });
  }

  /** The messaging window closed before it could be sent. Only from `pending`. */
  async markExpired(id: number, reason: string): Promise<void> {
    await this.transition(id, 'pending', {
      state: 'expired',
      error_text: parseInput(longText(), reason, 'reason'),
      updated_at: this.context.specifics.time(this.context.now()),
    });
  }

  private async transition(
    id: number,
    from: OutboundMessage['state'],
    values: Record<string, string | number | null>,
  ): Promise<void> {
    const result = await this.context.db
      .updateTable('outbound_messages')
      .set(values)
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return;
    const current = await this.get(id);
    if (!current) throw notFound('outbound message', id);
    throw new DatabaseError(
      'DB_CONFLICT',
      `The outbound message ${id} is ${current.state}, not ${from}; it was handled elsewhere.`,
      'Reload the conversation to see its current state.',
    );
  }

  private fromRow(row: Selectable<OutboundMessagesTable>): OutboundMessage {
    const { specifics } = this.context;
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
    };
  }
}
