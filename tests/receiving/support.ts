/**
 * Helpers for ingest tests: accounts with unique ids, deliveries built by the sandbox's webhook
 * simulator, a worker wired to a recording event bus.
 */
import { EventBus, type AnyEvent } from '../../electron/main/core/api/event-bus';
import type { Repositories } from '../../electron/main/core/db/repositories';
import type { Account } from '../../electron/main/core/db/repositories/accounts-repository';
import { silentLogger } from '../../electron/main/core/lib/logger';
import type { StoredMessagesHook } from '../../electron/main/core/receiving/ingest-delivery';
import { IngestWorker } from '../../electron/main/core/receiving/ingest-worker';
import type { ProfileLookup } from '../../electron/main/core/receiving/profile-lookup';
import {
  buildCustomerEvent,
  buildEcho,
  buildEnvelope,
  serializeLikeMeta,
  type CustomerEvent,
  type WebhookItem,
} from '../../electron/main/sandbox';

let counter = 0;

/** A fresh 17-digit professional-account id (no two tests share an account). */
export function newInstagramId(): string {
  counter += 1;
  return `1784140${String(Date.now() % 1e6).padStart(6, '0')}${String(counter).padStart(4, '0')}`;
}

/** A connected account for a fresh Instagram id. */
export async function createAccount(repos: Repositories): Promise<Account> {
  const instagramAccountId = newInstagramId();
  return repos.accounts.create({ instagramAccountId, username: `acct_${instagramAccountId.slice(-6)}` });
}

/** A Meta-looking mid (base64-ish, long) that is unique per call and readable in failures. */
export function mid(label: string): string {
  counter += 1;
  return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx${label}_${counter}_${'Q'.repeat(80)}`;
}

/** Builds one customer event the way the sandbox's webhook simulator does. */
export function customerItem(
  accountIgId: string,
  customerId: string,
  timestamp: number,
  event: CustomerEvent,
  options: { mid?: string; standby?: boolean } = {},
): WebhookItem {
  return buildCustomerEvent(
    {
      accountId: accountIgId,
      customerId,
      customerUsername: `user_${customerId.slice(-4)}`,
      timestamp,
      mid: options.mid ?? mid('x'),
      loginType: 'instagram',
      newCommentId: () => `1790000000${String(++counter).padStart(7, '0')}`,
      newMediaId: () => `1800000000${String(++counter).padStart(7, '0')}`,
      ...(options.standby ? { standby: true } : {}),
    },
    event,
  );
}

/** The echo Meta sends for a message the account sent. */
export function echoItem(
  accountIgId: string,
  customerId: string,
  timestamp: number,
  echoMid: string,
  text: string,
): WebhookItem {
  return buildEcho({ accountId: accountIgId, customerId, timestamp, mid: echoMid, text, attachments: [] });
}

/** The POST body Meta would send for these items, serialised like Meta. */
export function body(items: readonly WebhookItem[], sentAt = Date.now()): string {
  return serializeLikeMeta(buildEnvelope(items, sentAt));
}

/** Stores a delivery as the receiver does after checking its signature. */
export function store(repos: Repositories, rawBody: string): Promise<number> {
  return repos.webhookEvents.record({
    rawBody,
    headers: { 'content-type': 'application/json' },
    signatureValid: true,
  });
}

/** A worker over `repos` whose published events are recorded. */
export function startWorker(
  repos: Repositories,
  options: {
    profileLookup?: ProfileLookup;
    writeContended?: () => boolean;
    onStoredMany?: StoredMessagesHook;
  } = {},
): { worker: IngestWorker; published: AnyEvent[]; drain: () => Promise<void> } {
  const published: AnyEvent[] = [];
  const events = new EventBus();
  events.subscribe((event) => published.push(event));
  const worker = new IngestWorker({
    repositories: () => repos,
    events,
    logger: silentLogger(),
    ...options,
  });
  worker.start();
  return {
    worker,
    published,
    drain: async () => {
      worker.notify();
      await worker.whenIdle();
    },
  };
}

/** Events of one name, with their payloads typed loosely for assertions. */
export function eventsNamed(
  published: readonly AnyEvent[],
  name: AnyEvent['name'],
): Record<string, unknown>[] {
  return published
    .filter((event) => event.name === name)
    .map((event) => event.payload as Record<string, unknown>);
}
