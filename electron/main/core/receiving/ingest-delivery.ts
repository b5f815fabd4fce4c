/**
 * Ingest of one stored webhook delivery: parse, route each entry to its account, turn every event into
 * rows, and say in plain words what was not understood.
 *
 * Runs inside one transaction opened by the worker, so a crash leaves either all of a delivery's rows
 * or none; a retry after a crash then finds nothing half-done (and duplicates change nothing anyway).
 */
import type { EventName, EventPayload } from '../../../../shared/contract';
import { parseWebhookBody } from '../../../../shared/instagram';
import type {
  MessageDeletedEvent,
  MessageEditEvent,
  NormalisedEvent,
  ReactionEvent,
  ReadEvent,
} from '../../../../shared/instagram';
import type { EventBus } from '../api/event-bus';
import { DatabaseError } from '../db/errors';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { StoredComment } from '../db/repositories/comments-repository';
import type { IngestInput, IngestResult } from '../db/repositories/conversations-repository';
import type { WebhookEvent } from '../db/repositories/webhook-events-repository';
import { changeEventOf } from '../outbox/outbox-view';
import { storeComment, type StoredCommentHook } from './comment-ingest';
import { createsMessage, rawEventOf, toIngestInput, type CreatingEvent } from './message-mapping';

/** Plain-words reasons are stored in `webhook_events.error`; keep them readable, not exhaustive. */
const REASON_MAX_CHARS = 4_000;
/** How stale `lastWebhookAt` may be before ingest moves it forward. */
const LAST_WEBHOOK_PRECISION_MS = 5_000;

/** Events to publish once the delivery's transaction has committed (never before: a rollback would lie). */
export class PendingEvents {
  private readonly items: ((bus: EventBus) => void)[] = [];
  private readonly keys = new Set<string>();

