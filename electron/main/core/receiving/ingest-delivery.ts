/**
 * Ingest of stored webhook deliveries: parse, route each entry to its account, turn every event into
 * rows, and say in plain words what was not understood.
 *
 * A group of deliveries (those of one transaction, opened by the worker) shares its writes: the messages
 * of every delivery are stored with one `ingestMany`, then each delivery's changes are applied, then the
 * hooks (the rules) run, and every delivery fully understood is marked processed with one statement. A
 * crash leaves either all of a group's rows or none; a retry then finds nothing half-done (and duplicates
 * change nothing anyway).
 */
import { parseWebhookBody } from '../../../../shared/instagram';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { WebhookEvent } from '../db/repositories/webhook-events-repository';
import type { StoredCommentHook } from './comment-ingest';
import {
  clip,
  emptyOutcome,
  type DeliveryOutcome,
  type Routed,
  type StoredMessagesHook,
} from './delivery-outcome';
import { applyChanges } from './message-changes';
import { createsMessage, type CreatingEvent } from './message-mapping';
import { storeMessages } from './message-store';

export {
  PendingEvents,
  type AddedMessage,
  type DeliveryOutcome,
  type StoredMessageHook,
  type StoredMessagesHook,
} from './delivery-outcome';

/** How stale `lastWebhookAt` may be before ingest moves it forward. */
const LAST_WEBHOOK_PRECISION_MS = 5_000;

const byTime = (a: Routed, b: Routed) => (a.event.timestamp ?? 0) - (b.event.timestamp ?? 0);

/**
 * Connected accounts by Instagram id (null: none), read once per transaction: a group of deliveries goes to a
 * handful of accounts. Lives only as long as the transaction, so it never outlives a change to an account.
 */
export type RoutedAccounts = Map<string, Account | null>;

/** The work that runs inside ingest's transaction for what was stored (see {@link StoredMessagesHook}). */
export interface IngestHooks {
  /** Called with the messages added, a chunk's at once, in order. */
  onStoredMany?: StoredMessagesHook | undefined;
  onComment?: StoredCommentHook | undefined;
}

/** One delivery on its way through the phases of {@link ingestDeliveries}. */
interface DeliveryWork {
  delivery: WebhookEvent;
  outcome: DeliveryOutcome;
  /** What was not understood, in plain words: any makes the delivery `ignored`. */
  notes: string[];
  /** Events that create messages, in event time. */
  creating: Routed<CreatingEvent>[];
  /** Events that change what is stored (or store elsewhere), in event time. */
  rest: Routed[];
}

/**
 * Applies a group of deliveries through `repos` (which should be bound to one transaction) and marks each
 * processed or ignored; returns their outcomes in order. Throws only for database failures; everything
 * about a payload is its delivery's outcome. `accounts` is shared by the deliveries of one transaction
 * (and only those).
 *
 * Order: every delivery's messages are stored (delivery order, each delivery's in event time), then every
 * delivery's changes (so an unsend or a reaction finds a message that arrives in a later delivery of the
 * group), then the hooks for each delivery's new messages and comments, which therefore see them after
 * every event of the group was applied.
 */
export async function ingestDeliveries(
  repos: Repositories,
  deliveries: readonly WebhookEvent[],
  hooks: IngestHooks = {},
  accounts: RoutedAccounts = new Map(),
): Promise<DeliveryOutcome[]> {
  const works: DeliveryWork[] = [];
  for (const delivery of deliveries) works.push(await route(repos, delivery, accounts));
  await storeMessages(repos, works);
  for (const work of works)
    await applyChanges(repos, work.rest, work.outcome, work.notes, work.delivery.receivedAt);
  const processed: number[] = [];
  // The new messages go to the hook together, but never past a comment of an earlier delivery: the hooks
  // run in the order the deliveries came.
  const onStored = hooks.onStoredMany;
  let added: Parameters<StoredMessagesHook>[1][number][] = [];
  const flushStored = async () => {
    if (onStored && added.length > 0) await onStored(repos, added);
    added = [];
  };
  for (const { delivery, outcome, notes } of works) {
    for (const message of outcome.added) added.push({ message, events: outcome.events });
    if (hooks.onComment && outcome.addedComments.length > 0) {
      await flushStored();
      for (const comment of outcome.addedComments) await hooks.onComment(repos, comment, outcome.events);
    }
    if (notes.length === 0) {
      processed.push(delivery.id);
      continue;
    }
    outcome.state = 'ignored';
    const stored =
      outcome.counts.messagesAdded > 0 ? ` ${outcome.counts.messagesAdded} message(s) were stored.` : '';
    outcome.reason = clip(`Not understood: ${notes.join('; ')}.${stored}`);
    await repos.webhookEvents.markIgnored(delivery.id, outcome.reason);
  }
  await flushStored();
  await repos.webhookEvents.markProcessedMany(processed);
  return works.map((work) => work.outcome);
}

/** {@link ingestDeliveries} for one delivery (a group of one). */
export async function ingestDelivery(
  repos: Repositories,
  delivery: WebhookEvent,
  hooks: IngestHooks = {},
  accounts: RoutedAccounts = new Map(),
): Promise<DeliveryOutcome> {
  const [outcome] = await ingestDeliveries(repos, [delivery], hooks, accounts);
  return outcome!;
}

/**
 * Parses one delivery, routes its entries to connected accounts (moving their "last heard from
 * Instagram" forward) and sorts its events into those that create messages and the rest.
 */
async function route(
  repos: Repositories,
  delivery: WebhookEvent,
  accounts: RoutedAccounts,
): Promise<DeliveryWork> {
  const work: DeliveryWork = { delivery, outcome: emptyOutcome(), notes: [], creating: [], rest: [] };
  const { outcome, notes } = work;
  const parsed = parseWebhookBody(delivery.rawBody);
  if (!parsed.ok) {
    outcome.counts.notUnderstood += 1;
    notes.push(`the body is not an Instagram webhook (${parsed.reason}: ${parsed.message})`);
    return work;
  }
  for (const rejected of parsed.rejectedEntries)
    notes.push(`entry ${rejected.index + 1} cannot be routed: ${rejected.reason}`);
  outcome.counts.notUnderstood += parsed.rejectedEntries.length;

  const routed: Routed[] = [];
  for (const entry of parsed.entries) {
    let account = accounts.get(entry.accountId);
    if (account === undefined) {
      account = await repos.accounts.getByInstagramId(entry.accountId);
      accounts.set(entry.accountId, account);
    }
    if (!account) {
      outcome.counts.notUnderstood += entry.events.length;
      notes.push(
        `entry for Instagram account ${entry.accountId} (${entry.events.length} event(s)): no connected account has this id`,
      );
      continue;
    }
    // "Last heard from Instagram" (the receiver also sets it when acknowledging): one write per account
    // per interval is enough, not one per delivery.
    if (
      !account.lastWebhookAt ||
      delivery.receivedAt.getTime() - account.lastWebhookAt.getTime() > LAST_WEBHOOK_PRECISION_MS
    ) {
      await repos.accounts.touchLastWebhook(account.id, delivery.receivedAt);
      account.lastWebhookAt = delivery.receivedAt;
    }
    for (const event of entry.events) routed.push({ account, event });
  }
  // New rows first, then what changes them, each in event time: within one delivery a reaction or an
  // unsend of a message in the same POST always finds its message, whatever order Meta used.
  work.creating = routed.filter((r): r is Routed<CreatingEvent> => createsMessage(r.event)).sort(byTime);
  work.rest = routed.filter((r) => !createsMessage(r.event)).sort(byTime);
  return work;
}
