/**
 * The outbox's shapes: states, reasons to wait, a queued send, and its inputs (their schemas are in
 * `outbox-schemas.ts`).
 */
import type { z } from 'zod';
import type { JsonValue } from '../../validation';
import type { enqueueSchema, failureSchema } from './outbox-schemas';

/** Outbox states. */
export const OUTBOX_STATES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'expired',
  'unknown',
  'cancelled',
] as const;
/**
 * Why a pending message waits: `retry` (backoff after a transient error), `paced` (the account's
 * send budget is spent), `held` (the account needs reconnecting or is not active), `verify` (the
 * last attempt's outcome is unknown: the thread is checked before sending again).
 */
export const OUTBOX_WAIT_KINDS = ['retry', 'paced', 'held', 'verify'] as const;
/** A pending message's reason to wait. */
export type OutboxWaitKind = (typeof OUTBOX_WAIT_KINDS)[number];
/** Who asked for the send. */
export const OUTBOX_CREATORS = ['staff', 'rule', 'system'] as const;

/** A queued or finished send. */
export interface OutboundMessage {
  id: number;
  accountId: string;
  conversationId: number;
  idempotencyKey: string;
  payload: JsonValue;
  text: string | null;
  replyToMid: string | null;
  state: (typeof OUTBOX_STATES)[number];
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  graphMessageId: string | null;
  errorCode: string | null;
  errorText: string | null;
  createdBy: { kind: (typeof OUTBOX_CREATORS)[number]; id: string | null };
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  waitKind: OutboxWaitKind | null;
  waitReason: string | null;
}

/** Counts per account, state and reason to wait (the queue view). */
export interface OutboxCountRow {
  accountId: string;
  state: OutboundMessage['state'];
  waitKind: OutboxWaitKind | null;
  count: number;
}

/** Input for `enqueue`. */
export type NewOutboundMessage = z.input<typeof enqueueSchema>;
/** Input for `markFailed`. */
export type OutboundFailure = z.input<typeof failureSchema>;
