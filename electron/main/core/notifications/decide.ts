/**
 * Whether a stored message is announced, and how: pure (the time, the preferences and the conversation's
 * burst state come in; the decision and the next burst state go out), so every rule is table-tested.
 *
 * Rules, in order: never our own messages or echoes; nothing when notifications are off; nothing for a
 * blocked conversation or an old message (history, recovered gaps); nothing in the client's quiet hours; and
 * at most one notification per conversation per burst window — the messages in between are held and shown
 * once, together, when the window ends ("3 new messages — latest text").
 */
import type { DesktopNotification, DesktopSettings, QuietHours } from '../../../../shared/contract';
import { createLocalClock, isWithinHours } from '../../../../shared/rules/conditions';
import {
  composeNotification,
  type NotificationAccount,
  type NotificationMessage,
  type NotificationSender,
} from './compose';

export interface NotificationInput {
  message: NotificationMessage;
  sender: NotificationSender;
  /** Null when the account is gone (then no quiet hours apply). */
  account: NotificationAccount | null;
  conversationStatus: 'active' | 'archived' | 'blocked';
  settings: DesktopSettings;
  /** Epoch milliseconds. */
  now: number;
}

/** One conversation's recent notifications. */
export interface BurstState {
  /** When the last notification for this conversation was shown. */
  shownAt: number;
  /** Messages held since then. */
  held: number;
  /** The notification that stands for the held messages (newest message, count = held). */
  pending: DesktopNotification | null;
}

export interface DecisionOptions {
  /** At most one notification per conversation per this many milliseconds (default 60 s). */
  burstWindowMs: number;
  /** Messages older than this are history, not news (default 10 minutes). */
  staleAfterMs: number;
}

export const defaultDecisionOptions: DecisionOptions = { burstWindowMs: 60_000, staleAfterMs: 10 * 60_000 };

export type NotificationDecision =
  | { action: 'skip'; reason: string }
  /** Grouped into the burst: show `burst.pending` at `flushAt` (unless more arrive; it is replaced). */
  | { action: 'hold'; burst: BurstState; flushAt: number }
  | { action: 'show'; notification: DesktopNotification; burst: BurstState };

/** The quiet-hours window of the account's client, when one is in force at `now`. */
export function activeQuietHours(
  account: NotificationAccount | null,
  quietHours: readonly QuietHours[],
  now: number,
): QuietHours | null {
  const client = account?.clientName?.trim().toLowerCase();
  if (!account || !client) return null;
  const hours = quietHours.find((entry) => entry.clientName.trim().toLowerCase() === client);
  if (!hours) return null;
  // An unreadable time zone (never stored by the app) falls back to UTC rather than to no quiet hours.
  const zone = createLocalClock(account.timezone);
  const utc = createLocalClock('UTC');
  const clock = zone.ok ? zone.clock : utc.ok ? utc.clock : null;
  return clock && isWithinHours(hours, clock(now)) ? hours : null;
}

export function decideNotification(
  input: NotificationInput,
  burst: BurstState | undefined,
  options: DecisionOptions = defaultDecisionOptions,
): NotificationDecision {
  const { message, settings, now } = input;
  if (message.direction !== 'inbound') return { action: 'skip', reason: 'our own message' };
  if (!settings.notifications) return { action: 'skip', reason: 'notifications are off' };
  if (input.conversationStatus === 'blocked')
    return { action: 'skip', reason: 'the conversation is blocked' };
  const createdAt = Date.parse(message.createdAt);
  if (Number.isFinite(createdAt) && now - createdAt > options.staleAfterMs) {
    return { action: 'skip', reason: 'an old message (history or a recovered gap)' };
  }
  const quiet = activeQuietHours(input.account, settings.quietHours, now);
  if (quiet) return { action: 'skip', reason: `quiet hours for ${quiet.clientName}` };

  const compose = (count: number) =>
    composeNotification({
      message,
      sender: input.sender,
      account: input.account,
      count,
      private: settings.privateNotifications,
    });
  if (burst && now - burst.shownAt < options.burstWindowMs) {
    const held = burst.held + 1;
    return {
      action: 'hold',
      burst: { shownAt: burst.shownAt, held, pending: compose(held) },
      flushAt: burst.shownAt + options.burstWindowMs,
    };
  }
  // A window that ended with messages still held (no flush ran) counts them in.
  const count = (burst?.held ?? 0) + 1;
  return { action: 'show', notification: compose(count), burst: { shownAt: now, held: 0, pending: null } };
}

/**
 * At the end of a burst window: the grouped notification to show, and the state after it. The preferences
 * are those of now: nothing when notifications were turned off meanwhile, no text when they became private.
 */
export function flushBurst(
  burst: BurstState,
  now: number,
  settings: Pick<DesktopSettings, 'notifications' | 'privateNotifications'>,
): { notification: DesktopNotification | null; burst: BurstState } {
  const done: BurstState = { shownAt: now, held: 0, pending: null };
  if (!burst.pending || burst.held === 0) return { notification: null, burst };
  if (!settings.notifications) return { notification: null, burst: done };
  const pending = burst.pending;
  const notification =
    settings.privateNotifications && !pending.private
      ? {
          ...pending,
          private: true,
          body: pending.count > 1 ? `${pending.count} new messages` : 'New message',
        }
      : pending;
  return { notification, burst: done };
}
