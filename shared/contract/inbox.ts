import { z } from 'zod';
import { event, method } from './define';

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
  .object({
    accountId: z.string(),
    conversationId: z.number().int(),
    /**
     * What changed, when the publisher knows: its messages (counters, last message), the participant's
     * name, or the conversation's own state (status, labels, assignee, notes, automation pause: staff).
     */
    cause: z.enum(['messages', 'participant', 'staff']).optional(),
  })
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

/*
 * Methods: the inbox screen's reads and the staff's changes to a conversation. Cursors are opaque
 * strings (keyset positions, not offsets): pass `nextCursor` back as `cursor` for the next page.
 */

export const conversationStatusSchema = z.enum(['active', 'archived', 'blocked']);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

const conversationId = z.number().int().positive();
const label = z.string().trim().min(1, 'A label needs a name').max(64, 'Labels have up to 64 characters');
const staffName = z.string().trim().min(1).max(255);

export const inboxFilterSchema = z
  .object({
    /** Only these accounts (empty means none). */
    accountIds: z.array(z.string().min(1).max(64)).max(1000).optional(),
    /** Only accounts of this client (the account's client name). */
    clientName: z.string().min(1).max(255).optional(),
    /** Default `active`. */
    status: conversationStatusSchema.optional(),
    /** Only conversations with unread messages. */
    unread: z.boolean().optional(),
    /** Only conversations whose last message came from the person. */
    needsReply: z.boolean().optional(),
    /** Only conversations whose 24-hour window closes within 4 hours (last inbound 20–24 h ago). */
    windowClosing: z.boolean().optional(),
    label: label.optional(),
    assignedTo: staffName.optional(),
    /** Words to find in participants' names and usernames and in message text (all words must match). */
    search: z.string().max(200).optional(),
  })
  .strict();
export type InboxFilter = z.infer<typeof inboxFilterSchema>;

export const conversationRowSchema = z
  .object({
    id: z.number().int(),
    accountId: z.string(),
    participantIgsid: z.string(),
    participantName: z.string().nullable(),
    participantUsername: z.string().nullable(),
    status: conversationStatusSchema,
    lastMessageAt: isoInstant.nullable(),
    /** The 24-hour window runs from here. */
    lastInboundAt: isoInstant.nullable(),
    lastMessagePreview: z.string().nullable(),
    /** Kind and direction of the last message, for the preview's icon; null when unknown. */
    lastMessageKind: z.string().nullable(),
    lastMessageDirection: z.enum(['inbound', 'outbound']).nullable(),
    unreadCount: z.number().int(),
    messageCount: z.number().int(),
    assignedTo: z.string().nullable(),
    automationPausedUntil: isoInstant.nullable(),
    labels: z.array(z.string()),
    /** With a search: the newest message that matched (null when only the person's name matched). */
    match: z.object({ messageId: z.number().int(), text: z.string() }).strict().nullable(),
  })
  .strict();
export type ConversationRow = z.infer<typeof conversationRowSchema>;

export const conversationNoteSchema = z
  .object({
    id: z.number().int(),
    conversationId: z.number().int(),
    author: z.string(),
    text: z.string(),
    createdAt: isoInstant,
  })
  .strict();
export type ConversationNote = z.infer<typeof conversationNoteSchema>;

export const attachmentViewSchema = z
  .object({
    /** Instagram's attachment type (image, video, share, story_mention, ig_reel, postback, …). */
    type: z.string(),
    /** An http(s) URL, or null (other schemes are dropped before they reach a client). */
    url: z.string().nullable(),
    title: z.string().nullable(),
    /** Postback or quick-reply payload, referral source; plain text. */
    detail: z.string().nullable(),
  })
  .strict();
export type AttachmentView = z.infer<typeof attachmentViewSchema>;

export const deliveryViewSchema = z
  .object({
    outboxId: z.number().int(),
    state: z.string(),
    waitKind: z.string().nullable(),
    errorCode: z.string().nullable(),
    /** Plain words: why it failed, expired or waits. */
    reason: z.string().nullable(),
  })
  .strict();

