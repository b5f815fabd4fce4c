/**
 * What the conversations repository stores and accepts: the shapes of conversations and messages,
 * and the input schemas every write is checked against.
 */
import { z } from 'zod';
import { asciiId, instant, jsonValue, longText, varchar } from '../../validation';
import type { JsonValue } from '../../validation';

/** Where a conversation is shown. */
export const CONVERSATION_STATUSES = ['active', 'archived', 'blocked'] as const;
/** Who sent a message, from the business account's point of view. */
export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const;
/** What a message event was. */
export const MESSAGE_KINDS = [
  'text',
  'image',
  'video',
  'audio',
  'file',
  'share',
  'story_mention',
  'story_reply',
  'reel',
  'like_heart',
  'reaction',
  'postback',
  'quick_reply',
  'referral',
  'unsupported',
] as const;
/** Who produced an outbound message. */
export const SENT_BY = ['app', 'phone', 'rule', 'staff'] as const;

/** A conversation as the inbox shows it. */
export interface Conversation {
  id: number;
  accountId: string;
  participantIgsid: string;
  participantUsername: string | null;
  participantName: string | null;
  status: (typeof CONVERSATION_STATUSES)[number];
  lastMessageAt: Date | null;
  /** The person's last message: the 24-hour messaging window runs from here. */
  lastInboundAt: Date | null;
  lastMessagePreview: string | null;
  messageCount: number;
  unreadCount: number;
  assignedTo: string | null;
  automationPausedUntil: Date | null;
  labels: string[];
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One edit of a message, oldest first in `Message.editHistory`. */
export interface MessageEdit {
  /** The text before this edit. */
  previousText: string | null;
  editedAt: string;
  numEdit: number | null;
}

/** A message as the thread shows it. */
export interface Message {
  id: number;
  accountId: string;
  conversationId: number;
  mid: string;
  direction: (typeof MESSAGE_DIRECTIONS)[number];
  kind: (typeof MESSAGE_KINDS)[number];
  text: string | null;
  attachments: JsonValue[] | null;
  replyToMid: string | null;
  isEcho: boolean;
  sentBy: (typeof SENT_BY)[number] | null;
  isDeleted: boolean;
  deletedAt: Date | null;
  editHistory: MessageEdit[];
  /** Current reaction per reacting IGSID. */
  reactions: Record<string, string>;
  rawEvent: JsonValue | null;
  createdAt: Date;
  receivedAt: Date;
}

// Input schemas: every write parses its input through one of these first.
export const igsid = asciiId(128);
export const mid = asciiId(512);

export const participantSchema = z
  .object({
    accountId: asciiId(64),
    participantIgsid: igsid,
    participantUsername: varchar(255).nullable().optional(),
    participantName: varchar(255).nullable().optional(),
  })
  .strict();

export const messageFields = {
  mid,
  direction: z.enum(MESSAGE_DIRECTIONS),
  kind: z.enum(MESSAGE_KINDS).optional(),
  text: longText().nullable().optional(),
  attachments: z.array(jsonValue).max(100).nullable().optional(),
  replyToMid: mid.nullable().optional(),
  isEcho: z.boolean().optional(),
  sentBy: z.enum(SENT_BY).nullable().optional(),
  rawEvent: jsonValue.nullable().optional(),
  createdAt: instant,
  receivedAt: instant.optional(),
};

export const ingestSchema = z.object({ ...participantSchema.shape, ...messageFields }).strict();
export const addMessageSchema = z
  .object({ conversationId: z.number().int().positive(), ...messageFields })
  .strict();

export const conversationPatchSchema = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    assignedTo: varchar(255).nullable().optional(),
    automationPausedUntil: instant.nullable().optional(),
    labels: z.array(varchar(64).min(1)).max(50).optional(),
    notes: longText().nullable().optional(),
    participantUsername: varchar(255).nullable().optional(),
    participantName: varchar(255).nullable().optional(),
  })
  .strict();

export const inboxSchema = z
  .object({
    accountIds: z.array(asciiId(64)).max(1000).optional(),
    status: z.enum(CONVERSATION_STATUSES).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    before: z.object({ lastMessageAt: instant, id: z.number().int() }).strict().optional(),
  })
  .strict();

export const threadSchema = z
  .object({
    limit: z.number().int().min(1).max(500).optional(),
    before: z.object({ createdAt: instant, id: z.number().int() }).strict().optional(),
  })
  .strict();

/** Identifies a conversation by its natural key. */
export type ParticipantInput = z.input<typeof participantSchema>;
/** One message event as the receiver has parsed it, with its conversation's natural key. */
export type IngestInput = z.input<typeof ingestSchema>;
/** A message for a conversation whose id is known. */
export type AddMessageInput = z.input<typeof addMessageSchema>;
/** Fields of a conversation staff can change. */
export type ConversationPatch = z.input<typeof conversationPatchSchema>;
/** Inbox query: newest first, keyset-paged by `before`. */
export type InboxQuery = z.input<typeof inboxSchema>;
/** Thread query: newest first, keyset-paged by `before`. */
export type ThreadQuery = z.input<typeof threadSchema>;

/** The result of storing a message: `inserted` is false when the mid was already stored. */
export interface IngestResult {
  conversationId: number;
  messageId: number;
  inserted: boolean;
}
