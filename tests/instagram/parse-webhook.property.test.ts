import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWebhookBody, type NormalisedEventKind, type ParsedDelivery } from '../../shared/instagram';
import { seedDeliveries } from './fixtures/seed-deliveries';

/**
 * Fuzzing: whatever the body, `parseWebhookBody` returns one of the documented shapes, never
 * throws, never needs its last-resort catch, and turns every item of every routable entry
 * into exactly one event.
 */

const KINDS: readonly NormalisedEventKind[] = [
  'message',
  'echo',
  'message_deleted',
  'message_edit',
  'reaction',
  'read',
  'postback',
  'referral',
  'optin',
  'handover',
  'comment',
  'mention',
  'unknown',
];
const ENTRY_LISTS = ['messaging', 'standby', 'changes'] as const;
const ENTRY_KEYS = new Set<string>(['id', 'time', ...ENTRY_LISTS]);

function expectDocumentedShape(result: ParsedDelivery): void {
  if (!result.ok) {
    expect(Object.keys(result).sort()).toEqual(['message', 'ok', 'reason']);
    expect(['invalid_json', 'not_an_object', 'wrong_shape']).toContain(result.reason);
    expect(typeof result.message).toBe('string');
    // The last-resort catch in parseWebhookBody must never be what answered.
    expect(result.message).not.toMatch(/^could not be read/);
    return;
  }
  expect(Object.keys(result).sort()).toEqual(['entries', 'object', 'ok', 'rejectedEntries']);
  expect(['instagram', 'page']).toContain(result.object);
  for (const rejected of result.rejectedEntries) expect(typeof rejected.reason).toBe('string');
  for (const entry of result.entries) {
    expect(entry.accountId).toMatch(/./);
    expect(entry.time === null || Number.isFinite(entry.time)).toBe(true);
    for (const event of entry.events) {
      expect(KINDS).toContain(event.kind);
      expect(event.dedupKey).toMatch(/./);
      expect(event.accountId).toBe(entry.accountId);
      expect(typeof event.businessId).toBe('string');
      expect(event.timestamp === null || Number.isFinite(event.timestamp)).toBe(true);
      expect(Array.isArray(event.warnings)).toBe(true);
      if (event.kind === 'unknown') {
        expect(event.reason).toMatch(/./);
        expect(event.reason).not.toMatch(/^could not be read/);
      } else if (event.source !== 'changes') {
        expect(typeof event.senderId).toBe('string');
        expect(typeof event.recipientId).toBe('string');
        expect(typeof event.customerId).toBe('string');
        expect(typeof event.timestamp).toBe('number');
      }
    }
  }
}

/** Each item of each list, each non-list value of a list key, each unfamiliar list: one event. */
function expectedEventCount(entry: Record<string, unknown>): number {
  let count = 0;
  for (const key of ENTRY_LISTS) {
    const list = entry[key];
    if (list !== undefined) count += Array.isArray(list) ? list.length : 1;
  }
  for (const [key, value] of Object.entries(entry))
    if (!ENTRY_KEYS.has(key) && Array.isArray(value)) count += 1;
  return count;
}

function expectNothingDropped(input: unknown, result: ParsedDelivery): void {
  if (!result.ok) return;
  const entries = (input as { entry: unknown[] }).entry;
  expect(result.entries.length + result.rejectedEntries.length).toBe(entries.length);
  const rejected = new Set(result.rejectedEntries.map((r) => r.index));
  let next = 0;
  entries.forEach((raw, index) => {
    if (rejected.has(index)) return;
    const parsed = result.entries[next++]!;
    expect(parsed.events).toHaveLength(expectedEventCount(raw as Record<string, unknown>));
  });
}

type Path = ReadonlyArray<string | number>;

function allPaths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((child, i) => allPaths(child, [...at, i], out));
  else if (value !== null && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) allPaths(child, [...at, key], out);
  return out;
}

