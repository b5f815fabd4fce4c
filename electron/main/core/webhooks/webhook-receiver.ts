/**
 * The receiver on the main thread: the routes, their account source, delivery store and security log.
 *
 * The app normally runs the routes in a thread of their own (receiver-thread-host.ts) and keeps only the
 * sink here; this composite serves the routes on the main thread, where the thread cannot start.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountsService } from '../accounts/accounts-service';
import type { KeyService } from '../accounts/key-service';
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import { MainAccountSource } from './account-cache';
import { DeliveryStore } from './delivery-store';
import { SecurityLog, type Refusal } from './security-log';
import { WebhookRoutesHandler, type ReceiverSink } from './webhook-routes';

/** `lastWebhookAt` is "last heard from Instagram", not a counter: one write per account per interval. */
const TOUCH_INTERVAL_MS = 5_000;

/**
 * Whether to group-commit deliveries (`SWITCHBOARD_GROUP_COMMIT=0|1` overrides, for the benchmark). Measured
 * with `npm run bench -- webhook` (docs/webhook-receiver.md): on SQLite, whose commits block the thread, it
 * multiplies acknowledged deliveries per second; on MariaDB, since the receiver has a thread of its own, it
 * also wins (2,808/s against 1,808/s without, and 2,597 against 2,001 in an earlier run).
 */
export function groupCommitFor(override: string | undefined): boolean {
  return override !== '0';
}

/** Where the routes' reports land on the main thread: the security log, ingest and the account's last-heard time. */
export class MainReceiverSink implements ReceiverSink, Disposable {
  readonly securityLog: SecurityLog;
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly deps: {
      repositories: () => Repositories;
      ingest: { notify(): void };
      logger: Logger;
      /** A delivery went to the spool (instead of `webhook_events`): copy it on. */
      spooled?: () => void;
    },
  ) {
    this.securityLog = new SecurityLog({ repositories: deps.repositories, logger: deps.logger });
  }

  refused(refusal: Refusal): void {
    this.securityLog.record(refusal);
  }

  /** `spooled` when the delivery went to the spool: ingest is woken once it is copied from there. */
  stored(accountId: string, at: Date, spooled = false): void {
    if (spooled) this.deps.spooled?.();
    else this.deps.ingest.notify();
    const last = this.touched.get(accountId) ?? 0;
    if (at.getTime() - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(accountId, at.getTime());
    try {
      this.deps
        .repositories()
        .accounts.touchLastWebhook(accountId, at)
        .catch((error: unknown) => this.deps.logger.debug({ err: error }, 'last webhook time not saved'));
    } catch (error) {
      this.deps.logger.debug({ err: error }, 'last webhook time not saved');
    }
  }

  dispose(): Promise<void> {
    return this.securityLog.dispose();
  }
}

/** What the receiver needs from the core. */
export interface WebhookReceiverDeps {
  repositories: () => Repositories;
  accounts: Pick<AccountsService, 'decryptAll'>;
  keys: Pick<KeyService, 'getStatus'>;
  events: EventBus;
  ingest: { notify(): void };
  logger: Logger;
  /** Off = one transaction per delivery (only for measuring what group commit brings). */
  groupCommit?: boolean;
  maxBodyBytes?: number;
}

/** The whole receiver on the main thread; attach it to the webhook server. */
export class WebhookReceiver implements Disposable {
  readonly store: DeliveryStore;
  readonly sink: MainReceiverSink;
  private readonly accounts: MainAccountSource;
  private readonly routes: WebhookRoutesHandler;

  constructor(deps: WebhookReceiverDeps) {
    this.accounts = new MainAccountSource(deps);
    this.store = new DeliveryStore({
      repositories: deps.repositories,
      logger: deps.logger,
      ...(deps.groupCommit === undefined ? {} : { groupCommit: deps.groupCommit }),
    });
    this.sink = new MainReceiverSink(deps);
    this.routes = new WebhookRoutesHandler({
      accounts: this.accounts,
      store: this.store,
      sink: this.sink,
      logger: deps.logger,
      ...(deps.maxBodyBytes === undefined ? {} : { maxBodyBytes: deps.maxBodyBytes }),
    });
  }

  get securityLog(): SecurityLog {
    return this.sink.securityLog;
  }

  matches(request: IncomingMessage): boolean {
    return this.routes.matches(request);
  }

  handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    return this.routes.handle(request, response);
  }

  /** Nothing in flight is left behind: refusals reported so far are written. */
  async settle(): Promise<void> {
    await this.securityLog.flush();
  }

  async dispose(): Promise<void> {
    await this.routes.dispose();
    await this.sink.dispose();
    this.accounts.dispose();
  }
}
