/**
 * The outbox: replies wait here until the sender delivers them.
 *
 * States: pending → sending → sent | failed | expired, and sending → pending for a retry. Each
 * transition is a conditional update on the current state, so two senders can never both send
 * one message. Two more end states: `unknown` (the send may or may not have reached Meta: a crash
 * or a lost answer, and the thread could not tell) and `cancelled` (staff, a paused or blocked
 * conversation). A pending message may carry why it waits (`wait_kind`, `wait_reason`).
 *
 * This class is the outbox's public face; state changes live in `outbox/outbox-transitions.ts`,
 * claiming and pacing queries in `outbox/outbox-scheduling.ts`, shapes in `outbox/outbox-model.ts`.
 */
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { OutboundMessagesTable } from '../schema';
import { asciiId, parseInput, toJsonText } from '../validation';
import { notFound, type RepositoryContext } from './context';
import {
  findOutbound,
  outboundByGraphMessageId,
  outboundByIdempotencyKey,
  outboundFromRow,
} from './outbox/outbox-rows';
import { enqueueSchema } from './outbox/outbox-schemas';
import type {
  NewOutboundMessage,
  OutboundFailure,
  OutboundMessage,
  OutboxCountRow,
  OutboxWaitKind,
} from './outbox/outbox-model';
import * as scheduling from './outbox/outbox-scheduling';
import * as transitions from './outbox/outbox-transitions';
import { preparedQuery } from './prepared-query';

// Every reply we send comes back as an echo, first stored as sent from the phone.
const echoSentByApp = preparedQuery((db, accountId: string, mid: string) =>
  db
    .updateTable('messages')
    .set({ sent_by: 'app' })
    .where('account_id', '=', accountId)
    .where('mid', '=', mid)
    .where('sent_by', '=', 'phone'),
);

// The first message ahead in the conversation's queue that waits for its account (see `waitBehind`).
const waitingAhead = preparedQuery((db, conversationId: number, id: number) =>
  db
    .selectFrom('outbound_messages')
    .select(['wait_kind', 'wait_reason', 'next_attempt_at'])
    .where('conversation_id', '=', conversationId)
    .where('state', '=', 'pending')
    .where('id', '<', id)
    .where('wait_kind', 'in', ['paced', 'held'])
    .orderBy('id')
    .limit(1),
);

