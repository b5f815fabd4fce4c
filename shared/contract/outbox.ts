import { z } from 'zod';
import { event, method } from './define';

/**
 * The outbox: every reply (typed by staff or sent by a rule) waits here until the delivery worker
 * sends it inside Meta's window and pacing rules. Each message's state is pushed live; staff can
 * retry or cancel, and see each account's queue.
 */

/** ISO 8601 instant in UTC. */
const isoInstant = z.string();

export const outboxStateSchema = z.enum([
  'pending',
  'sending',
  'sent',
  'failed',
  'expired',
  'unknown',
  'cancelled',
]);
export const outboxWaitKindSchema = z.enum(['retry', 'paced', 'held', 'verify']);

export const outboxMessageViewSchema = z
  .object({
    id: z.number().int(),
    accountId: z.string(),
    conversationId: z.number().int(),
    state: outboxStateSchema,
    /** For a pending message: why it waits (retry backoff, budget spent, account held, outcome being checked). */
    waitKind: outboxWaitKindSchema.nullable(),
    /** What the content is: text, attachment, like_heart, private_reply, react, unreact. */
    kind: z.string(),
    text: z.string().nullable(),
    origin: z.object({ kind: z.enum(['staff', 'rule', 'system']), id: z.string().nullable() }).strict(),
    /** Staff asked for the Human Agent tag (used only after 24 hours, only where the account allows it). */
    humanAgent: z.boolean(),
    attempts: z.number().int(),
    nextAttemptAt: isoInstant,
    lastAttemptAt: isoInstant.nullable(),
    sentAt: isoInstant.nullable(),
    graphMessageId: z.string().nullable(),
    /** Meta's code (`551/1545041`), `UNKNOWN`, or null. */
    errorCode: z.string().nullable(),
    /** Plain words: why it failed, expired, was cancelled or waits. */
    reason: z.string().nullable(),
    createdAt: isoInstant,
  })
  .strict();
export type OutboxMessageView = z.infer<typeof outboxMessageViewSchema>;

export const outboxQueueSchema = z
  .object({
    accountId: z.string(),
    /** Due now or waiting for a retry. */
    waiting: z.number().int(),
    /** Waiting for the account's send budget. */
    paced: z.number().int(),
    /** Held: the account needs reconnecting or is not active. */
    held: z.number().int(),
    sending: z.number().int(),
    failed: z.number().int(),
    /** Sent or not: nobody can tell; check the thread. */
    unknown: z.number().int(),
    /** Expired in the last 24 hours: the messaging window closed before they could go. */
    expired: z.number().int(),
    /** When the next paced message goes (the budget allows it again); null when none is paced. */
    nextPacedAt: isoInstant.nullable(),
    /** Why the queue is held, in plain words; null when it is not. */
    heldReason: z.string().nullable(),
    budget: z
      .object({ perSecond: z.number().int(), perHour: z.number().int(), usedLastHour: z.number().int() })
      .strict(),
  })
  .strict();
export type OutboxQueue = z.infer<typeof outboxQueueSchema>;

const quickReplySchema = z.union([
  z
    .object({
      contentType: z.literal('text'),
      title: z
        .string()
        .min(1, 'A quick reply needs a title')
        .max(20, 'Quick reply titles have up to 20 characters'),
      payload: z.string().min(1).max(1000),
    })
    .strict(),
  z.object({ contentType: z.literal('user_phone_number') }).strict(),
]);

const idInput = z.object({ id: z.number().int().positive() }).strict();

export const outboxMethods = {
  'outbox.send': method({
    summary:
      'Queues a reply typed by staff in a conversation; it is sent by the delivery worker (state pushed with outbox.messageChanged).',
    input: z
      .object({
        conversationId: z.number().int().positive(),
        text: z.string(),
        quickReplies: z.array(quickReplySchema).optional(),
        replyToMid: z.string().min(1).max(512).optional(),
        /** Use the Human Agent tag if the 24 hours have passed (only where the account allows it). */
        humanAgent: z.boolean().optional(),
        /** The same id sent twice queues one message (a double click, a retried request). */
        clientRequestId: z
          .string()
          .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'Use up to 100 letters, digits, dots, dashes or colons')
          .optional(),
      })
      .strict(),
    output: outboxMessageViewSchema,
  }),
  'outbox.listConversation': method({
    summary: "A conversation's outbound messages with their state, oldest first.",
    input: z.object({ conversationId: z.number().int().positive() }).strict(),
    output: z.object({ messages: z.array(outboxMessageViewSchema) }).strict(),
  }),
  'outbox.retry': method({
    summary: 'Tries a failed, expired or unknown message again (the window is checked again when it goes).',
    input: idInput,
    output: outboxMessageViewSchema,
  }),
  'outbox.cancel': method({
    summary: 'Cancels a pending, failed or unknown message; it will not be sent.',
    input: idInput,
    output: outboxMessageViewSchema,
  }),
  'outbox.queue': method({
    summary: 'Per account: messages waiting, paced, held, sending, failed and unknown, with the send budget.',
    input: z.object({ accountId: z.string().min(1).optional() }).strict(),
    output: z.object({ accounts: z.array(outboxQueueSchema) }).strict(),
  }),
  'outbox.setPacing': method({
    summary:
      "Sets an account's per-second send budget (its hourly budget is the account setting hourlySendBudget).",
    input: z.object({ accountId: z.string().min(1), perSecond: z.number().int().min(1).max(100) }).strict(),
    output: outboxQueueSchema,
  }),
} as const;

export const outboxEvents = {
  'outbox.messageChanged': event({
    summary:
      'An outbound message changed state: queued (pending), sending, sent, failed with reason, expired, unknown, cancelled, or why it waits.',
    payload: z
      .object({
        accountId: z.string(),
        conversationId: z.number().int(),
        id: z.number().int(),
        state: outboxStateSchema,
        waitKind: outboxWaitKindSchema.nullable(),
        errorCode: z.string().nullable(),
        reason: z.string().nullable(),
      })
      .strict(),
  }),
} as const;