export const threadMessageSchema = z
  .object({
    id: z.number().int(),
    mid: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    kind: z.string(),
    text: z.string().nullable(),
    attachments: z.array(attachmentViewSchema),
    /** The message this one answers, with its text (null text: unsent, media, or not stored). */
    replyTo: z
      .object({
        mid: z.string(),
        found: z.boolean(),
        text: z.string().nullable(),
        kind: z.string().nullable(),
        direction: z.enum(['inbound', 'outbound']).nullable(),
        isDeleted: z.boolean(),
      })
      .strict()
      .nullable(),
    reactions: z.array(z.object({ emoji: z.string(), from: z.enum(['customer', 'business']) }).strict()),
    isDeleted: z.boolean(),
    deletedAt: isoInstant.nullable(),
    /** Earlier versions of the text, oldest first. */
    edits: z.array(z.object({ previousText: z.string().nullable(), editedAt: z.string() }).strict()),
    /** Who sent an outbound message: a rule (label = its name), staff (label = who), the phone, the app. */
    origin: z
      .object({
        kind: z.enum(['customer', 'rule', 'staff', 'phone', 'app', 'system']),
        label: z.string().nullable(),
      })
      .strict(),
    /** The outbox row behind an outbound message, when there is one. */
    delivery: deliveryViewSchema.nullable(),
    createdAt: isoInstant,
  })
  .strict();
export type ThreadMessage = z.infer<typeof threadMessageSchema>;

export const conversationDetailSchema = z
  .object({
    conversation: conversationRowSchema,
    notes: z.array(conversationNoteSchema),
  })
  .strict();
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

const byConversation = z.object({ conversationId }).strict();

export const inboxMethods = {
  'inbox.list': method({
    summary:
      'Conversations across accounts, newest activity first, filtered and optionally searched; keyset-paged by cursor.',
    input: z
      .object({
        filter: inboxFilterSchema.optional(),
        limit: z.number().int().min(1).max(500).optional(),
        cursor: z.string().max(200).optional(),
      })
      .strict(),
    output: z
      .object({ conversations: z.array(conversationRowSchema), nextCursor: z.string().nullable() })
      .strict(),
  }),
  'inbox.counts': method({
    summary: 'Unread messages and conversations per account and in total (active conversations).',
    input: z.object({}).strict(),
    output: z
      .object({
        totalUnread: z.number().int(),
        totalUnreadConversations: z.number().int(),
        accounts: z.array(
          z
            .object({
              accountId: z.string(),
              unread: z.number().int(),
              unreadConversations: z.number().int(),
            })
            .strict(),
        ),
      })
      .strict(),
  }),
  'inbox.labels': method({
    summary: 'Every label in use, alphabetically.',
    input: z.object({}).strict(),
    output: z.object({ labels: z.array(z.string()) }).strict(),
  }),
  'inbox.getConversation': method({
    summary: 'One conversation with its internal notes.',
    input: byConversation,
    output: conversationDetailSchema,
  }),
  'inbox.thread': method({
    summary:
      'A page of a thread, newest first (default 50): every message kind, replies quoted, reactions, edits, origin and delivery state.',
    input: z
      .object({
        conversationId,
        limit: z.number().int().min(1).max(200).optional(),
        cursor: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ messages: z.array(threadMessageSchema), nextCursor: z.string().nullable() }).strict(),
  }),
  'inbox.markRead': method({
    summary: 'Marks every message of the conversation read.',
    input: byConversation,
    output: conversationRowSchema,
  }),
  'inbox.markUnread': method({
    summary: 'Marks the conversation unread again (at least one unread message).',
    input: byConversation,
    output: conversationRowSchema,
  }),
  'inbox.update': method({
    summary:
      'Sets status (active, archived, blocked), labels or the assigned staff member (null to unassign).',
    input: z
      .object({
        conversationId,
        status: conversationStatusSchema.optional(),
        labels: z.array(label).max(50, 'Up to 50 labels').optional(),
        assignedTo: staffName.nullable().optional(),
      })
      .strict(),
    output: conversationRowSchema,
  }),
  'inbox.setAutomationPause': method({
    summary: 'Pauses the rules for this conversation until a time, or resumes them (until: null).',
    input: z.object({ conversationId, until: z.iso.datetime({ offset: true }).nullable() }).strict(),
    output: conversationRowSchema,
  }),
  'inbox.addNote': method({
    summary: 'Adds an internal note to the conversation (never sent to the person).',
    input: z
      .object({
        conversationId,
        text: z
          .string()
          .trim()
          .min(1, 'Write something first')
          .max(10_000, 'Notes have up to 10,000 characters'),
        author: staffName,
      })
      .strict(),
    output: conversationNoteSchema,
  }),
  'inbox.deleteNote': method({
    summary: 'Deletes an internal note.',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: z.object({ deleted: z.boolean() }).strict(),
  }),
} as const;
