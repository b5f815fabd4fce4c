import type { AccountView, ConversationRow } from '../../../../shared/contract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The messaging window as the composer and the list show it. */
export type WindowState =
  | { kind: 'none' }
  | { kind: 'open'; leftMs: number }
  | { kind: 'human_agent'; leftMs: number; allowed: boolean }
  | { kind: 'closed'; sinceMs: number };

/** Instagram's rule: 24 hours after the person's last message; 7 days with the Human Agent tag. */
export function windowState(
  lastInboundAt: string | null,
  now: number,
  humanAgentAllowed: boolean,
): WindowState {
  if (!lastInboundAt) return { kind: 'none' };
  // A message stamped a moment ahead of this machine's clock counts as just now.
  const elapsed = Math.max(0, now - Date.parse(lastInboundAt));
  if (elapsed < DAY) return { kind: 'open', leftMs: DAY - elapsed };
  if (elapsed < 7 * DAY)
    return { kind: 'human_agent', leftMs: 7 * DAY - elapsed, allowed: humanAgentAllowed };
  return { kind: 'closed', sinceMs: elapsed - 7 * DAY };
}

/** "3 h 05 min", "42 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours <= 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// Made once: `toLocaleTimeString(locale, options)` builds a new formatter on every call, which
// was the list's most expensive function while scrolling (CPU profile, bench/ui.bench.ts).
const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'short' });
const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });

/** "14:05". */
export function clockTime(at: Date | string): string {
  return clock.format(typeof at === 'string' ? new Date(at) : at);
}

/** Short time for a list row: "14:05" today, "Mon" this week, "12 Mar" before. */
export function shortTime(iso: string | null, now: number): string {
  if (!iso) return '';
  const at = new Date(iso);
  const elapsed = now - at.getTime();
  if (elapsed < 60_000) return 'now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / 60_000)} min`;
  if (new Date(now).toDateString() === at.toDateString()) return clock.format(at);
  if (elapsed < 6 * DAY) return weekday.format(at);
  return dayMonth.format(at);
}

/** The person's name as the list shows it: name, else @username, else a neutral label. */
export function personName(row: Pick<ConversationRow, 'participantName' | 'participantUsername'>): string {
  return (
    row.participantName?.trim() ||
    (row.participantUsername ? `@${row.participantUsername}` : 'Instagram user')
  );
}

/** The account's colour, or a neutral grey; only #rrggbb reaches a style attribute. */
export function accountColor(account: AccountView | undefined): string {
  const color = account?.brandColor ?? '';
  return /^#[0-9a-f]{6}$/i.test(color) ? color : '#a2a9b7';
}

/** UTF-8 bytes: Instagram's text limit is 1,000 bytes, not characters. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

export const TEXT_LIMIT_BYTES = 1000;
