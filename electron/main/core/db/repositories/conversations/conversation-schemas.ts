/**
 * The conversations repository's input schemas: every write parses its input through one of these
 * first, so bad input is refused in plain words before anything is stored.
 */
import { z } from 'zod';
import { asciiId, instant, jsonValue, longText, varchar } from '../../validation';
import { CONVERSATION_STATUSES, MESSAGE_DIRECTIONS, MESSAGE_KINDS, SENT_BY } from './conversation-model';

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
