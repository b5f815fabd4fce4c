import { expect } from 'vitest';
import { parseWebhookBody, type NormalisedEvent, type ParsedDelivery } from '../../shared/instagram';

/** Our own ids, shaped like real ones: a 17-digit account id and a 16-digit IGSID. */
export const ACCOUNT = '17841400000000001';
export const CUSTOMER = '1254477777772919';
/** A millisecond time (1 Nov 2025) and a mid shaped like Meta's base64 ids. */
export const T_MS = 1762010783728;
export const MID =
  'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1OTY2MzE2NTc5NTMyMTAyNjozMjQ1NjAwMDAwMDAwMDAwMDAwAA';

/** A messaging item from the customer to the account, plus the event key(s) given. */
export function inbound(event: Record<string, unknown>, timestamp = T_MS): Record<string, unknown> {
  return { sender: { id: CUSTOMER }, recipient: { id: ACCOUNT }, timestamp, ...event };
}

/** A messaging item sent by the account (echo direction). */
export function outbound(event: Record<string, unknown>, timestamp = T_MS): Record<string, unknown> {
  return { sender: { id: ACCOUNT }, recipient: { id: CUSTOMER }, timestamp, ...event };
}

/** Serialises a delivery with the given entries. */
export function delivery(entries: unknown[], object = 'instagram'): string {
  return JSON.stringify({ object, entry: entries });
}

/** One entry for ACCOUNT with the given lists (`messaging`, `standby`, `changes`). */
export function entry(
  lists: Record<string, unknown>,
  time: unknown = T_MS + 500,
  id: unknown = ACCOUNT,
): Record<string, unknown> {
  return { id, time, ...lists };
}

/** Parses and asserts success. */
export function parseOk(text: string): Extract<ParsedDelivery, { ok: true }> {
  const parsed = parseWebhookBody(text);
  if (!parsed.ok) throw new Error(`expected ok, got ${parsed.reason}: ${parsed.message}`);
  return parsed;
}

/** Parses a delivery expected to hold exactly one event and returns it. */
export function onlyEvent(text: string): NormalisedEvent {
  const parsed = parseOk(text);
  expect(parsed.entries).toHaveLength(1);
  expect(parsed.rejectedEntries).toEqual([]);
  const events = parsed.entries[0]!.events;
  expect(events).toHaveLength(1);
  return events[0]!;
}
