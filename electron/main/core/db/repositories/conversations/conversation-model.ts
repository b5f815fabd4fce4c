/**
 * What the conversations repository stores and accepts: the shapes of conversations and messages,
 * and of its inputs (their schemas are in `conversation-schemas.ts`).
 */
import type { z } from 'zod';
import type { JsonValue } from '../../validation';
import type * as schemas from './conversation-schemas';

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

/** Identifies a conversation by its natural key. */
export type ParticipantInput = z.input<typeof schemas.participantSchema>;
/** One message event as the receiver has parsed it, with its conversation's natural key. */
export type IngestInput = z.input<typeof schemas.ingestSchema>;
/** A message for a conversation whose id is known. */
export type AddMessageInput = z.input<typeof schemas.addMessageSchema>;
/** Fields of a conversation staff can change. */
export type ConversationPatch = z.input<typeof schemas.conversationPatchSchema>;
/** Inbox query: newest first, keyset-paged by `before`. */
export type InboxQuery = z.input<typeof schemas.inboxSchema>;
/** Thread query: newest first, keyset-paged by `before`. */
export type ThreadQuery = z.input<typeof schemas.threadSchema>;

/** The result of storing a message: `inserted` is false when the mid was already stored. */
export interface IngestResult {
  conversationId: number;
  messageId: number;
  inserted: boolean;
}
