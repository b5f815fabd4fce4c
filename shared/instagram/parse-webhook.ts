import { parseJsonLossless } from './lossless-json';
import { normaliseChange } from './normalise-changes';
import { normaliseDirectItem } from './normalise-messaging';
import { clip, errorText, isRecord, unknownEvent } from './unknown-event';
import type { NormalisedEvent, ParsedDelivery, ParsedEntry, RejectedEntry } from './webhook-events';
import { describeIssues, entryIdSchema, envelopeSchema, timeSchema } from './webhook-schema';

/** Entry keys read on purpose; any other list in an entry is reported as not understood. */
const ENTRY_KEYS: ReadonlySet<string> = new Set(['id', 'time', 'messaging', 'standby', 'changes']);

/**
 * Parses the raw text of one Instagram webhook POST into normalised events.
 *
 * Pure and total: no I/O, no clock, never throws (it is fuzzed). The body is refused as a
 * whole only when it is not JSON (`invalid_json`), not a JSON object (`not_an_object`), or
 * has no `entry` list / an `object` other than `instagram` or `page` (`wrong_shape`).
 * Otherwise every entry is routed by `entry.id` (never by `object`) and every item in its
 * `messaging[]`, `standby[]` and `changes[]` becomes exactly one event, in that order; items
 * that are not understood become `unknown` events, so one bad item never spoils its
 * siblings. Entries that cannot be routed are listed in `rejectedEntries`.
 *
 * Integers too large for a JS number are kept exact (see `lossless-json.ts`).
 */
export function parseWebhookBody(rawText: string): ParsedDelivery {
  try {
    return parseDelivery(rawText);
  } catch (error) {
    // Unreachable by design (each item is already guarded); a last net so a bug in here
    // can only ever refuse one body, never crash the ingest loop.
    return { ok: false, reason: 'wrong_shape', message: `could not be read: ${errorText(error)}` };
  }
}

function parseDelivery(rawText: string): ParsedDelivery {
  if (typeof rawText !== 'string')
    return { ok: false, reason: 'invalid_json', message: 'the body is not text' };
  const json = parseJsonLossless(rawText);
  if (!json.ok) return { ok: false, reason: 'invalid_json', message: json.message };
  if (!isRecord(json.value)) {
    const got =
      json.value === null ? 'null' : Array.isArray(json.value) ? 'an array' : `a ${typeof json.value}`;
    return { ok: false, reason: 'not_an_object', message: `expected a JSON object, got ${got}` };
  }
  const envelope = envelopeSchema.safeParse(json.value);
  if (!envelope.success) return { ok: false, reason: 'wrong_shape', message: describeIssues(envelope.error) };

  const entries: ParsedEntry[] = [];
  const rejectedEntries: RejectedEntry[] = [];
  envelope.data.entry.forEach((raw, index) => {
    const parsed = parseEntry(raw, index);
    if ('reason' in parsed) rejectedEntries.push(parsed);
    else entries.push(parsed);
  });
  return { ok: true, object: envelope.data.object, entries, rejectedEntries };
}

function parseEntry(raw: unknown, index: number): ParsedEntry | RejectedEntry {
  if (!isRecord(raw)) return { index, reason: 'the entry is not an object', raw };
  const id = entryIdSchema.safeParse(raw);
  if (!id.success) return { index, reason: `cannot route: ${describeIssues(id.error, 'entry')}`, raw };
  const accountId = id.data.id;

  const warnings: string[] = [];
  let time: number | null = null;
  if (raw.time != null) {
    const parsed = timeSchema.safeParse(raw.time);
    if (parsed.success) time = parsed.data;
    else warnings.push(`entry.time ignored: ${describeIssues(parsed.error)}`);
  }

  const events: NormalisedEvent[] = [];
  for (const source of ['messaging', 'standby'] as const) {
    eachItem(raw[source], source, accountId, events, (item) =>
      normaliseDirectItem(item, { accountId, source }),
    );
  }
  eachItem(raw.changes, 'changes', accountId, events, (item) =>
    normaliseChange(item, { accountId, entryTime: time }),
  );

  for (const [key, value] of Object.entries(raw)) {
    if (ENTRY_KEYS.has(key) || !Array.isArray(value)) continue;
    events.push(
      unknownEvent(
        { accountId, source: 'entry', timestamp: time },
        { [key]: value },
        `entry key "${clip(key)}" is not understood`,
      ),
    );
  }
  return { accountId, time, events, warnings };
}

/** Normalises each item of one entry list, isolating failures to the item that caused them. */
function eachItem(
  list: unknown,
  source: 'messaging' | 'standby' | 'changes',
  accountId: string,
  into: NormalisedEvent[],
  normalise: (item: unknown) => NormalisedEvent,
): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    into.push(unknownEvent({ accountId, source }, list, `entry.${source} is not a list`));
    return;
  }
  for (const item of list as unknown[]) {
    try {
      into.push(normalise(item));
    } catch (error) {
      into.push(unknownEvent({ accountId, source }, item, `could not be read: ${errorText(error)}`));
    }
  }
}
