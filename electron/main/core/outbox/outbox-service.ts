/**
 * The outbox as the contract sees it: staff sends, each conversation's messages, retry, cancel, the
 * queue per account, and the reactions to conversation changes (paused automation, blocked).
 */
import type { OutboxMessageView, OutboxQueue } from '../../../../shared/contract';
import { ApiError } from '../api/api-error';
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { Disposable } from '../lib/lifecycle';
import { budgetOf, heldReason, perSecondKey } from './account-gate';
import type { DeliveryWorker } from './delivery-worker';
import type { MessageSender } from './message-sender';
import { publishChange, toOutboxView } from './outbox-view';
import { workstationUser } from '../workstation-user';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Contract-facing outbox operations. */
export class OutboxService implements Disposable {
  private readonly staffId = workstationUser('staff');
  private readonly subscription: Disposable;

  constructor(
    private readonly deps: {
      repositories: () => Repositories;
      events: EventBus;
      sender: MessageSender;
      worker: DeliveryWorker;
      now?: () => Date;
    },
  ) {
    // Conversation and account changes come from other features; react without knowing them.
    this.subscription = deps.events.subscribe((event) => {
      // Only a change of the conversation's own state can block it or pause its automation (new messages and
      // names cannot): not re-read for every message ingest stores.
      if (
        event.name === 'inbox.conversationChanged' &&
        event.payload.cause !== 'messages' &&
        event.payload.cause !== 'participant'
      )
        void this.sweepConversation(event.payload.conversationId).catch(() => undefined);
      if (event.name === 'accounts.changed')
        void this.accountChanged(event.payload.accountId).catch(() => undefined);
    });
  }

