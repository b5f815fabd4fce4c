import { describe, expect, it } from 'vitest';
import { parseWebhookBody } from '../../shared/instagram';
import {
  ACCOUNT,
  CUSTOMER,
  MID,
  T_MS,
  delivery,
  entry,
  inbound,
  onlyEvent,
  outbound,
  parseOk,
} from './helpers';

describe('bodies refused as a whole', () => {
  it.each([
    { body: '', reason: 'invalid_json' },
    { body: '{"object":"instagram","entry":[', reason: 'invalid_json' },
    { body: "{'object':'instagram'}", reason: 'invalid_json' },
    { body: 'null', reason: 'not_an_object', message: 'expected a JSON object, got null' },
    { body: '[]', reason: 'not_an_object', message: 'expected a JSON object, got an array' },
    { body: '"instagram"', reason: 'not_an_object', message: 'expected a JSON object, got a string' },
    { body: '42', reason: 'not_an_object', message: 'expected a JSON object, got a number' },
    { body: '{}', reason: 'wrong_shape' },
    {
      body: '{"object":"whatsapp_business_account","entry":[]}',
      reason: 'wrong_shape',
      message: 'object: Invalid option: expected one of "instagram"|"page"',
    },
    {
      body: '{"object":"instagram","entry":{}}',
      reason: 'wrong_shape',
      message: 'entry: Invalid input: expected array, received object',
    },
    {
      body: '{"object":"instagram"}',
      reason: 'wrong_shape',
      message: 'entry: Invalid input: expected array, received undefined',
    },
  ])('$body -> $reason', ({ body, reason, message }) => {
    const parsed = parseWebhookBody(body);
    expect(parsed).toMatchObject({ ok: false, reason });
    if (message !== undefined) expect(parsed).toMatchObject({ message });
  });

  it('an empty entry list is a valid, empty delivery', () => {
    expect(parseWebhookBody('{"object":"instagram","entry":[]}')).toEqual({
      ok: true,
      object: 'instagram',
      entries: [],
      rejectedEntries: [],
    });
  });

  it('accepts object "page" (one of Meta’s IG examples uses it) and still routes by entry.id', () => {
    const parsed = parseOk(
      delivery([entry({ messaging: [inbound({ message: { mid: MID, text: 'hi' } })] })], 'page'),
    );
    expect(parsed.object).toBe('page');
    expect(parsed.entries[0]!.accountId).toBe(ACCOUNT);
  });
});

