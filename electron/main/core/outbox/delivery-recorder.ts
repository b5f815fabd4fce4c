/**
 * What the delivery worker and its send verification share: the repositories, the clock, how a
 * failed call is classified, and how an outcome is stored and announced.
 */
import type { EventBus } from '../api/event-bus';
import { CommitGroup } from '../db/commit-group';
import type { Repositories } from '../db/repositories';
import type { OutboundMessage } from '../db/repositories/outbox-repository';
import { describeFailure, type AttemptOutcome, type FailureAction } from './failure-handling';
import { publishChange } from './outbox-view';
import type { RetryPolicy } from './retry-backoff';

export class DeliveryRecorder {
  /** The claims and outcomes of sends in flight together share a commit (SQLite); see `CommitGroup`. */
  readonly writes: CommitGroup;

  constructor(
    private readonly deps: {
      repositories: () => Repositories;
      events: EventBus;
      now: () => Date;
      retry: RetryPolicy;
      random?: (() => number) | undefined;
      groupCommits?: boolean | undefined;
    },
  ) {
    this.writes = new CommitGroup({ repositories: deps.repositories, enabled: deps.groupCommits ?? false });
  }

  get repos(): Repositories {
    return this.deps.repositories();
  }

  now(): Date {
    return this.deps.now();
  }

  /** The verdict on a failed call for `row`, under the worker's retry policy. */
  describe(error: unknown, row: OutboundMessage, now: Date = this.now()): FailureAction {
    return describeFailure(error, row, {
      policy: this.deps.retry,
      now,
      ...(this.deps.random ? { random: this.deps.random } : {}),
    });
  }

  /** Sent: the row and the echo that may already be stored, in one commit; then the change is published. */
  async recordSent(accountId: string, id: number, graphMessageId: string | null): Promise<void> {
    await this.writes.run(async (tx) => {
      await tx.outbox.markSent(id, graphMessageId, this.now());
      if (graphMessageId) await tx.outbox.markEchoSentByApp(accountId, graphMessageId);
    });
    await this.publishRow(id);
  }

  /**
   * A `sending` message its echo already linked (see `OutboxRepository.reconcileEcho`) went out: recorded as
   * sent with the echo's mid. 'unproven' when the message has no echo yet.
   */
  async recordEchoed(accountId: string, id: number): Promise<'sent' | 'unproven'> {
    const row = await this.repos.outbox.get(id);
    if (row?.state !== 'sending' || row.graphMessageId === null) return 'unproven';
    await this.recordSent(accountId, id, row.graphMessageId);
    return 'sent';
  }

  /** Applies `change` to the row, publishes it, and goes on with the account's next message. */
  async finish(row: OutboundMessage, change: (id: number) => Promise<void>): Promise<AttemptOutcome> {
    await change(row.id);
    await this.publishRow(row.id);
    return 'next';
  }

  /** Announces the row's current state (the queue view and the thread follow it). */
  async publishRow(id: number): Promise<void> {
    const row = await this.repos.outbox.get(id);
    if (row) publishChange(this.deps.events, row);
  }

  /** Announces a row already read. */
  publish(row: OutboundMessage): void {
    publishChange(this.deps.events, row);
  }
}
