/**
 * What ingesting one delivery did, and the helpers every phase of ingest uses to record it: events to
 * publish after the commit, messages added, counts, and the plain-words notes that make it `ignored`.
 */
import type { EventName, EventPayload } from '../../../../shared/contract';
import type { NormalisedEvent } from '../../../../shared/instagram';
import type { EventBus } from '../api/event-bus';
import { DatabaseError } from '../db/errors';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { StoredComment } from '../db/repositories/comments-repository';
import type { IngestInput, IngestResult } from '../db/repositories/conversations-repository';

/** Plain-words reasons are stored in `webhook_events.error`; keep them readable, not exhaustive. */
const REASON_MAX_CHARS = 4_000;

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
 * group, which is retried. Runs once per message added, after every event of the deliveries written with
 * it was applied. Events it adds are published after the commit.
 */
export type StoredMessageHook = (
  repos: Repositories,
  message: AddedMessage,
  events: PendingEvents,
) => Promise<void>;

/**
 * Like {@link StoredMessageHook} for several messages at once (a chunk's, in order), each with the events of
 * its own delivery.
 */
export type StoredMessagesHook = (
  repos: Repositories,
  items: readonly { message: AddedMessage; events: PendingEvents }[],
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

/** An outcome before any work: processed, nothing counted. */
export function emptyOutcome(): DeliveryOutcome {
  return {
    state: 'processed',
    reason: null,
    events: new PendingEvents(),
    lookups: [],
    counts: { messagesAdded: 0, duplicates: 0, notUnderstood: 0, unapplied: 0 },
    added: [],
    addedComments: [],
  };
}

/** An event with the connected account its entry was routed to. */
export interface Routed<E extends NormalisedEvent = NormalisedEvent> {
  account: Account;
  event: E;
}

/** Records a message this delivery added, and queues its events. */
export function recordAdded(
  outcome: DeliveryOutcome,
  accountId: string,
  result: IngestResult,
  input: IngestInput,
): void {
  outcome.counts.messagesAdded += 1;
  outcome.added.push({
    accountId,
    conversationId: result.conversationId,
    messageId: result.messageId,
    direction: input.direction,
  });
  announceStored(outcome.events, accountId, result, input);
}

/** Where the events of a stored message go: queued until a commit, or published at once. */
export interface EventSink {
  add<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

/** The events that announce a stored message: the message, and its conversation's new counters. */
export function announceStored(
  sink: EventSink,
  accountId: string,
  stored: Pick<IngestResult, 'conversationId' | 'messageId'>,
  input: IngestInput,
): void {
  sink.add('inbox.messageAdded', {
    accountId,
    conversationId: stored.conversationId,
    messageId: stored.messageId,
    direction: input.direction,
    kind: input.kind ?? 'text',
    createdAt: new Date(input.createdAt).toISOString(),
  });
  sink.add('inbox.conversationChanged', {
    accountId,
    conversationId: stored.conversationId,
    cause: 'messages',
  });
}

/** Queues the events of a change to a stored message. */
export function recordChanged(
  outcome: DeliveryOutcome,
  accountId: string,
  conversationId: number,
  messageId: number,
  change: 'deleted' | 'edited' | 'reaction',
): void {
  outcome.events.add('inbox.messageChanged', { accountId, conversationId, messageId, change });
  outcome.events.add('inbox.conversationChanged', { accountId, conversationId, cause: 'messages' });
}

/** A value the database refused as input (a mid longer than the column, say): the event's fault. */
export function isInvalidInput(error: unknown): error is DatabaseError {
  return error instanceof DatabaseError && error.code === 'DB_INVALID_INPUT';
}

export function describeEvent(event: NormalisedEvent): string {
  return `a ${event.kind} event (${event.source})`;
}

export function clip(text: string, max = REASON_MAX_CHARS): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
