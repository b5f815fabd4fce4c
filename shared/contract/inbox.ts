import { z } from 'zod';
import { event } from './define';

/** ISO 8601 instant in UTC (`2025-11-01T15:26:23.728Z`): events cross JSON transports. */
const isoInstant = z.string();

const messageRef = {
  accountId: z.string(),
  conversationId: z.number().int(),
  messageId: z.number().int(),
};

export const inboxMessageAddedSchema = z
  .object({
    ...messageRef,
    direction: z.enum(['inbound', 'outbound']),
    /** What the message is (text, image, story_reply, postback, …), as stored. */
    kind: z.string(),
    /** When it happened on Instagram (the event's timestamp), not when it arrived. */
    createdAt: isoInstant,
  })
  .strict();

export const inboxMessageChangedSchema = z
  .object({
    ...messageRef,
    change: z.enum(['deleted', 'edited', 'reaction']),
  })
  .strict();

export const inboxConversationChangedSchema = z
  .object({ accountId: z.string(), conversationId: z.number().int() })
  .strict();

export const inboxMessageSeenSchema = z
  .object({
    accountId: z.string(),
    conversationId: z.number().int(),
    /** The person saw the thread up to this message. */
    mid: z.string(),
    seenAt: isoInstant,
  })
  .strict();

export const inboxCommentReceivedSchema = z
  .object({
    accountId: z.string(),
    commentId: z.string(),
    mediaId: z.string().nullable(),
    text: z.string().nullable(),
    fromId: z.string().nullable(),
    fromUsername: z.string().nullable(),
    /** Set when the comment answers another comment. */
    parentId: z.string().nullable(),
    /** When Meta sent it (comments carry no time of their own); null when unknown. */
    createdAt: isoInstant.nullable(),
  })
  .strict();

export type InboxMessageAdded = z.infer<typeof inboxMessageAddedSchema>;
export type InboxMessageChanged = z.infer<typeof inboxMessageChangedSchema>;
export type InboxConversationChanged = z.infer<typeof inboxConversationChangedSchema>;
export type InboxMessageSeen = z.infer<typeof inboxMessageSeenSchema>;
export type InboxCommentReceived = z.infer<typeof inboxCommentReceivedSchema>;

export const inboxEvents = {
  'inbox.messageAdded': event({
    summary:
      'A message was stored (inbound, or an echo of one the account sent); published once per message, never for a duplicate.',
    payload: inboxMessageAddedSchema,
  }),
  'inbox.messageChanged': event({
    summary: 'A stored message was unsent, edited or reacted to.',
    payload: inboxMessageChangedSchema,
  }),
  'inbox.conversationChanged': event({
    summary: 'A conversation changed (new message, counters, participant name); reload its row.',
    payload: inboxConversationChangedSchema,
  }),
  'inbox.messageSeen': event({
    summary: 'The person saw the thread up to a message (Instagram "seen").',
    payload: inboxMessageSeenSchema,
  }),
  'inbox.commentReceived': event({
    summary: "A comment on one of the account's posts arrived (input for comment-to-DM rules).",
    payload: inboxCommentReceivedSchema,
  }),
} as const;
