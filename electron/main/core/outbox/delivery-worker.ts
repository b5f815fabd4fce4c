/**
 * The delivery worker: the only code that sends messages to the Graph API.
 *
 * It takes due outbox messages that head their conversation's queue, and per account (accounts run
 * side by side, one send at a time within an account) checks the hold, the conversation (blocked,
 * automation paused), the messaging window and the send budget at every attempt, then sends, and
 * records the outcome. The retry table is in `failure-handling.ts`.
 *
 * Exactly once: a message is `sending` only while one attempt is in flight (claimed by a conditional
 * update). A send whose outcome is unknown — a timeout, a cut connection, or a crash that left it
 * `sending` — is never sent again blindly: the thread is read first (`send-verification.ts`), the echo
 * webhook also resolves it (ingest calls `OutboxRepository.reconcileEcho`), and when neither can
 * tell, it ends `unknown` for staff to check.
 *
 * Order: a message waits while an older one to the same person is pending or sending (a retrying
 * head blocks the ones behind it, bounded by `maxAttempts`); a head that ended (failed, expired,
 * unknown, cancelled) does not block: staff decide about it, the conversation goes on.
 */
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { OutboundMessage } from '../db/repositories/outbox-repository';
import { isGraphApiError, type InstagramClientFactory, type MessagingPolicy } from '../instagram';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import { openGate, type AccountGate } from './account-gate';
import { DeliveryRecorder } from './delivery-recorder';
import type { AttemptOutcome } from './failure-handling';
import { readPayload, toSendInput, type OutboxPayload } from './outbox-payload';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-backoff';
import { SendPacer } from './send-pacing';
import { SendVerifier } from './send-verification';
import { decideWindow } from './send-window';

/** Options for {@link DeliveryWorker}. */
export interface DeliveryWorkerOptions {
  /** The repositories; throws while the database cannot be used. */
  repositories: () => Repositories;
  /** Decrypted credentials of an account (the access token is a secret: never logged). */
  credentials: (account: Account) => { accessToken: string | null; appSecret: string | null };
  clientFactory: InstagramClientFactory;
  events: EventBus;
  logger: Logger;
  /** The clock for windows, pacing and retry times. */
  now?: () => Date;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  /**
   * A message `sending` for longer than this is taken to be abandoned (its sender crashed) and is
   * resolved from the thread; longer than any Graph call can take. Default 60 s.
   */
  staleSendingMs?: number;
  /** The database is this process's alone (SQLite): at start, every `sending` message is abandoned. */
  exclusiveDatabase?: boolean;
  /** Held accounts are looked at again this often even without an `accounts.changed`. Default 30 s. */
  holdRecheckMs?: number;
  /** Longest sleep between passes (a safety net for wake-ups from other processes). Default 5 s. */
  maxSleepMs?: number;
  /** Extra width of the per-second window against network jitter. Default 250 ms. */
  jitterGuardMs?: number;
  batchSize?: number;
  /** Most sends of one account in flight at once (one per 20/s of its budget, at least one). Default 4. */
  sendsInFlight?: number;
  /**
   * Claims and outcomes of concurrent sends share one transaction (one fsync). For SQLite, whose commits
   * block this thread; MariaDB already merges concurrent commits. Default off.
   */
  groupCommits?: boolean;
  /** Benchmarks only: no per-second or hourly budget (measures the pipeline, not Meta's limits). */
  unpaced?: boolean;
}

const SENDS_IN_FLIGHT = 4;
/** A budget of this many sends per second (or more) per extra lane: 10/s (the default) sends one at a time. */
const SENDS_PER_LANE = 20;