/** Drops or replaces the value at `path` (the root is only ever replaced). */
function mutate(root: unknown, path: Path, op: 'drop' | 'replace', replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (op === 'replace') parent[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

const id = fc.oneof(
  fc.string(),
  fc.nat(),
  fc.constant('17841400000000001'),
  fc.bigInt({ min: 2n ** 53n, max: 10n ** 22n }).map((n) => n.toString()),
);
const eventKey = fc.constantFrom(
  'message',
  'message_edit',
  'reaction',
  'read',
  'postback',
  'referral',
  'optin',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'delivery',
);
const directItem = fc
  .tuple(id, id, fc.oneof(fc.nat(), fc.double(), fc.string()), eventKey, fc.jsonValue({ maxDepth: 3 }))
  .map(([sender, recipient, timestamp, key, value]) => ({
    sender: { id: sender },
    recipient: { id: recipient },
    timestamp,
    [key]: value,
  }));
const changeItem = fc.record({
  field: fc.constantFrom('comments', 'live_comments', 'mentions', 'story_insights', ''),
  value: fc.jsonValue({ maxDepth: 3 }),
});
const entryArb = fc.record(
  {
    id: fc.oneof(id, fc.jsonValue({ maxDepth: 1 })),
    time: fc.oneof(fc.nat(), fc.double(), fc.string()),
    messaging: fc.oneof(
      fc.array(fc.oneof(directItem, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    standby: fc.array(directItem, { maxLength: 3 }),
    changes: fc.array(fc.oneof(changeItem, fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const envelopeArb = fc.record({
  object: fc.constantFrom('instagram', 'page', 'whatsapp_business_account'),
  entry: fc.array(fc.oneof(entryArb, fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
});

describe('parseWebhookBody properties', () => {
  it('never throws for arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '1', '\\', 'e', '-') }),
        ),
        (text) => {
          expectDocumentedShape(parseWebhookBody(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws for arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectDocumentedShape(parseWebhookBody(JSON.stringify(value) ?? 'null'));
      }),
      { numRuns: 500 },
    );
  });

  it('turns every item of an envelope-like value into exactly one event', () => {
    fc.assert(
      fc.property(envelopeArb, (value) => {
        const result = parseWebhookBody(JSON.stringify(value));
        expectDocumentedShape(result);
        expectNothingDropped(value, result);
      }),
      { numRuns: 500 },
    );
  });

  it('survives dropped and replaced fields in valid deliveries, losing no item', () => {
    const mutation = fc.tuple(
      fc.nat(),
      fc.constantFrom('drop' as const, 'replace' as const),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...seedDeliveries),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (seed, mutations) => {
          let value: unknown = seed;
          for (const [pick, op, replacement] of mutations) {
            const paths = allPaths(value);
            value = mutate(value, paths[pick % paths.length]!, op, replacement);
          }
          const result = parseWebhookBody(JSON.stringify(value) ?? 'null');
          expectDocumentedShape(result);
          expectNothingDropped(value, result);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('survives truncated bodies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seedDeliveries.map((seed) => JSON.stringify(seed, null, 2))),
        fc.nat(),
        (text, cut) => {
          expectDocumentedShape(parseWebhookBody(text.slice(0, cut % (text.length + 1))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same body gives equal results (so dedup keys are stable)', () => {
    fc.assert(
      fc.property(envelopeArb, (value) => {
        const text = JSON.stringify(value);
        expect(parseWebhookBody(text)).toEqual(parseWebhookBody(text));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every digit of ids sent as bare JSON numbers, whatever their size', () => {
    const digits = fc.bigInt({ min: 1n, max: 10n ** 25n }).map((n) => n.toString());
    fc.assert(
      fc.property(digits, digits, (account, customer) => {
        const body = `{"object":"instagram","entry":[{"id":${account},"time":1762010783728,"messaging":[{"sender":{"id":${customer}},"recipient":{"id":${account}},"timestamp":1762010783728,"read":{"mid":"m"}}]}]}`;
        const result = parseWebhookBody(body);
        if (!result.ok) throw new Error(result.message);
        const event = result.entries[0]!.events[0]!;
        expect([result.entries[0]!.accountId, event.senderId, event.recipientId]).toEqual([
          account,
          customer,
          account,
        ]);
      }),
      { numRuns: 300 },
    );
  });
});
