import { describe, expect, it } from 'vitest';
import { defaultDesktopSettings, type DesktopSettings, type QuietHours } from '../../shared/contract';
import {
  decideNotification,
  flushBurst,
  messagePreview,
  type BurstState,
  type NotificationInput,
} from '../../electron/main/core/notifications';

const at = (iso: string) => Date.parse(iso);

function input(overrides: {
  settings?: Partial<DesktopSettings>;
  now?: string;
  createdAt?: string;
  direction?: 'inbound' | 'outbound';
  kind?: string;
  text?: string | null;
  timezone?: string;
  clientName?: string | null;
  status?: NotificationInput['conversationStatus'];
  sender?: NotificationInput['sender'];
  account?: null;
}): NotificationInput {
  const now = overrides.now ?? '2026-03-02T12:00:00Z'; // a Monday
  return {
    message: {
      accountId: 'acc-1',
      conversationId: 7,
      direction: overrides.direction ?? 'inbound',
      kind: overrides.kind ?? 'text',
      text: overrides.text === undefined ? 'Do you have croissants today?' : overrides.text,
      createdAt: overrides.createdAt ?? now,
    },
    sender: overrides.sender ?? { name: 'Maria Lopez', username: 'maria.l' },
    account:
      overrides.account === null
        ? null
        : {
            username: 'sunrise_bakery',
            clientName: overrides.clientName === undefined ? 'Sunrise Bakery' : overrides.clientName,
            timezone: overrides.timezone ?? 'UTC',
          },
    conversationStatus: overrides.status ?? 'active',
    settings: { ...defaultDesktopSettings, ...overrides.settings },
    now: at(now),
  };
}

const quiet = (hours: Partial<QuietHours>): QuietHours[] => [
  {
    clientName: 'Sunrise Bakery',
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
    from: '22:00',
    to: '07:00',
    ...hours,
  },
];

describe('whether a message is announced', () => {
  it.each<[string, Parameters<typeof input>[0], string | null]>([
    ['an inbound text', {}, null],
    ['our own message (echo)', { direction: 'outbound' }, 'our own message'],
    ['notifications off', { settings: { notifications: false } }, 'notifications are off'],
    ['a blocked conversation', { status: 'blocked' }, 'the conversation is blocked'],
    ['an archived conversation (a new message is news)', { status: 'archived' }, null],
    [
      'a message from yesterday (history)',
      { createdAt: '2026-03-01T12:00:00Z' },
      'an old message (history or a recovered gap)',
    ],
    ['a message 5 minutes old', { createdAt: '2026-03-02T11:55:00Z' }, null],
    // Quiet hours 22:00–07:00 every day, UTC unless said otherwise.
    [
      '23:30 inside quiet hours',
      { now: '2026-03-02T23:30:00Z', settings: { quietHours: quiet({}) } },
      'quiet hours for Sunrise Bakery',
    ],
    [
      '03:00 after midnight, still quiet',
      { now: '2026-03-03T03:00:00Z', settings: { quietHours: quiet({}) } },
      'quiet hours for Sunrise Bakery',
    ],
    ['07:00 quiet hours over', { now: '2026-03-03T07:00:00Z', settings: { quietHours: quiet({}) } }, null],
    ['21:59 not yet quiet', { now: '2026-03-02T21:59:00Z', settings: { quietHours: quiet({}) } }, null],
    // Monday night only: Tuesday 03:00 is still Monday's night; Wednesday 03:00 is not.
    [
      'Tue 03:00 belongs to Monday night',
      { now: '2026-03-03T03:00:00Z', settings: { quietHours: quiet({ days: ['mon'] }) } },
      'quiet hours for Sunrise Bakery',
    ],
    [
      'Wed 03:00 after a Tuesday with no quiet night',
      { now: '2026-03-04T03:00:00Z', settings: { quietHours: quiet({ days: ['mon'] }) } },
      null,
    ],
    // Read in the account's time zone: 12:00 UTC is 21:00 in Tokyo and 23:00 in Sydney (daylight time).
    [
      '12:00 UTC is 21:00 in Tokyo (not quiet)',
      { timezone: 'Asia/Tokyo', settings: { quietHours: quiet({}) } },
      null,
    ],
    [
      '12:00 UTC is 23:00 in Sydney (quiet)',
      { timezone: 'Australia/Sydney', settings: { quietHours: quiet({}) } },
      'quiet hours for Sunrise Bakery',
    ],
    [
      '05:00 UTC is midnight in New York (quiet)',
      { now: '2026-03-02T05:00:00Z', timezone: 'America/New_York', settings: { quietHours: quiet({}) } },
      'quiet hours for Sunrise Bakery',
    ],
    [
      'quiet hours of another client',
      { now: '2026-03-02T23:30:00Z', settings: { quietHours: quiet({ clientName: 'City Gym' }) } },
      null,
    ],
    [
      'client names match whatever their case',
      { now: '2026-03-02T23:30:00Z', settings: { quietHours: quiet({ clientName: 'sunrise bakery' }) } },
      'quiet hours for sunrise bakery',
    ],
    [
      'an account without a client has no quiet hours',
      { now: '2026-03-02T23:30:00Z', clientName: null, settings: { quietHours: quiet({}) } },
      null,
    ],
    [
      'whole-day quiet hours (00:00–00:00) on Monday',
      { settings: { quietHours: quiet({ from: '00:00', to: '00:00', days: ['mon'] }) } },
      'quiet hours for Sunrise Bakery',
    ],
    [
      'a daytime window 09:00–17:00',
      { settings: { quietHours: quiet({ from: '09:00', to: '17:00' }) } },
      'quiet hours for Sunrise Bakery',
    ],
  ])('%s', (_name, overrides, skipReason) => {
    const decision = decideNotification(input(overrides), undefined);
    if (skipReason === null) expect(decision.action).toBe('show');
    else expect(decision).toEqual({ action: 'skip', reason: skipReason });
  });
});