/** Sends what the outbox holds; see the module comment. */
export class DeliveryWorker implements Disposable {
  private started = false;
  private disposed = false;
  private wakeRequested = false;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly busy = new Map<string, Promise<void>>();
  private readonly now: () => Date;
  private readonly recorder: DeliveryRecorder;
  private readonly verifier: SendVerifier;
  /** Per-account send times: the budgets are checked against it. */
  readonly pacer: SendPacer;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.recorder = new DeliveryRecorder({
      repositories: options.repositories,
      events: options.events,
      now: this.now,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      random: options.random,
      groupCommits: options.groupCommits,
    });
    this.verifier = new SendVerifier(this.recorder, options);
    this.pacer = new SendPacer(options.jitterGuardMs ?? 250);
  }

  /** Starts (or, once the database is back, resumes) delivering. Harmless when started. */
  start(): void {
    if (this.disposed) return;
    this.started = true;
    this.notify();
  }

  /** Something was queued or changed: run a pass now (or right after the current one). */
  notify(): void {
    if (this.disposed || !this.started) return;
    this.wakeRequested = true;
    if (this.running) return;
    clearTimeout(this.timer);
    this.running = this.pass()
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'outbox pass failed; retrying soon'),
      )
      .finally(() => {
        this.running = undefined;
        if (this.wakeRequested) this.notify();
        else void this.scheduleNext();
      });
  }

  /** Resolves when no pass and no account's sends are running (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.running || this.busy.size > 0) {
      await this.running;
      await Promise.all([...this.busy.values()]);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all([...this.busy.values()]);
  }

  private get repos(): Repositories {
    return this.options.repositories();
  }

  private async scheduleNext(): Promise<void> {
    if (this.disposed || !this.started) return;
    const max = this.options.maxSleepMs ?? 5_000;
    let delay = max;
    try {
      const due = await this.repos.outbox.nextDueAt([...this.busy.keys()]);
      if (due) delay = Math.max(0, Math.min(max, due.getTime() - this.now().getTime()));
    } catch {
      // The database is away: try again after the longest sleep.
    }
    if (this.disposed || this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.notify(), delay);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    while (this.wakeRequested && !this.disposed) {
      this.wakeRequested = false;
      await this.verifier.recoverAbandoned((accountId) => this.busy.has(accountId));
      const batchSize = this.options.batchSize ?? 200;
      const heads = await this.repos.outbox.listDueHeads(this.now(), batchSize, [...this.busy.keys()]);
      const byAccount = new Map<string, OutboundMessage[]>();
      for (const row of heads) byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), row]);
      for (const [accountId, rows] of byAccount) {
        const task = this.runAccount(accountId, rows)
          .catch((error: unknown) =>
            this.options.logger.warn({ err: error, accountId }, 'outbox account pass failed'),
          )
          .finally(() => {
            this.busy.delete(accountId);
            this.notify();
          });
        this.busy.set(accountId, task);
      }
    }
  }

  /** Sends one account's due heads in order; stops at the first that holds or paces the account. */
  private async runAccount(accountId: string, rows: OutboundMessage[]): Promise<void> {
    const repos = this.repos;
    const account = await repos.accounts.get(accountId);
    if (!account) return;
    const gate = await openGate(repos, account, this.options);
    if (!gate.open) {
      await this.waitAll(
        account.id,
        'held',
        gate.reason,
        new Date(this.now().getTime() + (this.options.holdRecheckMs ?? 30_000)),
      );
      return;
    }
    // Heads of different conversations are independent (order holds per recipient, and each row here
    // heads its conversation's queue), so with a large budget a few go at once: one slow Graph call does
    // not hold up the account. The pacer's slot is taken before any await, so lanes never exceed the
    // budget; small budgets keep one lane, so sends stay spread out as Meta sees them (network jitter
    // could otherwise bunch a second's sends into the next one).
    const maxLanes = this.options.sendsInFlight ?? SENDS_IN_FLIGHT;
    const lanes = this.options.unpaced
      ? maxLanes
      : Math.max(1, Math.min(maxLanes, Math.floor(gate.budget.perSecond / SENDS_PER_LANE)));
    let next = 0;
    let stopped = false;
    const lane = async () => {
      while (!stopped && !this.disposed && next < rows.length) {
        const row = rows[next++]!;
        if ((await this.attempt(gate, row)) === 'stop') stopped = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(lanes, rows.length) }, lane));
  }

  private async attempt(gate: AccountGate & { open: true }, row: OutboundMessage): Promise<AttemptOutcome> {
    const repos = this.repos;
    const now = this.now();
    const conversation = await repos.conversations.getConversation(row.conversationId);
    if (!conversation) return 'next';
    const automatic = row.createdBy.kind !== 'staff';
    let payload: OutboxPayload;
    try {
      payload = readPayload(row.payload);
    } catch {
      return this.recorder.finish(row, (id) =>
        repos.outbox.cancel(id, 'This message was stored in a form this version cannot send. Type it again.'),
      );
    }
    if (conversation.status === 'blocked')
      return this.recorder.finish(row, (id) =>
        repos.outbox.cancel(id, 'The conversation is blocked; the message was not sent.'),
      );
    if (automatic && conversation.automationPausedUntil && conversation.automationPausedUntil > now)
      return this.recorder.finish(row, (id) =>
        repos.outbox.cancel(
          id,
          'Automation is paused for this conversation; this automatic reply was removed from the queue.',
        ),
      );
    let policy: MessagingPolicy = 'RESPONSE';
    // Private replies have their own rule (one per comment, 7 days from it), which Meta enforces.
    if (payload.content.kind !== 'private_reply') {
      const window = decideWindow({
        lastInboundAt: conversation.lastInboundAt,
        fromStaff: !automatic,
        humanAgentRequested: payload.humanAgent,
        humanAgentAllowed: gate.account.settings.humanAgentAllowed,
        now,
      });
      if (!window.ok) return this.recorder.finish(row, (id) => repos.outbox.markExpired(id, window.reason));
      policy = window.policy;
    }
    if (!this.pacer.knows(gate.account.id)) {
      const earlier = await repos.outbox.attemptTimesSince(
        gate.account.id,
        new Date(now.getTime() - 3_600_000),
      );
      // Another lane may have seeded it meanwhile (and counted sends since): never overwrite that.
      if (!this.pacer.knows(gate.account.id)) this.pacer.seed(gate.account.id, earlier);
    }
    const pace = this.options.unpaced
      ? { ok: true as const }
      : this.pacer.check(gate.account.id, gate.budget, now);
    // Counted at once, before any await: a concurrent lane sees this send in the budget. (Meta counts calls;
    // a claim lost to another sender below only makes the pacing a little more careful.)
    if (pace.ok) this.pacer.record(gate.account.id, now);
    if (!pace.ok) {
      const reason =
        pace.which === 'hour'
          ? `Waiting: @${gate.account.username} has used its budget of ${gate.budget.perHour} messages per hour; next send at ${pace.until.toISOString()}.`
          : `Waiting: @${gate.account.username} sends at most ${gate.budget.perSecond} messages per second.`;
      await this.waitAll(gate.account.id, 'paced', reason, pace.until, true);
      return 'stop';
    }
    const claimed = await this.recorder.writes.run((tx) => tx.outbox.claim(row.id, now));
    if (!claimed) return 'next';
    this.recorder.publish(claimed);
    if (row.waitKind === 'verify' && row.lastAttemptAt) {
      // The last attempt's outcome is unknown: look before sending again.
      const verdict = await this.verifier.verify(
        gate,
        claimed,
        conversation.participantIgsid,
        row.lastAttemptAt,
        undefined,
        true,
      );
      if (verdict !== 'not_found') return verdict;
    }
    // Counted from now, when it leaves, rather than from the budget check before the claim.
    if (!this.options.unpaced) this.pacer.restamp(gate.account.id, now, this.now());
    try {
      const result = await gate.client.sendMessage(
        toSendInput(payload, conversation.participantIgsid, policy),
      );
      await this.recorder.recordSent(gate.account.id, claimed.id, result.messageId ?? null);
      return 'next';
    } catch (error) {
      return this.failed(gate, claimed, error, conversation.participantIgsid);
    }
  }

  /** After a failed call: retry, verify, hold the account, or fail for good. */
  private async failed(
    gate: AccountGate & { open: true },
    row: OutboundMessage,
    error: unknown,
    recipientId: string,
  ): Promise<AttemptOutcome> {
    const repos = this.repos;
    // Its echo came while the call was out (the echo is linked to the send in flight): it went, whatever the
    // call's failure says. Never sent again, and no thread to read.
    if ((await this.recorder.recordEchoed(gate.account.id, row.id)) === 'sent') return 'next';
    const now = this.now();
    const failure = this.recorder.describe(error, row, now);
    if (!isGraphApiError(error))
      this.options.logger.warn({ err: error, outboxId: row.id }, 'send failed unexpectedly');
    switch (failure.action) {
      case 'hold': {
        await repos.accounts.setHealth(gate.account.id, {
          status: 'error',
          message: failure.healthMessage,
          checkedAt: now,
        });
        this.options.events.publish('accounts.changed', { accountId: gate.account.id });
        await repos.outbox.markFailed(row.id, {
          code: failure.code,
          text: failure.text,
          retryAt: now,
          waitKind: 'held',
          waitReason: failure.waitReason,
        });
        await this.recorder.publishRow(row.id);
        const holdUntil = new Date(now.getTime() + (this.options.holdRecheckMs ?? 30_000));
        await this.waitAll(gate.account.id, 'held', failure.waitReason, holdUntil);
        return 'stop';
      }
      case 'retry':
        await repos.outbox.markFailed(row.id, {
          code: failure.code,
          text: failure.text,
          retryAt: failure.retryAt,
          waitKind: failure.verifyFirst ? 'verify' : 'retry',
          waitReason: failure.waitReason,
        });
        await this.recorder.publishRow(row.id);
        return failure.slowDown ? 'stop' : 'next';
      case 'give_up':
        if (failure.verifyFirst) {
          const verdict = await this.verifier.verify(
            gate,
            row,
            recipientId,
            row.lastAttemptAt ?? now,
            failure.text,
          );
          if (verdict !== 'not_found') return verdict;
        }
        await repos.outbox.markFailed(row.id, { code: failure.code, text: failure.text });
        await this.recorder.publishRow(row.id);
        return 'next';
      case 'fail':
        await repos.outbox.markFailed(row.id, { code: failure.code, text: failure.text });
        await this.recorder.publishRow(row.id);
        return 'next';
    }
  }

  /** Marks an account's due pending messages as waiting for `kind`, publishing the ones that changed. */
  private async waitAll(
    accountId: string,
    kind: 'held' | 'paced',
    reason: string,
    until: Date,
    onlyDue = false,
  ): Promise<void> {
    const repos = this.repos;
    const pending = await repos.outbox.listPendingByAccount(accountId);
    const targets = pending.filter((row) => !onlyDue || row.nextAttemptAt.getTime() < until.getTime());
    await repos.outbox.setWaiting(
      targets.map((row) => row.id),
      kind,
      reason,
      until,
    );
    for (const row of targets)
      if (row.waitKind !== kind || row.waitReason !== reason) await this.recorder.publishRow(row.id);
  }
}