describe('batching', () => {
  it('several entries for different accounts, several items each, in order', () => {
    const other = '17841400000000002';
    const otherCustomer = '998877665544332';
    const body = delivery([
      entry({
        messaging: [
          inbound({ message: { mid: 'm1', text: 'one' } }, T_MS),
          inbound({ message: { mid: 'm2', text: 'two' } }, T_MS + 1),
          inbound({ read: { mid: 'm0' } }, T_MS + 2),
        ],
      }),
      {
        id: other,
        time: T_MS + 10,
        messaging: [
          {
            sender: { id: otherCustomer },
            recipient: { id: other },
            timestamp: T_MS + 5,
            message: { mid: 'm3', text: 'three' },
          },
        ],
      },
    ]);
    const parsed = parseOk(body);
    expect(parsed.entries.map((e) => e.accountId)).toEqual([ACCOUNT, other]);
    expect(parsed.entries[0]!.events.map((e) => [e.kind, e.dedupKey])).toEqual([
      ['message', 'm1'],
      ['message', 'm2'],
      ['read', `read:m0:${CUSTOMER}`],
    ]);
    expect(parsed.entries[1]!.events).toMatchObject([
      { kind: 'message', dedupKey: 'm3', accountId: other, businessId: other, customerId: otherCustomer },
    ]);
  });

  it('one entry with messaging, standby and changes: events in that order, each with its source', () => {
    const body = delivery([
      entry({
        changes: [{ field: 'mentions', value: { media_id: '42' } }],
        standby: [inbound({ message: { mid: 'm_standby', text: 'handled by another app' } })],
        messaging: [inbound({ message: { mid: 'm_direct', text: 'ours' } })],
      }),
    ]);
    const events = parseOk(body).entries[0]!.events;
    expect(events.map((e) => [e.kind, e.source, e.dedupKey])).toEqual([
      ['message', 'messaging', 'm_direct'],
      ['message', 'standby', 'm_standby'],
      ['mention', 'changes', 'mention:42'],
    ]);
  });

  it('one bad item does not spoil its siblings', () => {
    const body = delivery([
      entry({
        messaging: [
          inbound({ message: { mid: 'good1', text: 'fine' } }),
          inbound({ message: { mid: 12345 } }),
          null,
          inbound({ mystery: true }),
          inbound({ message: { mid: 'good2', text: 'also fine' } }),
        ],
      }),
    ]);
    const events = parseOk(body).entries[0]!.events;
    expect(events.map((e) => e.kind)).toEqual(['message', 'unknown', 'unknown', 'unknown', 'message']);
    expect(events.map((e) => e.dedupKey).filter((k) => !k.startsWith('unknown:'))).toEqual([
      'good1',
      'good2',
    ]);
  });

  it('an entry that cannot be routed is listed, the others still parse', () => {
    const parsed = parseOk(
      delivery([
        { time: T_MS, messaging: [] },
        'junk',
        entry({ messaging: [inbound({ read: { mid: 'm9' } })] }),
      ]),
    );
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.rejectedEntries).toEqual([
      {
        index: 0,
        reason: 'cannot route: entry.id: expected an id (a non-empty string or a whole number)',
        raw: { time: T_MS, messaging: [] },
      },
      { index: 1, reason: 'the entry is not an object', raw: 'junk' },
    ]);
  });

  it('a list that is not a list, and an unfamiliar list in the entry, become unknown events', () => {
    const events = parseOk(delivery([entry({ messaging: { not: 'a list' }, hop_context: [{ app_id: 1 }] })]))
      .entries[0]!.events;
    expect(events).toMatchObject([
      {
        kind: 'unknown',
        source: 'messaging',
        reason: 'entry.messaging is not a list',
        raw: { not: 'a list' },
      },
      {
        kind: 'unknown',
        source: 'entry',
        reason: 'entry key "hop_context" is not understood',
        raw: { hop_context: [{ app_id: 1 }] },
      },
    ]);
  });

  it('reasons quote sender-controlled text only in short form', () => {
    const keys = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
    const many = onlyEvent(delivery([entry({ messaging: [keys] })]));
    expect(many).toMatchObject({
      kind: 'unknown',
      reason:
        'no event key Switchboard understands (keys present: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11 and 8 more)',
    });
    const field = onlyEvent(delivery([entry({ changes: [{ field: 'x'.repeat(500), value: {} }] })]));
    expect(field).toMatchObject({
      kind: 'unknown',
      reason: `changes field "${'x'.repeat(60)}…" is not handled`,
    });
  });

  it('the same item twice in one POST gets the same dedup key', () => {
    const item = inbound({ reaction: { mid: MID, action: 'react', reaction: 'love' } });
    const events = parseOk(delivery([entry({ messaging: [item, item] })])).entries[0]!.events;
    expect(events[0]!.dedupKey).toBe(events[1]!.dedupKey);
  });

  it('an unknown item keeps its key across retries even when Meta reorders its keys', () => {
    const a = onlyEvent(
      delivery([
        entry({
          messaging: [
            {
              sender: { id: CUSTOMER },
              recipient: { id: ACCOUNT },
              timestamp: T_MS,
              surprise: { b: 1, a: 2 },
            },
          ],
        }),
      ]),
    );
    const b = onlyEvent(
      delivery([
        entry({
          messaging: [
            {
              surprise: { a: 2, b: 1 },
              timestamp: T_MS,
              recipient: { id: ACCOUNT },
              sender: { id: CUSTOMER },
            },
          ],
        }),
      ]),
    );
    const c = onlyEvent(
      delivery([
        entry({
          messaging: [
            {
              surprise: { a: 3, b: 1 },
              timestamp: T_MS,
              recipient: { id: ACCOUNT },
              sender: { id: CUSTOMER },
            },
          ],
        }),
      ]),
    );
    expect(a.kind).toBe('unknown');
    expect(a.dedupKey).toBe(b.dedupKey);
    expect(c.dedupKey).not.toBe(a.dedupKey);
  });
});

describe('echo direction', () => {
  it('an echo names the business as sender and the customer as recipient', () => {
    const event = onlyEvent(
      delivery([
        entry({ messaging: [outbound({ message: { mid: MID, text: 'on its way', is_echo: true } })] }),
      ]),
    );
    expect(event).toMatchObject({
      kind: 'echo',
      senderId: ACCOUNT,
      recipientId: CUSTOMER,
      businessId: ACCOUNT,
      customerId: CUSTOMER,
      warnings: [],
    });
  });

  it('an echo whose ids are not swapped still gets the customer right, with a warning', () => {
    const event = onlyEvent(
      delivery([entry({ messaging: [inbound({ message: { mid: MID, is_echo: true } })] })]),
    );
    expect(event).toMatchObject({
      kind: 'echo',
      businessId: ACCOUNT,
      customerId: CUSTOMER,
      warnings: ['echo whose sender is not entry.id (ids look unswapped); roles taken from entry.id'],
    });
  });

  it('when neither id is entry.id, the echo flag decides', () => {
    const event = onlyEvent(
      delivery([
        entry({
          messaging: [
            {
              sender: { id: '500' },
              recipient: { id: '600' },
              timestamp: T_MS,
              message: { mid: MID, is_echo: true },
            },
          ],
        }),
      ]),
    );
    expect(event).toMatchObject({
      kind: 'echo',
      businessId: '500',
      customerId: '600',
      warnings: ['neither sender nor recipient is entry.id; roles taken from the echo flag'],
    });
  });
});

