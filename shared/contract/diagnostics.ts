import { z } from 'zod';
import { event, method } from './define';

/**
 * Receiving diagnostics: whether Meta still sends each account's webhooks (subscription health, last
 * webhook), what arrived (deliveries, with replay), what was not understood, what was refused (security
 * log), and recovery of messages sent while the workstation was off (gap recovery).
 */

/** ISO 8601 instant in UTC. */
const isoInstant = z.string();
const limit = z.number().int().min(1).max(200).optional();

export const webhookDeliveryStateSchema = z.enum([
  'received',
  'processing',
  'processed',
  'failed',
  'ignored',
]);

export const webhookDeliveryViewSchema = z
  .object({
    id: z.number().int(),
    /** The connected account the URL named; null when it named none. */
    accountId: z.string().nullable(),
    receivedAt: isoInstant,
    /** Body size in bytes, as received. */
    bytes: z.number().int(),
    signatureValid: z.boolean(),
    /** Events in the body (messaging, standby, changes); null when the body could not be read at all. */
    events: z.number().int().nullable(),
    state: webhookDeliveryStateSchema,
    attempts: z.number().int(),
    processedAt: isoInstant.nullable(),
    /** Plain words: what was not understood, or why ingest failed. */
    error: z.string().nullable(),
  })
  .strict();
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryViewSchema>;

export const securityEntryViewSchema = z
  .object({
    id: z.number().int(),
    accountId: z.string().nullable(),
    instagramAccountId: z.string(),
    reason: z.string(),
    httpStatus: z.number().int(),
    method: z.string(),
    remoteAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    bodyBytes: z.number().int().nullable(),
    occurrences: z.number().int(),
    firstAt: isoInstant,
    lastAt: isoInstant,
  })
  .strict();
export type SecurityEntryView = z.infer<typeof securityEntryViewSchema>;

/** `ok`: Meta sends the fields; `resubscribed`: they had been dropped and Switchboard subscribed again. */
export const subscriptionStateSchema = z.enum(['unchecked', 'ok', 'resubscribed', 'missing', 'error']);

export const receivingHealthSchema = z
  .object({
    accountId: z.string(),
    username: z.string(),
    lastWebhookAt: isoInstant.nullable(),
    subscription: z
      .object({
        state: subscriptionStateSchema,
        /** The webhook fields Meta lists for the app on this account, after any re-subscription. */
        fields: z.array(z.string()),
        checkedAt: isoInstant.nullable(),
        message: z.string().nullable(),
      })
      .strict(),
    recovery: z
      .object({
        lastRunAt: isoInstant.nullable(),
        /** Messages the last run brought in (already stored ones are not counted). */
        messagesAdded: z.number().int(),
        message: z.string().nullable(),
      })
      .strict(),
  })
  .strict();
export type ReceivingHealth = z.infer<typeof receivingHealthSchema>;

const accountFilter = z.object({ accountId: z.string().min(1).optional(), limit }).strict();

export const diagnosticsMethods = {
  'diagnostics.health': method({
    summary:
      'Per account: last webhook received, subscribed webhook fields (last check) and last gap recovery.',
    input: z.object({}).strict(),
    output: z.object({ accounts: z.array(receivingHealthSchema) }).strict(),
  }),
  'diagnostics.checkSubscriptions': method({
    summary:
      "Checks now (one account or all) that Meta still sends the account's webhooks, re-subscribing when it dropped them.",
    input: z.object({ accountId: z.string().min(1).optional() }).strict(),
    output: z.object({ accounts: z.array(receivingHealthSchema) }).strict(),
  }),
  'diagnostics.recoverGaps': method({
    summary:
      "Fetches the account's recent conversations from Meta and stores messages missing here (by message id; stored ones are unchanged).",
    input: z.object({ accountId: z.string().min(1) }).strict(),
    output: receivingHealthSchema,
  }),
  'diagnostics.listDeliveries': method({
    summary: 'Recent webhook deliveries, newest first (one account or all): size, signature, events, result.',
    input: accountFilter,
    output: z.object({ deliveries: z.array(webhookDeliveryViewSchema) }).strict(),
  }),
  'diagnostics.listNotUnderstood': method({
    summary: 'Deliveries that were not understood or failed ingest, newest first, with the reason.',
    input: accountFilter,
    output: z.object({ deliveries: z.array(webhookDeliveryViewSchema) }).strict(),
  }),
  'diagnostics.replayDelivery': method({
    summary:
      'Queues a stored delivery for ingest again (harmless: messages already stored are not stored twice).',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: webhookDeliveryViewSchema,
  }),
  'diagnostics.listSecurityLog': method({
    summary: 'Refused webhook requests (unknown account, bad signature…), newest first, never with a body.',
    input: accountFilter,
    output: z.object({ entries: z.array(securityEntryViewSchema) }).strict(),
  }),
} as const;

export const diagnosticsEvents = {
  'diagnostics.healthChanged': event({
    summary: "An account's subscription check or gap recovery finished.",
    payload: z.object({ accountId: z.string() }).strict(),
  }),
} as const;