export * from './outbox/outbox-model';

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
    const created = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    const row = await outboundByIdempotencyKey.first(this.context, parsed.idempotencyKey);
    if (!row) throw notFound('outbound message with the idempotency key', parsed.idempotencyKey);
    const message = outboundFromRow(this.context.specifics, row);
    return { message: created ? await this.waitBehind(message) : message, created };
  }

  /**
   * A message queued behind one of its conversation's that waits for the account (its budget spent, or
   * held until it is reconnected) waits with it, and says so: order per recipient keeps it behind that
   * one, so "waiting" would promise it goes next. The delivery worker marks what is queued when it finds
   * the account paced or held; a message queued after that would otherwise show as waiting until then.
   */
  private async waitBehind(message: OutboundMessage): Promise<OutboundMessage> {
    const ahead = await waitingAhead.first(this.context, message.conversationId, message.id);
    if (!ahead?.wait_kind || !ahead.wait_reason) return message;
    const until = this.context.specifics.readTime(ahead.next_attempt_at);
    const kind = ahead.wait_kind as OutboxWaitKind;
    await scheduling.setWaiting(this.context, [message.id], kind, ahead.wait_reason, until);
    return { ...message, waitKind: kind, waitReason: ahead.wait_reason, nextAttemptAt: until };
  }

  /** The outbound message, or null. */
  async get(id: number): Promise<OutboundMessage | null> {
    return findOutbound(this.context, id);
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
    return rows.map((row) => outboundFromRow(this.context.specifics, row));
  }

  /** The message sent with this Graph message id (mid) from this account, or null. */
  async getByGraphMessageId(accountId: string, graphMessageId: string): Promise<OutboundMessage | null> {
    const row = await outboundByGraphMessageId.first(this.context, accountId, graphMessageId);
    return row ? outboundFromRow(this.context.specifics, row) : null;
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
    return rows.map((row) => outboundFromRow(this.context.specifics, row));
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
    return rows.map((row) => outboundFromRow(this.context.specifics, row));
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
   * An echo of a message the account sent arrived: `ours` when we sent it. Two of ours can still lack the
   * echo's mid, and are linked to it (`resolved`: that message, as it is now):
   * - the send in flight: the echo can come before Graph's answer is recorded (the receiver runs apart). A
   *   conversation has at most one message `sending` (each person's queue goes one at a time), so the one with
   *   the echo's text is that send; it gets the mid now and stays `sending` until the answer is recorded;
   * - a send whose outcome was unknown (crash, lost answer) with the echo's text: marked sent, never sent again.
   */
  async reconcileEcho(echo: {
    accountId: string;
    participantIgsid: string;
    mid: string;
    text: string | null;
    at: Date;
  }): Promise<{ ours: boolean; resolved: OutboundMessage | null }> {
    const known = await this.getByGraphMessageId(echo.accountId, echo.mid);
    if (known?.state === 'unknown') {
      // Linked while in flight, then its answer was lost: the echo is the proof it went.
      await this.markSent(known.id, echo.mid, echo.at, 'unknown');
      return { ours: true, resolved: await this.get(known.id) };
    }
    if (known) return { ours: true, resolved: null };
    const inFlight = await this.ownWithoutMid(echo, 'sending');
    if (inFlight !== null) {
      await this.context.db
        .updateTable('outbound_messages')
        .set({ graph_message_id: parseInput(asciiId(512), echo.mid, 'Graph message id') })
        .where('id', '=', inFlight)
        .where('state', '=', 'sending')
        .where('graph_message_id', 'is', null)
        .execute();
      return { ours: true, resolved: await this.get(inFlight) };
    }
    if (echo.text === null) return { ours: false, resolved: null };
    const candidate = await this.ownWithoutMid(echo, 'unknown');
    if (candidate === null) return { ours: false, resolved: null };
    await this.markSent(candidate, echo.mid, echo.at, 'unknown');
    return { ours: true, resolved: await this.get(candidate) };
  }

  /** The oldest of our messages to this person in `state`, without a Graph id yet, with the echo's text. */
  private async ownWithoutMid(
    echo: { accountId: string; participantIgsid: string; text: string | null },
    state: 'sending' | 'unknown',
  ): Promise<number | null> {
    const row = await this.context.db
      .selectFrom('outbound_messages as o')
      .innerJoin('conversations as c', 'c.id', 'o.conversation_id')
      .select('o.id')
      .where('o.account_id', '=', echo.accountId)
      .where('c.participant_igsid', '=', echo.participantIgsid)
      .where('o.state', '=', state)
      .where('o.graph_message_id', 'is', null)
      .where('o.text', echo.text === null ? 'is' : '=', echo.text)
      .orderBy('o.id')
      .executeTakeFirst();
    return row ? Number(row.id) : null;
  }

  /** The echo of our own send was stored before the send's answer: it was the app, not the phone. */
  async markEchoSentByApp(accountId: string, mid: string): Promise<void> {
    await echoSentByApp.run(this.context, accountId, mid);
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
    return transitions.markSent(this.context, id, graphMessageId, at, from);
  }

  /** A failed attempt: with `retryAt` back to pending, otherwise permanently failed. Only from `sending`. */
  async markFailed(id: number, failure: OutboundFailure): Promise<void> {
    return transitions.markFailed(this.context, id, failure);
  }

  /** The messaging window closed before it could be sent. Only from `pending`. */
  async markExpired(id: number, reason: string): Promise<void> {
    return transitions.settle(this.context, id, 'expired', reason);
  }

  /** The send may or may not have reached Meta, and nothing could tell. Only from `sending`. */
  async markUnknown(id: number, reason: string): Promise<void> {
    return transitions.settle(this.context, id, 'unknown', reason);
  }

  /** Cancels a pending, failed or unknown message (staff, or its conversation was paused or blocked). */
  async cancel(id: number, reason: string): Promise<void> {
    return transitions.settle(this.context, id, 'cancelled', reason);
  }

  /** Staff asked to try a failed, expired or unknown message again: pending, due now, attempts reset. */
  async requeue(id: number, now: Date): Promise<void> {
    return transitions.requeue(this.context, id, now);
  }

  /**
   * Takes up to `limit` due pending messages and moves them to `sending` (attempts + 1), in one
   * transaction with the rows locked, so concurrent senders never take the same message.
   */
  async claimDue(limit = 10, now: Date = this.context.now()): Promise<OutboundMessage[]> {
    return scheduling.claimDue(this.context, limit, now);
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
    return scheduling.listDueHeads(this.context, now, limit, skipAccounts);
  }

  /** Takes one pending message for an attempt (pending → sending, attempts + 1); null if taken elsewhere. */
  async claim(id: number, now: Date): Promise<OutboundMessage | null> {
    return scheduling.claim(this.context, id, now);
  }

  /** Says why pending messages wait (and, with `until`, moves their next attempt). Others are left alone. */
  async setWaiting(
    ids: readonly number[],
    kind: OutboxWaitKind,
    reason: string,
    until?: Date,
  ): Promise<void> {
    return scheduling.setWaiting(this.context, ids, kind, reason, until);
  }

  /** Makes an account's messages that wait for `kind` due at `at` (its hold was lifted, say). */
  async rescheduleWaiting(accountId: string, kind: OutboxWaitKind, at: Date): Promise<number> {
    return scheduling.rescheduleWaiting(this.context, accountId, kind, at);
  }

  /** Messages left `sending` since before `before`: their sender crashed or hung (or runs elsewhere). */
  async listStaleSending(before: Date, limit = 50): Promise<OutboundMessage[]> {
    return scheduling.listStaleSending(this.context, before, limit);
  }

  /** The earliest next attempt among pending messages, or null when nothing is pending. */
  async nextDueAt(skipAccounts: readonly string[] = []): Promise<Date | null> {
    return scheduling.nextDueAt(this.context, skipAccounts);
  }

  /** Send attempts an account made since `since` (each row counts its last attempt), to seed pacing. */
  async attemptTimesSince(accountId: string, since: Date): Promise<Date[]> {
    return scheduling.attemptTimesSince(this.context, accountId, since);
  }

  /** A stored row as the outbox sees it (also used by the queue view's queries). */
  fromRow(row: Selectable<OutboundMessagesTable>): OutboundMessage {
    return outboundFromRow(this.context.specifics, row);
  }
}
