/**
 * The outbox's input schemas: a send to queue, and a failed attempt.
 */
import { z } from 'zod';
import { asciiId, instant, jsonValue, longText, varchar } from '../../validation';
import { OUTBOX_CREATORS, OUTBOX_WAIT_KINDS } from './outbox-model';

export const enqueueSchema = z
  .object({
    accountId: asciiId(64),
    conversationId: z.number().int().positive(),
    idempotencyKey: asciiId(255),
    payload: jsonValue,
    text: longText().nullable().optional(),
    replyToMid: asciiId(512).nullable().optional(),
    createdBy: z.object({ kind: z.enum(OUTBOX_CREATORS), id: varchar(255).nullable().optional() }).strict(),
    nextAttemptAt: instant.optional(),
  })
  .strict();

export const failureSchema = z
  .object({
    code: varchar(64).nullable().optional(),
    text: longText().nullable().optional(),
    /** Set for a transient failure: back to pending, retried at this time. */
    retryAt: instant.optional(),
    /** With `retryAt`: why it waits (default `retry`) and the words staff see. */
    waitKind: z.enum(OUTBOX_WAIT_KINDS).optional(),
    waitReason: longText().nullable().optional(),
  })
  .strict();
