/**
 * What an outbox row's `payload` holds: the content to send, without the recipient (taken from the
 * conversation at send time) and without the messaging policy (decided at each attempt).
 */
import { z } from 'zod';
import type { JsonValue } from '../db/validation';
import type { MessagingPolicy, SendMessageInput } from '../instagram';

const quickReply = z.union([
  z.object({ contentType: z.literal('text'), title: z.string(), payload: z.string() }).strict(),
  z.object({ contentType: z.literal('user_phone_number') }).strict(),
]);

const outgoingMessage = z.union([
  z
    .object({
      type: z.literal('text'),
      text: z.string(),
      quickReplies: z.array(quickReply).readonly().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('attachment'),
      mediaType: z.enum(['image', 'audio', 'video', 'file']),
      url: z.string(),
    })
    .strict(),
  z.object({ type: z.literal('like_heart') }).strict(),
]);

const content = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('message'), message: outgoingMessage, replyToMid: z.string().optional() })
    .strict(),
  z.object({ kind: z.literal('private_reply'), commentId: z.string(), message: outgoingMessage }).strict(),
  z
    .object({
      kind: z.literal('react'),
      messageId: z.string(),
      reaction: z.enum(['love', 'like', 'laugh', 'wow', 'sad', 'angry', 'other']),
    })
    .strict(),
  z.object({ kind: z.literal('unreact'), messageId: z.string() }).strict(),
]);

const payloadSchema = z
  .object({
    v: z.literal(1),
    content,
    /** Staff asked for HUMAN_AGENT after 24 hours. Never set for automation. */
    humanAgent: z.boolean(),
    templateId: z.string().optional(),
  })
  .strict();

/** The stored payload. */
export type OutboxPayload = z.infer<typeof payloadSchema>;
/** The content of a send. */
export type OutboxContent = OutboxPayload['content'];

/** Reads a stored payload; throws when it is not one this version wrote. */
export function readPayload(value: JsonValue): OutboxPayload {
  return payloadSchema.parse(value);
}

/** The payload as stored JSON. */
export function toPayloadJson(payload: OutboxPayload): JsonValue {
  return payload as unknown as JsonValue;
}

/** A short name for the content, for views. */
export function kindOf(payload: OutboxPayload): string {
  const { content: c } = payload;
  if (c.kind === 'message') return c.message.type;
  return c.kind;
}

/** The Send API call for an attempt. */
export function toSendInput(
  payload: OutboxPayload,
  recipientId: string,
  policy: MessagingPolicy,
): SendMessageInput {
  const c = payload.content;
  switch (c.kind) {
    case 'message':
      return {
        kind: 'message',
        recipientId,
        message: c.message,
        ...(c.replyToMid ? { replyToMid: c.replyToMid } : {}),
        policy,
      };
    case 'private_reply':
      return { kind: 'private_reply', commentId: c.commentId, message: c.message };
    case 'react':
      return { kind: 'react', recipientId, messageId: c.messageId, reaction: c.reaction };
    case 'unreact':
      return { kind: 'unreact', recipientId, messageId: c.messageId };
  }
}
