import { describe, expect, it } from 'vitest';
import { ACCOUNT, CUSTOMER, MID, T_MS, delivery, entry, inbound, onlyEvent, outbound } from './helpers';

/**
 * One row per non-message event of instagram-api.md §4 (echo, delete, edit, reaction, read,
 * postback, referral, opt-in, handover), plus items that are not understood. Payloads and expected
 * values are written by hand here; the shared samples are only used by conformance.test.ts.
 */
interface Row {
  name: string;
  item: Record<string, unknown>;
  expected: Record<string, unknown>;
}

const rows: Row[] = [
  {
    name: 'echo: sender is the business, customer is the recipient',
    item: outbound({
      message: { mid: MID, text: 'Thanks for writing!', is_echo: true, app_id: 1217981644879628 },
    }),
    expected: {
      kind: 'echo',
      dedupKey: MID,
      senderId: ACCOUNT,
      recipientId: CUSTOMER,
      businessId: ACCOUNT,
      customerId: CUSTOMER,
      warnings: [],
      message: { text: 'Thanks for writing!' },
    },
  },
  {
    name: 'deleted (unsent) by the customer',
    item: inbound({ message: { mid: MID, is_deleted: true } }),
    expected: {
      kind: 'message_deleted',
      dedupKey: `delete:${MID}`,
      mid: MID,
      byBusiness: false,
      customerId: CUSTOMER,
    },
  },
  {
    name: 'deleted by the business (echo)',
    item: outbound({ message: { mid: MID, is_deleted: true, is_echo: true } }),
    expected: {
      kind: 'message_deleted',
      dedupKey: `delete:${MID}`,
      byBusiness: true,
      customerId: CUSTOMER,
      businessId: ACCOUNT,
    },
  },
  {
    name: 'edit with a numeric count',
    item: inbound({ message_edit: { mid: MID, text: 'Hi, is the red one in stock?', num_edit: 2 } }),
    expected: {
      kind: 'message_edit',
      dedupKey: `edit:${MID}:2`,
      mid: MID,
      text: 'Hi, is the red one in stock?',
      numEdit: 2,
      warnings: [],
    },
  },
  {
    name: 'edit with the count as digits in a string',
    item: inbound({ message_edit: { mid: MID, text: 'x', num_edit: '3' } }),
    expected: { kind: 'message_edit', dedupKey: `edit:${MID}:3`, numEdit: 3 },
  },
  {
    name: 'edit without a usable count is keyed by time and says so',
    item: inbound({ message_edit: { mid: MID, text: 'x', num_edit: 'many' } }),
    expected: {
      kind: 'message_edit',
      dedupKey: `edit:${MID}:at:${T_MS}`,
      numEdit: null,
      warnings: ['num_edit "many" is not a count; keyed by timestamp'],
    },
  },
  {
    name: 'reaction',
    item: inbound({ reaction: { mid: MID, action: 'react', reaction: 'love', emoji: '❤️' } }),
    expected: {
      kind: 'reaction',
      dedupKey: `reaction:${MID}:${CUSTOMER}:react:love:${T_MS}`,
      mid: MID,
      action: 'react',
      reaction: 'love',
      emoji: '❤️',
    },
  },
  {
    name: 'unreaction (no reaction or emoji)',
    item: inbound({ reaction: { mid: MID, action: 'unreact' } }),
    expected: {
      kind: 'reaction',
      dedupKey: `reaction:${MID}:${CUSTOMER}:unreact::${T_MS}`,
      action: 'unreact',
      reaction: null,
      emoji: null,
    },
  },
  {
    name: 'read',
    item: inbound({ read: { mid: MID } }),
    expected: { kind: 'read', dedupKey: `read:${MID}:${CUSTOMER}`, mid: MID },
  },
  {
    name: 'postback with mid (template button)',
    item: inbound({ postback: { mid: 'pb_mid_1', title: 'Track my order', payload: 'TRACK' } }),
    expected: {
      kind: 'postback',
      dedupKey: 'pb_mid_1',
      mid: 'pb_mid_1',
      title: 'Track my order',
      payload: 'TRACK',
      referral: null,
    },
  },
  {
    name: 'ice breaker postback without mid',
    item: inbound({ postback: { title: 'What are your hours?', payload: 'HOURS' } }),
    expected: { kind: 'postback', dedupKey: `postback:${CUSTOMER}:${T_MS}`, mid: null, payload: 'HOURS' },
  },
  {
    name: 'ice breaker postback carrying an ig.me referral',
    item: inbound({
      postback: {
        mid: 'pb_mid_2',
        title: 'Hi',
        payload: 'HI',
        referral: { ref: 'promo', source: 'SHORTLINKS', type: 'OPEN_THREAD' },
      },
    }),
    expected: { kind: 'postback', referral: { ref: 'promo', source: 'SHORTLINKS', type: 'OPEN_THREAD' } },
  },
  {
    name: 'standalone ig.me referral (existing thread)',
    item: inbound({ referral: { ref: 'story_link', source: 'SHORTLINKS', type: 'OPEN_THREAD' } }),
    expected: {
      kind: 'referral',
      dedupKey: `referral:${CUSTOMER}:${T_MS}`,
      referral: { ref: 'story_link', source: 'SHORTLINKS', type: 'OPEN_THREAD' },
    },
  },
  {
    name: 'opt-in (shape undocumented, kept as sent)',
    item: inbound({
      optin: { type: 'notification_messages', payload: 'WEEKLY', notification_messages_token: 'tok' },
    }),
    expected: {
      kind: 'optin',
      dedupKey: `optin:${CUSTOMER}:${T_MS}`,
      optin: { type: 'notification_messages', payload: 'WEEKLY', notification_messages_token: 'tok' },
    },
  },
  {
    name: 'pass thread control',
    item: inbound({
      pass_thread_control: {
        previous_owner_app_id: '111',
        new_owner_app_id: 263902037430900,
        metadata: 'to inbox',
      },
    }),
    expected: {
      kind: 'handover',
      dedupKey: `handover:pass_thread_control:${CUSTOMER}:${T_MS}`,
      action: 'pass_thread_control',
      previousOwnerAppId: '111',
      newOwnerAppId: '263902037430900',
      requestedOwnerAppId: null,
      metadata: 'to inbox',
    },
  },
  {
    name: 'take thread control',
    item: inbound({ take_thread_control: { previous_owner_app_id: '222', new_owner_app_id: '111' } }),
    expected: {
      kind: 'handover',
      action: 'take_thread_control',
      previousOwnerAppId: '222',
      newOwnerAppId: '111',
      metadata: null,
    },
  },
  {
    name: 'request thread control',
    item: inbound({ request_thread_control: { requested_owner_app_id: '333', metadata: 'please' } }),
    expected: {
      kind: 'handover',
      action: 'request_thread_control',
      requestedOwnerAppId: '333',
      metadata: 'please',
    },
  },
];

