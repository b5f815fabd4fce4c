/**
 * Database rows to the shapes callers see.
 */
import type { Selectable } from 'kysely';
import type { DialectSpecifics } from '../../dialect';
import type { ConversationsTable, MessagesTable } from '../../schema';
import type { JsonValue } from '../../validation';
import type { Conversation, Message, MessageEdit } from './conversation-model';

/** A conversation row as the inbox shows it. */
export function conversationFromRow(
  specifics: DialectSpecifics,
  row: Selectable<ConversationsTable>,
): Conversation {
  return {
    id: Number(row.id),
    accountId: row.account_id,
    participantIgsid: row.participant_igsid,
    participantUsername: row.participant_username,
    participantName: row.participant_name,
    status: row.status as Conversation['status'],
    lastMessageAt: specifics.readTimeOrNull(row.last_message_at),
    lastInboundAt: specifics.readTimeOrNull(row.last_inbound_at),
    lastMessagePreview: row.last_message_preview,
    messageCount: Number(row.message_count),
    unreadCount: Number(row.unread_count),
    assignedTo: row.assigned_to,
    automationPausedUntil: specifics.readTimeOrNull(row.automation_paused_until),
    labels: JSON.parse(row.labels) as string[],
    notes: row.notes,
    createdAt: specifics.readTime(row.created_at),
    updatedAt: specifics.readTime(row.updated_at),
  };
}

/** A message row as the thread shows it. */
export function messageFromRow(specifics: DialectSpecifics, row: Selectable<MessagesTable>): Message {
  return {
    id: Number(row.id),
    accountId: row.account_id,
    conversationId: Number(row.conversation_id),
    mid: row.mid,
    direction: row.direction as Message['direction'],
    kind: row.kind as Message['kind'],
    text: row.text,
    attachments: row.attachments ? (JSON.parse(row.attachments) as JsonValue[]) : null,
    replyToMid: row.reply_to_mid,
    isEcho: specifics.readBool(row.is_echo),
    sentBy: row.sent_by as Message['sentBy'],
    isDeleted: specifics.readBool(row.is_deleted),
    deletedAt: specifics.readTimeOrNull(row.deleted_at),
    editHistory: row.edit_history ? (JSON.parse(row.edit_history) as MessageEdit[]) : [],
    reactions: row.reactions ? (JSON.parse(row.reactions) as Record<string, string>) : {},
    rawEvent: row.raw_event ? (JSON.parse(row.raw_event) as JsonValue) : null,
    createdAt: specifics.readTime(row.created_at),
    receivedAt: specifics.readTime(row.received_at),
  };
}
