/**
 * The contract's view of an outbound message, and the event every state change pushes.
 */
import type { EventPayload, OutboxMessageView } from '../../../../shared/contract';
import type { EventBus } from '../api/event-bus';
import type { OutboundMessage } from '../db/repositories/outbox-repository';
import { kindOf, readPayload } from './outbox-payload';

/** The contract view of a row. */
export function toOutboxView(message: OutboundMessage): OutboxMessageView {
  let kind = 'unknown';
  let humanAgent = false;
  try {
    const payload = readPayload(message.payload);
    kind = kindOf(payload);
    humanAgent = payload.humanAgent;
  } catch {
    // A payload this version cannot read is still listed; the worker fails it with a reason.
  }
  return {
    id: message.id,
    accountId: message.accountId,
    conversationId: message.conversationId,
    state: message.state,
    waitKind: message.state === 'pending' ? message.waitKind : null,
    kind,
    text: message.text,
    origin: { kind: message.createdBy.kind, id: message.createdBy.id },
    humanAgent,
    attempts: message.attempts,
    nextAttemptAt: message.nextAttemptAt.toISOString(),
    lastAttemptAt: message.lastAttemptAt?.toISOString() ?? null,
    sentAt: message.sentAt?.toISOString() ?? null,
    graphMessageId: message.graphMessageId,
    errorCode: message.errorCode,
    reason: message.state === 'pending' ? (message.waitReason ?? message.errorText) : message.errorText,
    createdAt: message.createdAt.toISOString(),
  };
}

/** The `outbox.messageChanged` payload for a row as it is now. */
export function changeEventOf(message: OutboundMessage): EventPayload<'outbox.messageChanged'> {
  const view = toOutboxView(message);
  return {
    accountId: view.accountId,
    conversationId: view.conversationId,
    id: view.id,
    state: view.state,
    waitKind: view.waitKind,
    errorCode: view.errorCode,
    reason: view.reason,
  };
}

/** Pushes `outbox.messageChanged` for a row as it is now. */
export function publishChange(events: EventBus, message: OutboundMessage): void {
  events.publish('outbox.messageChanged', changeEventOf(message));
}