describe('times', () => {
  it('changes entries in seconds become ms; messaging entries stay ms', () => {
    const parsed = parseOk(
      delivery([
        entry({ changes: [{ field: 'mentions', value: { media_id: '1' } }] }, 1776339591),
        entry({ messaging: [inbound({ read: { mid: 'm' } }, 1762020315339)] }, 1762021299932),
      ]),
    );
    expect(parsed.entries.map((e) => e.time)).toEqual([1776339591000, 1762021299932]);
    expect(parsed.entries[0]!.events[0]!.timestamp).toBe(1776339591000);
    expect(parsed.entries[1]!.events[0]!.timestamp).toBe(1762020315339);
  });

  it('a messaging timestamp sent in seconds is converted too', () => {
    expect(
      onlyEvent(delivery([entry({ messaging: [inbound({ read: { mid: 'm' } }, 1762010783)] })])).timestamp,
    ).toBe(1762010783000);
  });

  it('a missing entry.time is null; an unusable one is null with a warning', () => {
    const parsed = parseOk(delivery([{ id: ACCOUNT, messaging: [] }, entry({ messaging: [] }, 'yesterday')]));
    expect(parsed.entries.map((e) => [e.time, e.warnings])).toEqual([
      [null, []],
      [null, ['entry.time ignored: Invalid input: expected number, received string']],
    ]);
  });
});

describe('ids', () => {
  it('numeric ids within the safe range become the same digits as strings', () => {
    const event = onlyEvent(
      '{"object":"instagram","entry":[{"id":1234567890,"time":1459991487970,"messaging":[{"sender":{"id":5678},"recipient":{"id":1234567890},"timestamp":1459991487970,"message":{"mid":"m","text":"hi"}}]}]}',
    );
    expect(event).toMatchObject({
      accountId: '1234567890',
      senderId: '5678',
      recipientId: '1234567890',
      customerId: '5678',
      businessId: '1234567890',
    });
  });

  it('numeric ids beyond Number.MAX_SAFE_INTEGER keep every digit', () => {
    // 17841405726653026 would come out of JSON.parse as 17841405726653028.
    const body =
      '{"object":"instagram","entry":[{"id":17841405726653026,"time":1762010783728,"messaging":[' +
      '{"sender":{"id":25412345678901237},"recipient":{"id":17841405726653026},"timestamp":1762010783728,"message":{"mid":"m","text":"id 99999999999999999 in text stays text"}}' +
      ']},{"id":"17841405726653026","time":1520622968,"changes":[{"field":"comments","value":{"id":17865799348089039,"from":{"id":25412345678901237},"media":{"id":18012345678901234567}}}]}]}';
    const parsed = parseOk(body);
    const [dm, comment] = parsed.entries.map((e) => e.events[0]!);
    expect(parsed.entries.map((e) => e.accountId)).toEqual(['17841405726653026', '17841405726653026']);
    expect(dm).toMatchObject({
      kind: 'message',
      senderId: '25412345678901237',
      customerId: '25412345678901237',
      businessId: '17841405726653026',
    });
    expect(dm).toMatchObject({ message: { text: 'id 99999999999999999 in text stays text' } });
    expect(comment).toMatchObject({
      kind: 'comment',
      commentId: '17865799348089039',
      dedupKey: 'comment:17865799348089039',
      media: { id: '18012345678901234567' },
    });
    expect(comment!.raw).toEqual({
      field: 'comments',
      value: {
        id: '17865799348089039',
        from: { id: '25412345678901237' },
        media: { id: '18012345678901234567' },
      },
    });
  });

  it('a fractional or negative id is not an id', () => {
    const event = onlyEvent(
      '{"object":"instagram","entry":[{"id":"1","messaging":[{"sender":{"id":5.5},"recipient":{"id":"1"},"timestamp":1,"read":{"mid":"m"}}]}]}',
    );
    expect(event).toMatchObject({
      kind: 'unknown',
      reason: 'sender.id: expected an id (a non-empty string or a whole number)',
    });
  });
});
