/**
 * Turns `inbox.messageAdded` into `desktop.notify`: looks up the sender, the message text and the account
 * (client, time zone), lets the pure decision rule, and runs the burst timers. The shells only show what it
 * publishes (an OS notification in the app, a toast in a browser), so both behave the same.
 */
import type { DesktopSettings, InboxMessageAdded } from '../../../../shared/contract';
import type { AnyEvent, EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { NotificationFacts } from '../db/repositories/notification-facts';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import {
  decideNotification,
  defaultDecisionOptions,
  flushBurst,
  type BurstState,
  type DecisionOptions,
  type NotificationInput,
} from './decide';
import type { DesktopSettingsStore } from './desktop-settings';

export class DesktopNotifier implements Disposable {
  private readonly bursts = new Map<number, BurstState>();
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly graceTimers = new Set<ReturnType<typeof setTimeout>>();
  private readonly subscription: Disposable;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      repositories: () => Repositories;
      events: EventBus;
      settings: DesktopSettingsStore;
      logger: Logger;
      now?: () => number;
      decision?: DecisionOptions;
      /**
       * A first message from someone new is stored before the profile lookup names them: wait this long
       * (default 1.5 s) and read the conversation again, so the notification says who wrote.
       */
      nameGraceMs?: number;
    },
  ) {
    this.subscription = options.events.subscribe((event) => this.onEvent(event));
  }

  /** Resolves when every message received so far has been decided (for tests and orderly shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private onEvent(event: AnyEvent): void {
    if (event.name !== 'inbox.messageAdded' || event.payload.direction !== 'inbound') return;
    this.enqueue(event.payload, false);
  }

  /** One at a time, in arrival order: the burst state of a conversation depends on the previous decision. */
  private enqueue(added: InboxMessageAdded, retried: boolean): void {
    this.queue = this.queue
      .then(() => this.handle(added, retried))
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'a new-message notification could not be prepared');
      });
  }

  private async handle(added: InboxMessageAdded, retried: boolean): Promise<void> {
    const settings = await this.options.settings.get();
    if (!settings.notifications) return; // nothing to look up
    const facts = await this.options.repositories().inbox.notificationFacts(added);
    if (!facts) return;
    const { conversation } = facts;
    if (!retried && !conversation.participantName && !conversation.participantUsername) {
      // Someone new: their name is not known yet; everything is read again when the notification is decided.
      const timer = setTimeout(() => {
        this.graceTimers.delete(timer);
        this.enqueue(added, true);
      }, this.options.nameGraceMs ?? 1500);
      timer.unref?.();
      this.graceTimers.add(timer);
      return;
    }
    const input = this.describe(added, facts, settings);
    if (!input) return;
    const decision = decideNotification(
      input,
      this.bursts.get(added.conversationId),
      this.options.decision ?? defaultDecisionOptions,
    );
    if (decision.action === 'skip') return;
    this.prune();
    this.bursts.set(added.conversationId, decision.burst);
    if (decision.action === 'show') {
      this.options.events.publish('desktop.notify', decision.notification);
      return;
    }
    if (!this.timers.has(added.conversationId)) {
      const timer = setTimeout(
        () => this.flush(added.conversationId),
        Math.max(0, decision.flushAt - this.now()),
      );
      timer.unref?.();
      this.timers.set(added.conversationId, timer);
    }
  }

  /** Forgets conversations whose burst window ended with nothing held, so the map stays small. */
  private prune(): void {
    if (this.bursts.size < 500) return;
    const window = (this.options.decision ?? defaultDecisionOptions).burstWindowMs;
    const now = this.now();
    for (const [id, burst] of this.bursts) {
      if (burst.held === 0 && now - burst.shownAt >= window && !this.timers.has(id)) this.bursts.delete(id);
    }
  }

  private flush(conversationId: number): void {
    this.timers.delete(conversationId);
    // In the queue, after the messages before it, with the preferences of now.
    this.queue = this.queue
      .then(async () => {
        const burst = this.bursts.get(conversationId);
        if (!burst) return;
        const settings = await this.options.settings.get();
        const { notification, burst: next } = flushBurst(burst, this.now(), settings);
        this.bursts.set(conversationId, next);
        if (notification) this.options.events.publish('desktop.notify', notification);
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'a grouped notification could not be shown');
      });
  }

  private describe(
    added: InboxMessageAdded,
    facts: NotificationFacts,
    settings: DesktopSettings,
  ): NotificationInput | null {
    const { account, conversation, message } = facts;
    if (message?.isEcho) return null;
    return {
      message: {
        accountId: added.accountId,
        conversationId: added.conversationId,
        direction: added.direction,
        kind: added.kind,
        text: message && !message.isDeleted ? message.text : null,
        createdAt: added.createdAt,
      },
      sender: { name: conversation.participantName, username: conversation.participantUsername },
      account,
      conversationStatus: conversation.status,
      settings,
      now: this.now(),
    };
  }

  dispose(): void {
    void this.subscription.dispose();
    for (const timer of [...this.timers.values(), ...this.graceTimers]) clearTimeout(timer);
    this.graceTimers.clear();
    this.timers.clear();
    this.bursts.clear();
  }
}
