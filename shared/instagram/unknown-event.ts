import { stableHash } from './stable-hash';
import type { UnknownEvent } from './webhook-events';

/** What is known about an item that could not be understood; all optional. */
export interface UnknownContext {
  accountId: string;
  source: UnknownEvent['source'];
  businessId?: string | null;
  customerId?: string | null;
  senderId?: string | null;
  recipientId?: string | null;
  timestamp?: number | null;
}

/**
 * Builds the `unknown` event that keeps an item nobody understood.
 *
 * The dedup key fingerprints the item itself (key order ignored), so a retried delivery of
 * the same odd item is recognised as a duplicate while two different odd items never merge.
 */
export function unknownEvent(context: UnknownContext, raw: unknown, reason: string): UnknownEvent {
  return {
    kind: 'unknown',
    reason,
    dedupKey: `unknown:${context.source}:${stableHash(raw)}`,
    source: context.source,
    accountId: context.accountId,
    businessId: context.businessId ?? context.accountId,
    customerId: context.customerId ?? null,
    senderId: context.senderId ?? null,
    recipientId: context.recipientId ?? null,
    timestamp: context.timestamp ?? null,
    raw,
    warnings: [],
  };
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Shortens sender-controlled text quoted in a reason or warning. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The message of anything thrown, without trusting its type. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unexpected error';
}
