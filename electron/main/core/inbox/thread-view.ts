/**
 * Stored messages → what the thread shows: attachments reduced to safe fields, quoted replies,
 * reactions by side, edit history, who sent it and its outbox state.
 *
 * Pure: the service reads the context (quoted messages, outbox rows, rule names) and passes it in.
 */
import type { AttachmentView, ThreadMessage } from '../../../../shared/contract';
import type { Message } from '../db/repositories/conversations-repository';
import type { OutboxLink } from '../db/repositories/inbox-repository';
import type { JsonValue } from '../db/validation';

/** What a thread page needs beside its messages. */
export interface ThreadContext {
  participantIgsid: string;
  quoted: Map<string, { text: string | null; kind: string; direction: string; isDeleted: boolean }>;
  outbox: Map<string, OutboxLink>;
  ruleNames: Map<string, string>;
}

/** Only http(s) URLs reach a client: a `javascript:` or `data:` URL in a payload must never become a link. */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 4096) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function text(value: unknown, max = 2000): string | null {
  if (typeof value === 'string') return value.slice(0, max);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One stored attachment entry (Instagram's, or the context ingest appends) as the thread shows it. */
export function attachmentView(item: JsonValue): AttachmentView | null {
  if (!isObject(item) || typeof item.type !== 'string') return null;
  const payload = item.payload;
  const referral = item.referral;
  let detail: string | null = null;
  if (typeof payload === 'string') detail = payload;
  else if (isObject(payload)) detail = text(payload.title) ?? text(payload.payload);
  if (isObject(referral))
    detail = [text(referral.source), text(referral.ref)].filter(Boolean).join(' · ') || null;
  return {
    type: item.type.slice(0, 64),
    url: safeUrl(item.url) ?? (isObject(payload) ? safeUrl(payload.url) : null),
    title: text(item.title, 500) ?? (isObject(payload) ? text(payload.title, 500) : null),
    detail,
  };
}

function originOf(message: Message, context: ThreadContext): ThreadMessage['origin'] {
  if (message.direction === 'inbound') return { kind: 'customer', label: null };
  const link = context.outbox.get(message.mid);
  if (link) {
    if (link.createdByKind === 'rule') {
      const name = link.createdById ? context.ruleNames.get(link.createdById) : undefined;
      return { kind: 'rule', label: name ?? 'a rule' };
    }
    if (link.createdByKind === 'staff') return { kind: 'staff', label: link.createdById };
    return { kind: 'system', label: null };
  }
  switch (message.sentBy) {
    case 'rule':
      return { kind: 'rule', label: null };
    case 'staff':
      return { kind: 'staff', label: null };
    case 'app':
      return { kind: 'app', label: null };
    case 'phone':
    case null:
      return { kind: 'phone', label: null };
    default: {
      const exhaustive: never = message.sentBy;
      return { kind: 'app', label: String(exhaustive) };
    }
  }
}

/** A stored message as the thread shows it. */
export function threadMessageView(message: Message, context: ThreadContext): ThreadMessage {
  const link = message.direction === 'outbound' ? context.outbox.get(message.mid) : undefined;
  const quoted = message.replyToMid ? context.quoted.get(message.replyToMid) : undefined;
  return {
    id: message.id,
    mid: message.mid,
    direction: message.direction,
    kind: message.kind,
    text: message.text,
    attachments: (message.attachments ?? []).flatMap((item) => {
      const view = attachmentView(item);
      return view ? [view] : [];
    }),
    replyTo: message.replyToMid
      ? {
          mid: message.replyToMid,
          found: quoted !== undefined,
          text: quoted?.text ?? null,
          kind: quoted?.kind ?? null,
          direction: quoted?.direction === 'outbound' ? 'outbound' : quoted ? 'inbound' : null,
          isDeleted: quoted?.isDeleted ?? false,
        }
      : null,
    reactions: Object.entries(message.reactions).map(([reactor, emoji]) => ({
      emoji,
      from: reactor === context.participantIgsid ? 'customer' : 'business',
    })),
    isDeleted: message.isDeleted,
    deletedAt: message.deletedAt?.toISOString() ?? null,
    edits: message.editHistory.map((edit) => ({ previousText: edit.previousText, editedAt: edit.editedAt })),
    origin: originOf(message, context),
    delivery: link
      ? {
          outboxId: link.id,
          state: link.state,
          waitKind: link.waitKind,
          errorCode: link.errorCode,
          reason: link.errorText ?? link.waitReason,
        }
      : null,
    createdAt: message.createdAt.toISOString(),
  };
}
