/**
 * The outbox: replies wait here until the sender delivers them.
 *
 * States: pending → sending → sent | failed | expired, and sending → pending for a retry. Each
 * transition is a conditional update on the current state, so two senders can never both send
 * one message. Two more end states: `unknown` (the send may or may not have reached Meta: a crash
 * or a lost answer, and the thread could not tell) and `cancelled` (staff, a paused or blocked
 * conversation). A pending message may carry why it waits (`wait_kind`, `wait_reason`).
 */
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { DatabaseError } from '../errors';
import type { OutboundMessagesTable } from '../schema';
import { asciiId, instant, jsonValue, longText, parseInput, toJsonText, varchar } from '../validation';
import type { JsonValue } from '../validation';
import { inTransaction, notFound } from './context';
import type { RepositoryContext } from './context';

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
    /** With `retryAt`: why it waits (default `retry`) and the words staff see. */
    waitKind: z.enum(OUTBOX_WAIT_KINDS).optional(),
    waitReason: longText().nullable().optional(),
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

  /**
   * Delivered: records the Graph message id (null for reactions and sender actions, which have
   * none). Only from `sending` (or from `unknown`, when an echo or the thread proves it went).
   */
  async markSent(
    id: number,
    graphMessageId: string | null,
    at: Date = this.context.now(),
    from: 'sending' | 'unknown' | readonly ('sending' | 'unknown')[] = 'sending',
  ): Promise<void> {
    const { specifics } = this.context;
    if (graphMessageId !== null) parseInput(asciiId(512), graphMessageId, 'Graph message id');
    await this.transition(id, from, {
      state: 'sent',
      graph_message_id: graphMessageId,
      sent_at: specifics.time(at),
      error_code: null,
      error_text: null,
      wait_kind: null,
      wait_reason: null,
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
      wait_kind: parsed.retryAt ? (parsed.waitKind ?? 'retry') : null,
      wait_reason: parsed.retryAt ? (parsed.waitReason ?? null) : null,
      updated_at: specifics.time(this.context.now()),
    });
  }

  /** The messaging window closed before it could be sent. Only from `pending`. */
  async markExpired(id: number, reason: string): Promise<void> {
    await this.transition(id, 'pending', {
      state: 'expired',
      error_text: parseInput(longText(), reason, 'reason'),
      wait_kind: null,
      wait_reason: null,
      updated_at: this.context.specifics.time(this.context.now()),
    });
  }

  /** The message sent with this Graph message id (mid) from this account, or null. */
  async getByGraphMessageId(accountId: string, graphMessageId: string): Promise<OutboundMessage | null> {
    const row = await this.context.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('graph_message_id', '=', graphMessageId)
      .executeTakeFirst();
    return row ? this.fromRow(row) : null;
  }

  /**
   * Due pending messages that head their conversation's queue: none has an older message to the
   * same person still pending or sending, so taking them in id order keeps each person's order.
   */
  async listDueHeads(
    now: Date,
    limit: number,
    skipAccounts: readonly string[] = [],
  ): Promise<OutboundMessage[]> {
    const { db, specifics } = this.context;
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
    return rows.map((row) => this.fromRow(row));
  }

  /** Takes one pending message for an attempt (pending → sending, attempts + 1); null if taken elsewhere. */
  async claim(id: number, now: Date): Promise<OutboundMessage | null> {
    const { specifics } = this.context;
    const result = await this.context.db
      .updateTable('outbound_messages')
      .set((eb) => ({
        state: 'sending',
        attempts: eb('attempts', '+', 1),
        last_attempt_at: specifics.time(now),
        updated_at: specifics.time(this.context.now()),
        wait_kind: null,
        wait_reason: null,
      }))
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0 ? this.get(id) : null;
  }

  /** Says why pending messages wait (and, with `until`, moves their next attempt). Others are left alone. */
  async setWaiting(
    ids: readonly number[],
    kind: OutboxWaitKind,
    reason: string,
    until?: Date,
  ): Promise<void> {
    if (ids.length === 0) return;
    const { specifics } = this.context;
    await this.context.db
      .updateTable('outbound_messages')
      .set({
        wait_kind: kind,
        wait_reason: parseInput(longText(), reason, 'reason'),
        ...(until ? { next_attempt_at: specifics.time(until) } : {}),
        updated_at: specifics.time(this.context.now()),
      })
      .where('id', 'in', [...ids])
      .where('state', '=', 'pending')
      .execute();
  }

  /** Makes an account's messages that wait for `kind` due at `at` (its hold was lifted, say). */
  async rescheduleWaiting(accountId: string, kind: OutboxWaitKind, at: Date): Promise<number> {
    const { specifics } = this.context;
    const result = await this.context.db
      .updateTable('outbound_messages')
      .set({ next_attempt_at: specifics.time(at), updated_at: specifics.time(this.context.now()) })
      .where('account_id', '=', accountId)
      .where('state', '=', 'pending')
      .where('wait_kind', '=', kind)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Pending messages of an account (oldest first), for holding or pacing its whole queue. */
  async listPendingByAccount(accountId: string, limit = 500): Promise<OutboundMessage[]> {
    const rows = await this.context.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('state', '=', 'pending')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => this.fromRow(row));
  }

  /** The send may or may not have reached Meta, and nothing could tell. Only from `sending`. */
  async markUnknown(id: number, reason: string): Promise<void> {
    await this.transition(id, 'sending', {
      state: 'unknown',
      error_code: 'UNKNOWN',
      error_text: parseInput(longText(), reason, 'reason'),
      wait_kind: null,
      wait_reason: null,
      updated_at: this.context.specifics.time(this.context.now()),
    });
  }

  /** Cancels a pending, failed or unknown message (staff, or its conversation was paused or blocked). */
  async cancel(id: number, reason: string): Promise<void> {
    await this.transition(id, ['pending', 'failed', 'unknown'], {
      state: 'cancelled',
      error_text: parseInput(longText(), reason, 'reason'),
      wait_kind: null,
      wait_reason: null,
      updated_at: this.context.specifics.time(this.context.now()),
    });
  }

  /** Staff asked to try a failed, expired or unknown message again: pending, due now, attempts reset. */
  async requeue(id: number, now: Date): Promise<void> {
    const { specifics } = this.context;
    await this.transition(id, ['failed', 'expired', 'unknown'], {
      state: 'pending',
      attempts: 0,
      next_attempt_at: specifics.time(now),
      error_code: null,
      error_text: null,
      wait_kind: null,
      wait_reason: null,
      updated_at: specifics.time(this.context.now()),
    });
  }

  /** Pending messages of a conversation, optionally only automatic ones (rules and system). */
  async listPendingByConversation(
    conversationId: number,
    automaticOnly: boolean,
  ): Promise<OutboundMessage[]> {
    let query = this.context.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('state', '=', 'pending');
    if (automaticOnly) query = query.where('created_by_kind', 'in', ['rule', 'system']);
    const rows = await query.orderBy('id').execute();
    return rows.map((row) => this.fromRow(row));
  }

  /** Messages left `sending` since before `before`: their sender crashed or hung (or runs elsewhere). */
  async listStaleSending(before: Date, limit = 50): Promise<OutboundMessage[]> {
    const rows = await this.context.db
      .selectFrom('outbound_messages')
      .selectAll()
      .where('state', '=', 'sending')
      .where('last_attempt_at', '<', this.context.specifics.time(before))
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => this.fromRow(row));
  }

  /** The earliest next attempt among pending messages, or null when nothing is pending. */
  async nextDueAt(skipAccounts: readonly string[] = []): Promise<Date | null> {
    let query = this.context.db
      .selectFrom('outbound_messages')
      .select((eb) => eb.fn.min('next_attempt_at').as('due'))
      .where('state', '=', 'pending');
    if (skipAccounts.length > 0) query = query.where('account_id', 'not in', [...skipAccounts]);
    const row = await query.executeTakeFirst();
    const due = row?.due;
    return due === null || due === undefined ? null : this.context.specifics.readTime(due);
  }

  /** Send attempts an account made since `since` (each row counts its last attempt), to seed pacing. */
  async attemptTimesSince(accountId: string, since: Date): Promise<Date[]> {
    const { specifics } = this.context;
    const rows = await this.context.db
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

  /** Counts by account, state and reason to wait; end states only where staff may act (failed, unknown). */
  async queueCounts(accountId?: string): Promise<OutboxCountRow[]> {
    let query = this.context.db
      .selectFrom('outbound_messages')
      .select(['account_id', 'state', 'wait_kind', sql<number>`count(*)`.as('count')])
      .where('state', 'in', ['pending', 'sending', 'failed', 'unknown'])
      .groupBy(['account_id', 'state', 'wait_kind']);
    if (accountId !== undefined) query = query.where('account_id', '=', accountId);
    const rows = await query.execute();
    return rows.map((row) => ({
      accountId: row.account_id,
      state: row.state as OutboundMessage['state'],
      waitKind: row.wait_kind as OutboxWaitKind | null,
      count: Number(row.count),
    }));
  }

  /**
   * An echo of a message the account sent arrived: `ours` when we sent it. A message whose send
   * outcome was unknown (crash, lost answer) and whose text matches the echo is marked sent with
   * the echo's mid, so it is never sent again (`resolved`: that message, now sent).
   */
  async reconcileEcho(echo: {
    accountId: string;
    participantIgsid: string;
    mid: string;
    text: string | null;
    at: Date;
  }): Promise<{ ours: boolean; resolved: OutboundMessage | null }> {
    if (await this.getByGraphMessageId(echo.accountId, echo.mid)) return { ours: true, resolved: null };
    if (echo.text === null) return { ours: false, resolved: null };
    const candidate = await this.context.db
      .selectFrom('outbound_messages as o')
      .innerJoin('conversations as c', 'c.id', 'o.conversation_id')
      .select('o.id')
      .where('o.account_id', '=', echo.accountId)
      .where('c.participant_igsid', '=', echo.participantIgsid)
      .where('o.state', '=', 'unknown')
      .where('o.text', '=', echo.text)
      .orderBy('o.id')
      .executeTakeFirst();
    if (!candidate) return { ours: false, resolved: null };
    await this.markSent(Number(candidate.id), echo.mid, echo.at, 'unknown');
    return { ours: true, resolved: await this.get(Number(candidate.id)) };
  }

  /** The echo of our own send was stored before the send's answer: it was the app, not the phone. */
  async markEchoSentByApp(accountId: string, mid: string): Promise<void> {
    await this.context.db
      .updateTable('messages')
      .set({ sent_by: 'app' })
      .where('account_id', '=', accountId)
      .where('mid', '=', mid)
      .where('sent_by', '=', 'phone')
      .execute();
  }

  private async transition(
    id: number,
    from: OutboundMessage['state'] | readonly OutboundMessage['state'][],
    values: Record<string, string | number | null>,
  ): Promise<void> {
    const result = await this.context.db
      .updateTable('outbound_messages')
      .set(values)
      .where('id', '=', id)
      .where('state', 'in', typeof from === 'string' ? [from] : from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return;
    const current = await this.get(id);
    if (!current) throw notFound('outbound message', id);
    const expected = typeof from === 'string' ? from : from.join(' or ');
    throw new DatabaseError(
      'DB_CONFLICT',
      `The outbound message ${id} is ${current.state}, not ${expected}; it was handled elsewhere.`,
      'Reload the conversation to see its current state.',
    );
  }

  /** A stored row as the outbox sees it (also used by the queue view's queries). */
  fromRow(row: Selectable<OutboundMessagesTable>): OutboundMessage {
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
      waitKind: row.wait_kind as OutboxWaitKind | null,
      waitReason: row.wait_reason,
    };
  }
}