  /** Queues an event; an identical one already queued (same conversation changed twice) is dropped. */
  add<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const key = `${name}:${JSON.stringify(payload)}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.items.push((bus) => bus.publish(name, payload));
  }

  publishTo(bus: EventBus): void {
    for (const item of this.items) item(bus);
  }

  get size(): number {
    return this.items.length;
  }
}

/** A message ingest has just added (not a duplicate). */
export interface AddedMessage {
  accountId: string;
  conversationId: number;
  messageId: number;
  direction: 'inbound' | 'outbound';
}

/**
 * Work that belongs to a message's arrival, done inside ingest's transaction so that it commits with the
 * message or not at all (the rules: a decision, and the reply it queues). It must not throw for the
 * message's sake (a failure of its own is its to record); a database failure it rethrows rolls back the
 * delivery, which is retried. Events it adds are published after the commit.
 */
export type StoredMessageHook = (
  repos: Repositories,
  message: AddedMessage,
  events: PendingEvents,
) => Promise<void>;

/** What ingesting one delivery did. */
export interface DeliveryOutcome {
  /** `processed` when every event was understood and routed; otherwise `ignored` with `reason`. */
  state: 'processed' | 'ignored';
  reason: string | null;
  events: PendingEvents;
  /** People whose names may be fetched now that their messages are stored. */
  lookups: { accountId: string; igsid: string }[];
  counts: {
    messagesAdded: number;
    /** Events that changed nothing because they were already applied (Meta's retries). */
    duplicates: number;
    /** Events whose own shape, or whose account, Switchboard does not know. */
    notUnderstood: number;
    /** Reactions to messages Switchboard never stored (e.g. older than the account's connection). */
    unapplied: number;
  };
  /** The messages added, in the order they were stored. */
  added: AddedMessage[];
  /** The comments added (not duplicates), in event time. */
  addedComments: StoredComment[];
}

/** An event with the connected account its entry was routed to. */
interface Routed<E extends NormalisedEvent = NormalisedEvent> {
  account: Account;
  event: E;
}

const byTime = (a: Routed, b: Routed) => (a.event.timestamp ?? 0) - (b.event.timestamp ?? 0);

/**
 * Connected accounts by Instagram id (null: none), read once per transaction: a group of deliveries goes to a
 * handful of accounts. Lives only as long as the transaction, so it never outlives a change to an account.
 */
export type RoutedAccounts = Map<string, Account | null>;

/**
 * Applies one delivery through `repos` (which should be bound to a transaction) and marks it processed
 * or ignored. Throws only for database failures; everything about the payload is an outcome. `accounts`
 * is shared by the deliveries of one transaction (and only those).
 */
export async function ingestDelivery(
  repos: Repositories,
  delivery: WebhookEvent,
  onStored?: StoredMessageHook,
  onComment?: StoredCommentHook,
  accounts: RoutedAccounts = new Map(),
): Promise<DeliveryOutcome> {
  const outcome: DeliveryOutcome = {
    state: 'processed',
    reason: null,
    events: new PendingEvents(),
    lookups: [],
    counts: { messagesAdded: 0, duplicates: 0, notUnderstood: 0, unapplied: 0 },
    added: [],
    addedComments: [],
  };
  const notes: string[] = [];
  const parsed = parseWebhookBody(delivery.rawBody);
  if (!parsed.ok) {
    outcome.counts.notUnderstood += 1;
    notes.push(`the body is not an Instagram webhook (${parsed.reason}: ${parsed.message})`);
  } else {
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
    await applyEvents(repos, routed, outcome, notes, delivery.receivedAt);
    // After every event of the delivery is applied: an unsend in the same POST is seen by the rules.
    if (onStored) for (const message of outcome.added) await onStored(repos, message, outcome.events);
    if (onComment)
      for (const comment of outcome.addedComments) await onComment(repos, comment, outcome.events);
  }

  if (notes.length > 0) {
    outcome.state = 'ignored';
    const stored =
      outcome.counts.messagesAdded > 0 ? ` ${outcome.counts.messagesAdded} message(s) were stored.` : '';
    outcome.reason = clip(`Not understood: ${notes.join('; ')}.${stored}`);
    await repos.webhookEvents.markIgnored(delivery.id, outcome.reason);
  } else {
    await repos.webhookEvents.markProcessed(delivery.id);
  }
  return outcome;
}

async function applyEvents(
  repos: Repositories,
  routed: Routed[],
  outcome: DeliveryOutcome,
  notes: string[],
  receivedAt: Date,
): Promise<void> {
  // New rows first, then what changes them, each in event time: within one delivery a reaction or
  // an unsend of a message in the same POST always finds its message, whatever order Meta used.
  const creating = routed.filter((r): r is Routed<CreatingEvent> => createsMessage(r.event)).sort(byTime);
  await storeMessages(repos, creating, outcome, notes);

  const rest = routed.filter((r) => !createsMessage(r.event)).sort(byTime);
  for (const { account, event } of rest) {
    switch (event.kind) {
      case 'message_deleted':
        await applyDelete(repos, account, event, outcome);
        break;
      case 'message_edit':
        await applyEdit(repos, account, event, outcome, notes);
        break;
      case 'reaction':
        await applyReaction(repos, account, event, outcome);
        break;
      case 'read':
        await applyRead(repos, account, event, outcome);
        break;
      case 'comment': {
        const stored = await storeComment(repos, account, event, receivedAt, outcome.events);
        if (stored.status === 'added') outcome.addedComments.push(stored.comment);
        else if (stored.status === 'duplicate') outcome.counts.duplicates += 1;
        else {
          outcome.counts.notUnderstood += 1;
          notes.push(`comment ${clip(event.commentId, 40)} could not be stored: ${stored.reason}`);
        }
        break;
      }
      case 'mention':
      case 'optin':
      case 'handover':
        // No table holds these yet; the stored delivery keeps them whole (see the report in the issue).
        break;
      case 'unknown':
        outcome.counts.notUnderstood += 1;
        notes.push(`a ${event.source} item: ${event.reason}`);
        break;
      case 'message':
      case 'echo':
      case 'postback':
      case 'referral':
        break;
      default: {
        const exhaustive: never = event;
        throw new Error(`unhandled event ${JSON.stringify(exhaustive)}`);
      }
    }
  }
}

async function storeMessages(
  repos: Repositories,
  creating: Routed<CreatingEvent>[],
  outcome: DeliveryOutcome,
  notes: string[],
): Promise<void> {
  if (creating.length === 0) return;
  // Echoes of our own sends are the app's; one whose send outcome was lost (a crash) is resolved by it.
  const inputs: IngestInput[] = [];
  for (const { account, event } of creating) {
    let sentBy: 'app' | 'phone' = 'phone';
    if (event.kind === 'echo') {
      const { ours, resolved } = await repos.outbox.reconcileEcho({
        accountId: account.id,
        participantIgsid: event.customerId,
        mid: event.message.mid,
        text: event.message.text,
        at: new Date(event.timestamp),
      });
      if (ours) sentBy = 'app';
      if (resolved) outcome.events.add('outbox.messageChanged', changeEventOf(resolved));
    }
    inputs.push(toIngestInput(event, account.id, sentBy));
  }
  let results: (IngestResult | undefined)[];
  try {
    results = await repos.conversations.ingestMany(inputs);
  } catch (error) {
    if (!isInvalidInput(error)) throw error;
    // One bad event (a mid longer than any real one, say) must not block its siblings: store one by one.
    results = [];
    for (const [i, input] of inputs.entries()) {
      try {
        results.push(await repos.conversations.ingest(input));
      } catch (inner) {
        if (!isInvalidInput(inner)) throw inner;
        results.push(undefined);
        outcome.counts.notUnderstood += 1;
        notes.push(`${describeEvent(creating[i]!.event)} could not be stored: ${inner.message}`);
      }
    }
  }
  results.forEach((result, i) => {
    const { account, event } = creating[i]!;
    const input = inputs[i]!;
    if (!result) return;
    if (!result.inserted) {
      outcome.counts.duplicates += 1;
      return;
    }
    added(outcome, account.id, result, input);
    outcome.lookups.push({ accountId: account.id, igsid: event.customerId });
  });
}

function added(outcome: DeliveryOutcome, accountId: string, result: IngestResult, input: IngestInput): void {
  outcome.counts.messagesAdded += 1;
  outcome.added.push({
    accountId,
    conversationId: result.conversationId,
    messageId: result.messageId,
    direction: input.direction,
  });
  outcome.events.add('inbox.messageAdded', {
    accountId,
    conversationId: result.conversationId,
    messageId: result.messageId,
    direction: input.direction,
    kind: input.kind ?? 'text',
    createdAt: new Date(input.createdAt).toISOString(),
  });
  outcome.events.add('inbox.conversationChanged', { accountId, conversationId: result.conversationId });
}

/**
 * A row for a message Switchboard has not seen, so that an unsend or an edit that arrives before its
 * message (or for a message older than the connection) still ends in the right state: when the
 * original arrives later it is a duplicate mid and changes nothing.
 */
async function placeholder(
  repos: Repositories,
  account: Account,
  event: MessageDeletedEvent | MessageEditEvent,
  outcome: DeliveryOutcome,
): Promise<void> {
  const fromBusiness = event.senderId === event.businessId;
  const input: IngestInput = {
    accountId: account.id,
    participantIgsid: event.customerId,
    mid: event.mid,
    direction: fromBusiness ? 'outbound' : 'inbound',
    ...(fromBusiness ? { isEcho: true, sentBy: 'phone' as const } : {}),
    kind: 'text',
    text: null,
    rawEvent: rawEventOf(event),
    createdAt: new Date(event.timestamp),
  };
  const result = await repos.conversations.ingest(input);
  if (result.inserted) added(outcome, account.id, result, input);
}

async function applyDelete(
  repos: Repositories,
  account: Account,
  event: MessageDeletedEvent,
  outcome: DeliveryOutcome,
): Promise<void> {
  let message = await repos.conversations.getMessageByMid(account.id, event.mid);
  if (message?.isDeleted) {
    outcome.counts.duplicates += 1;
    return;
  }
  if (!message) {
    await placeholder(repos, account, event, outcome);
    message = await repos.conversations.getMessageByMid(account.id, event.mid);
    if (!message) return;
  } else if (message.text !== null || message.attachments !== null) {
    // The repository clears the text on unsend; the audit log keeps the copy staff may need later.
    await repos.audit.record({
      actor: 'instagram',
      action: 'message.unsent',
      entityType: 'message',
      entityId: String(message.id),
      accountId: account.id,
      before: { mid: message.mid, kind: message.kind, text: message.text, attachments: message.attachments },
      at: new Date(event.timestamp),
    });
  }
  await repos.conversations.markMessageDeleted(account.id, event.mid, new Date(event.timestamp));
  changed(outcome, account.id, message.conversationId, message.id, 'deleted');
}

async function applyEdit(
  repos: Repositories,
  account: Account,
  event: MessageEditEvent,
  outcome: DeliveryOutcome,
  notes: string[],
): Promise<void> {
  if (event.text === null) {
    outcome.counts.notUnderstood += 1;
    notes.push(`an edit of message ${clip(event.mid, 40)} carried no text`);
    return;
  }
  let message = await repos.conversations.getMessageByMid(account.id, event.mid);
  if (!message) {
    await placeholder(repos, account, event, outcome);
    message = await repos.conversations.getMessageByMid(account.id, event.mid);
    if (!message) return;
  }
  // Edits are counted by Meta (`num_edit`); an edit we already hold, or an older one arriving late,
  // must not be applied again (the repository appends to the history on every call).
  const seen = message.editHistory.some((edit) =>
    event.numEdit !== null && edit.numEdit !== null
      ? edit.numEdit >= event.numEdit
      : Date.parse(edit.editedAt) >= event.timestamp,
  );
  if (seen) {
    outcome.counts.duplicates += 1;
    return;
  }
  await repos.conversations.recordEdit(account.id, event.mid, {
    text: event.text,
    editedAt: new Date(event.timestamp),
    numEdit: event.numEdit,
  });
  changed(outcome, account.id, message.conversationId, message.id, 'edited');
}

async function applyReaction(
  repos: Repositories,
  account: Account,
  event: ReactionEvent,
  outcome: DeliveryOutcome,
): Promise<void> {
  // The emoji is what the thread draws; the reaction name (`love`) when Meta sent no emoji.
  const value = event.action === 'unreact' ? null : (event.emoji ?? event.reaction ?? 'other');
  const applied = await repos.conversations.setReaction(account.id, event.mid, event.senderId, value);
  if (!applied) {
    outcome.counts.unapplied += 1;
    return;
  }
  const message = await repos.conversations.getMessageByMid(account.id, event.mid);
  if (message) changed(outcome, account.id, message.conversationId, message.id, 'reaction');
}

async function applyRead(
  repos: Repositories,
  account: Account,
  event: ReadEvent,
  outcome: DeliveryOutcome,
): Promise<void> {
  // Nothing to store (no "seen" column; see the issue note): the thread shows it live.
  const conversation = await repos.conversations.findConversation(account.id, event.customerId);
  if (!conversation) return;
  outcome.events.add('inbox.messageSeen', {
    accountId: account.id,
    conversationId: conversation.id,
    mid: event.mid,
    seenAt: new Date(event.timestamp).toISOString(),
  });
}

function changed(
  outcome: DeliveryOutcome,
  accountId: string,
  conversationId: number,
  messageId: number,
  change: 'deleted' | 'edited' | 'reaction',
): void {
  outcome.events.add('inbox.messageChanged', { accountId, conversationId, messageId, change });
  outcome.events.add('inbox.conversationChanged', { accountId, conversationId });
}

function isInvalidInput(error: unknown): error is DatabaseError {
  return error instanceof DatabaseError && error.code === 'DB_INVALID_INPUT';
}

function describeEvent(event: NormalisedEvent): string {
  return `a ${event.kind} event (${event.source})`;
}

function clip(text: string, max = REASON_MAX_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