describe('messaging events', () => {
  it.each(rows)('$name', ({ item, expected }) => {
    const event = onlyEvent(delivery([entry({ messaging: [item] })]));
    expect(event).toMatchObject(expected);
    expect(event.raw).toEqual(item);
  });

  it('the same item in standby[] gives the same kind and key, marked as standby', () => {
    const item = inbound({ postback: { title: 'What are your hours?' } });
    const event = onlyEvent(delivery([entry({ standby: [item] })]));
    expect(event).toMatchObject({
      kind: 'postback',
      source: 'standby',
      payload: null,
      title: 'What are your hours?',
      dedupKey: `postback:${CUSTOMER}:${T_MS}`,
    });
  });

  it('an item with two event keys reads the first and warns about the other', () => {
    const event = onlyEvent(
      delivery([
        entry({ messaging: [inbound({ message: { mid: MID, text: 'a' }, referral: { ref: 'x' } })] }),
      ]),
    );
    expect(event).toMatchObject({
      kind: 'message',
      warnings: ['also carried referral; only message was read'],
    });
  });
});

describe('messaging items that are not understood', () => {
  const cases: Array<{ name: string; item: unknown; reason: string; senderId: string | null }> = [
    {
      name: 'unknown event key',
      item: inbound({ delivery: { mids: ['a'], watermark: 1 } }),
      reason: 'no event key Switchboard understands (keys present: sender, recipient, timestamp, delivery)',
      senderId: CUSTOMER,
    },
    {
      name: 'a string instead of an item',
      item: 'hello',
      reason: 'a messaging item must be an object',
      senderId: null,
    },
    {
      name: 'message without mid',
      item: inbound({ message: { text: 'no id' } }),
      reason: 'message.mid: Invalid input: expected string, received undefined',
      senderId: CUSTOMER,
    },
    {
      name: 'text of the wrong type',
      item: inbound({ message: { mid: MID, text: 42 } }),
      reason: 'message.text: Invalid input: expected string, received number',
      senderId: CUSTOMER,
    },
    {
      name: 'reaction with an unknown action',
      item: inbound({ reaction: { mid: MID, action: 'poke' } }),
      reason: 'reaction.action: Invalid option: expected one of "react"|"unreact"',
      senderId: CUSTOMER,
    },
    {
      name: 'no sender',
      item: { recipient: { id: ACCOUNT }, timestamp: T_MS, message: { mid: MID } },
      reason: 'sender: Invalid input: expected object, received undefined',
      senderId: null,
    },
    {
      name: 'timestamp as text',
      item: inbound({ message: { mid: MID } }, '1762010783728' as unknown as number),
      reason: 'timestamp: Invalid input: expected number, received string',
      senderId: CUSTOMER,
    },
  ];

  it.each(cases)('$name becomes unknown with a reason', ({ item, reason, senderId }) => {
    const event = onlyEvent(delivery([entry({ messaging: [item] })]));
    expect(event).toMatchObject({
      kind: 'unknown',
      reason,
      source: 'messaging',
      accountId: ACCOUNT,
      senderId,
    });
    expect(event.raw).toEqual(item);
    expect(event.dedupKey).toMatch(/^unknown:messaging:[0-9a-f]{28}$/);
  });
});