describe('what the notification says', () => {
  it.each<[string, Parameters<typeof input>[0], { title: string; body: string }]>([
    [
      'name, username, client and text',
      {},
      {
        title: 'Maria Lopez (@maria.l) → Sunrise Bakery · @sunrise_bakery',
        body: 'Do you have croissants today?',
      },
    ],
    [
      'private: who, never what',
      { settings: { privateNotifications: true } },
      { title: 'Maria Lopez (@maria.l) → Sunrise Bakery · @sunrise_bakery', body: 'New message' },
    ],
    [
      'only a username, no client',
      { sender: { name: null, username: 'maria.l' }, clientName: null },
      { title: '@maria.l → @sunrise_bakery', body: 'Do you have croissants today?' },
    ],
    [
      'nobody known, account gone',
      { sender: { name: null, username: null }, account: null },
      { title: 'A customer', body: 'Do you have croissants today?' },
    ],
    [
      'a photo',
      { kind: 'image', text: null },
      { title: 'Maria Lopez (@maria.l) → Sunrise Bakery · @sunrise_bakery', body: 'Sent a photo' },
    ],
    [
      'a story mention',
      { kind: 'story_mention', text: null },
      {
        title: 'Maria Lopez (@maria.l) → Sunrise Bakery · @sunrise_bakery',
        body: 'Mentioned the account in their story',
      },
    ],
    [
      'private hides what kind it is too',
      { kind: 'image', text: null, settings: { privateNotifications: true } },
      { title: 'Maria Lopez (@maria.l) → Sunrise Bakery · @sunrise_bakery', body: 'New message' },
    ],
  ])('%s', (_name, overrides, expected) => {
    const decision = decideNotification(input(overrides), undefined);
    expect(decision.action).toBe('show');
    if (decision.action === 'show') {
      expect(decision.notification).toMatchObject({
        ...expected,
        accountId: 'acc-1',
        conversationId: 7,
        count: 1,
      });
      expect(decision.notification.private).toBe(overrides.settings?.privateNotifications ?? false);
    }
  });

  it('keeps HTML as text, collapses spaces and cuts long text', () => {
    expect(messagePreview({ kind: 'text', text: '<b>hi</b>\n\n  there' })).toBe('<b>hi</b> there');
    const long = messagePreview({ kind: 'text', text: '😀'.repeat(1000) });
    expect([...long]).toHaveLength(140);
    expect(long.endsWith('…')).toBe(true);
    expect(messagePreview({ kind: 'mystery', text: '   ' })).toBe('Sent a message');
  });
});

describe('a burst of messages in one conversation', () => {
  const window = 60_000;
  const options = { burstWindowMs: window, staleAfterMs: 600_000 };
  const t0 = at('2026-03-02T12:00:00Z');
  const message = (seconds: number, text: string, settings: Partial<DesktopSettings> = {}) =>
    input({ now: new Date(t0 + seconds * 1000).toISOString(), text, settings });

  it('shows the first, holds the rest of the window, then shows them once with a count', () => {
    const first = decideNotification(message(0, 'hello'), undefined, options);
    expect(first.action).toBe('show');
    let burst = (first as { burst: BurstState }).burst;
    for (const [seconds, text] of [
      [5, 'are you open'],
      [9, 'today?'],
    ] as const) {
      const held = decideNotification(message(seconds, text), burst, options);
      expect(held.action).toBe('hold');
      if (held.action !== 'hold') return;
      expect(held.flushAt).toBe(t0 + window);
      burst = held.burst;
    }
    const flushed = flushBurst(burst, t0 + window, defaultDesktopSettings);
    expect(flushed.notification).toMatchObject({ count: 2, body: '2 new messages — today?' });
    // Right after the grouped one, a new message waits for the next window again.
    const next = decideNotification(message(61, 'hi again'), flushed.burst, options);
    expect(next.action).toBe('hold');
    // Nothing held: nothing to flush.
    expect(flushBurst(flushed.burst, t0 + 2 * window, defaultDesktopSettings).notification).toBeNull();
  });

  it('uses the preferences of flush time: nothing when turned off, no text when made private', () => {
    const first = decideNotification(message(0, 'hello'), undefined, options);
    const held = decideNotification(
      message(5, 'my address is 12 Elm St'),
      (first as { burst: BurstState }).burst,
      options,
    );
    if (held.action !== 'hold') throw new Error('expected hold');
    const off = flushBurst(held.burst, t0 + window, { notifications: false, privateNotifications: false });
    expect(off.notification).toBeNull();
    expect(off.burst.held).toBe(0);
    const hidden = flushBurst(held.burst, t0 + window, { notifications: true, privateNotifications: true });
    expect(hidden.notification).toMatchObject({ body: 'New message', private: true, count: 1 });
  });

  it('counts in messages held by a window no flush ended', () => {
    const burst: BurstState = { shownAt: t0, held: 3, pending: null };
    const late = decideNotification(
      message(120, 'still there?', { privateNotifications: true }),
      burst,
      options,
    );
    expect(late).toMatchObject({ action: 'show', notification: { count: 4, body: '4 new messages' } });
  });

  it('a message after the window is shown at once', () => {
    const burst: BurstState = { shownAt: t0, held: 0, pending: null };
    expect(decideNotification(message(60, 'later'), burst, options).action).toBe('show');
  });
});