  private get repos(): Repositories {
    return this.deps.repositories();
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Queues a reply typed by staff. */
  async send(input: {
    conversationId: number;
    text: string;
    quickReplies?: (
      { contentType: 'text'; title: string; payload: string } | { contentType: 'user_phone_number' }
    )[];
    replyToMid?: string;
    humanAgent?: boolean;
    clientRequestId?: string;
  }): Promise<OutboxMessageView> {
    const conversation = await this.repos.conversations.getConversation(input.conversationId);
    if (!conversation) throw new ApiError('NOT_FOUND', 'This conversation no longer exists.');
    const result = await this.deps.sender.sendMessage({
      accountId: conversation.accountId,
      recipientId: conversation.participantIgsid,
      message: {
        type: 'text',
        text: input.text,
        ...(input.quickReplies ? { quickReplies: input.quickReplies } : {}),
      },
      ...(input.replyToMid ? { replyToMid: input.replyToMid } : {}),
      humanAgent: input.humanAgent ?? false,
      origin: { kind: 'staff', userId: this.staffId },
      ...(input.clientRequestId ? { idempotencyKey: `staff:${input.clientRequestId}` } : {}),
    });
    return this.view(result.outboxId);
  }

  /** A conversation's outbound messages, oldest first. */
  async listConversation(conversationId: number): Promise<OutboxMessageView[]> {
    const rows = await this.repos.outbox.listByConversation(conversationId);
    return rows.map(toOutboxView);
  }

  /** Tries a failed, expired or unknown message again. */
  async retry(id: number): Promise<OutboxMessageView> {
    const row = await this.require(id);
    if (!['failed', 'expired', 'unknown'].includes(row.state))
      throw new ApiError(
        'CONFLICT',
        `This message is ${row.state}; only failed, expired or unknown messages can be retried.`,
      );
    await this.repos.outbox.requeue(id, this.now());
    const view = await this.publish(id);
    this.deps.worker.notify();
    return view;
  }

  /** Cancels a pending, failed or unknown message. */
  async cancel(id: number): Promise<OutboxMessageView> {
    const row = await this.require(id);
    if (!['pending', 'failed', 'unknown'].includes(row.state))
      throw new ApiError(
        'CONFLICT',
        `This message is ${row.state}; only pending, failed or unknown messages can be cancelled.`,
      );
    await this.repos.outbox.cancel(id, `Cancelled by ${this.staffId}.`);
    return this.publish(id);
  }

  /** The queue of one account or of every account with something in it. */
  async queue(accountId?: string): Promise<OutboxQueue[]> {
    const repos = this.repos;
    const counts = await repos.outbox.queueCounts(accountId);
    const ids = new Set(counts.map((row) => row.accountId));
    if (accountId !== undefined) ids.add(accountId);
    const result: OutboxQueue[] = [];
    for (const id of ids) {
      const account = await repos.accounts.get(id);
      if (!account) {
        if (accountId !== undefined) throw new ApiError('NOT_FOUND', 'This account no longer exists.');
        continue;
      }
      const mine = counts.filter((row) => row.accountId === id);
      const sum = (test: (row: (typeof mine)[number]) => boolean) =>
        mine.filter(test).reduce((total, row) => total + row.count, 0);
      const budget = await budgetOf(repos, account);
      result.push({
        accountId: id,
        waiting: sum(
          (r) =>
            r.state === 'pending' &&
            (r.waitKind === null || r.waitKind === 'retry' || r.waitKind === 'verify'),
        ),
        paced: sum((r) => r.state === 'pending' && r.waitKind === 'paced'),
        held: sum((r) => r.state === 'pending' && r.waitKind === 'held'),
        sending: sum((r) => r.state === 'sending'),
        failed: sum((r) => r.state === 'failed'),
        unknown: sum((r) => r.state === 'unknown'),
        expired: await repos.outboxQueue.countExpiredSince(id, new Date(this.now().getTime() - DAY_MS)),
        nextPacedAt: (await repos.outboxQueue.nextPacedAt(id))?.toISOString() ?? null,
        heldReason: heldReason(account),
        budget: { ...budget, usedLastHour: this.deps.worker.pacer.usedLastHour(id, this.now()) },
      });
    }
    return result;
  }

  /** Sets an account's per-second budget. */
  async setPacing(accountId: string, perSecond: number): Promise<OutboxQueue> {
    if (!(await this.repos.accounts.get(accountId)))
      throw new ApiError('NOT_FOUND', 'This account no longer exists.');
    await this.repos.settings.set(perSecondKey(accountId), perSecond);
    await this.repos.outbox.rescheduleWaiting(accountId, 'paced', this.now());
    this.deps.worker.notify();
    const [queue] = await this.queue(accountId);
    if (!queue) throw new ApiError('NOT_FOUND', 'This account no longer exists.');
    return queue;
  }

  /**
   * A conversation changed: a blocked one loses its whole queue, one with automation paused loses
   * its queued automatic replies. (The worker checks both again at each attempt; this makes the
   * queue show it at once. A deleted conversation's messages go with it: the foreign key cascades.)
   */
  async sweepConversation(conversationId: number): Promise<number> {
    const repos = this.repos;
    const conversation = await repos.conversations.getConversation(conversationId);
    if (!conversation) return 0;
    const blocked = conversation.status === 'blocked';
    const paused =
      conversation.automationPausedUntil !== null && conversation.automationPausedUntil > this.now();
    if (!blocked && !paused) return 0;
    const rows = await repos.outbox.listPendingByConversation(conversationId, !blocked);
    const reason = blocked
      ? 'The conversation was blocked; the message was not sent.'
      : 'Automation was paused for this conversation; this automatic reply was removed from the queue.';
    let cancelled = 0;
    for (const row of rows) {
      try {
        await repos.outbox.cancel(row.id, reason);
        cancelled += 1;
        await this.publish(row.id);
      } catch {
        // It started sending meanwhile; the worker's own check decides.
      }
    }
    return cancelled;
  }

  /** An account changed (new token, reactivated): its held messages are looked at now. */
  private async accountChanged(accountId: string): Promise<void> {
    const moved = await this.repos.outbox.rescheduleWaiting(accountId, 'held', this.now());
    if (moved > 0) this.deps.worker.notify();
  }

  dispose(): void {
    void this.subscription.dispose();
  }

  private async require(id: number) {
    const row = await this.repos.outbox.get(id);
    if (!row) throw new ApiError('NOT_FOUND', 'This message is no longer in the outbox.');
    return row;
  }

  private async view(id: number): Promise<OutboxMessageView> {
    return toOutboxView(await this.require(id));
  }

  private async publish(id: number): Promise<OutboxMessageView> {
    const row = await this.require(id);
    publishChange(this.deps.events, row);
    return toOutboxView(row);
  }
}
