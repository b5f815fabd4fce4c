/**
 * Builds the outbox (sender, delivery worker, contract service) for the composition root.
 */
import type { AccountsService } from '../accounts/accounts-service';
import type { KeyService } from '../accounts/key-service';
import type { EventBus } from '../api/event-bus';
import type { DatabaseService } from '../database-service';
import { createGraphInstagramClientFactory, type InstagramClientFactory } from '../instagram';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker';
import { MessageSender } from './message-sender';
import { noSavedTemplates, type TemplateLookup } from './message-templates';
import { OutboxService } from './outbox-service';

/** Timings, clock and ports the core's caller may change (tests make them small). */
export type OutboxTuning = Partial<
  Pick<
    DeliveryWorkerOptions,
    | 'now'
    | 'retry'
    | 'random'
    | 'staleSendingMs'
    | 'holdRecheckMs'
    | 'maxSleepMs'
    | 'jitterGuardMs'
    | 'batchSize'
    | 'sendsInFlight'
    | 'unpaced'
  >
> & {
  /** Timeout of each Send API call (default: the Graph client's 15 s). */
  graphTimeoutMs?: number;
  /** Saved templates (default: none yet). */
  templates?: TemplateLookup;
  clientFactory?: InstagramClientFactory;
};

/** The running outbox. */
export interface Outbox extends Disposable {
  readonly sender: MessageSender;
  readonly worker: DeliveryWorker;
  readonly service: OutboxService;
  /** Starts delivering once the database and the encryption key are both ready (call again on changes). */
  startWhenReady(): void;
}

/** Wires the outbox to the core's services. */
export function createOutbox(deps: {
  database: DatabaseService;
  keys: KeyService;
  accounts: AccountsService;
  events: EventBus;
  logger: Logger;
  graphUrl: string | undefined;
  tuning?: OutboxTuning;
}): Outbox {
  const tuning = deps.tuning ?? {};
  const repositories = () => deps.database.repositories;
  const clientFactory =
    tuning.clientFactory ??
    createGraphInstagramClientFactory({
      ...(deps.graphUrl ? { baseUrl: deps.graphUrl } : {}),
      ...(tuning.graphTimeoutMs ? { timeoutMs: tuning.graphTimeoutMs } : {}),
    });
  const { graphTimeoutMs: _timeout, templates, clientFactory: _factory, ...workerTuning } = tuning;
  const worker = new DeliveryWorker({
    repositories,
    credentials: (account) => deps.accounts.decryptAll(account),
    clientFactory,
    events: deps.events,
    logger: deps.logger,
    // SQLite is opened by one process only: what it left `sending` is abandoned at start.
    exclusiveDatabase: deps.database.initialStatus().dialect === 'sqlite',
    groupCommits: deps.database.initialStatus().dialect === 'sqlite',
    ...workerTuning,
  });
  const sender = new MessageSender({
    repositories,
    events: deps.events,
    templates: templates ?? noSavedTemplates,
    onQueued: () => worker.notify(),
  });
  const service = new OutboxService({
    repositories,
    events: deps.events,
    sender,
    worker,
    ...(tuning.now ? { now: tuning.now } : {}),
  });
  return {
    sender,
    worker,
    service,
    startWhenReady: () => {
      if (deps.database.isReady && deps.keys.getStatus().state === 'ready') worker.start();
    },
    dispose: async () => {
      service.dispose();
      await worker.dispose();
    },
  };
}
