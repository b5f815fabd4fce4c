import type { OutboxQueueRow } from '../../../../shared/contract';

const clock = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "now", "in 4 s", "in 3 min", "in 2 h" — for times ahead; the clock time in `title`s. */
export function timeUntil(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms)) return 'unknown';
  if (ms <= 500) return 'now';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.round(seconds / 60);
  // "in 60 min" reads better than "in 1 h" for the hourly budget's next slot.
  if (minutes < 90) return `in ${minutes} min`;
  return `in ${Math.round(minutes / 60)} h`;
}

/** 14:03:05 */
export function clockTime(iso: string): string {
  return clock.format(new Date(iso));
}

/** Short age: "12 s", "4 min", "3 h", "2 d". */
export function age(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

const kindLabel: Record<string, string> = {
  attachment: 'Attachment',
  like_heart: 'Heart sticker',
  private_reply: 'Private reply to a comment',
  react: 'Reaction',
  unreact: 'Reaction removed',
};

/** What the message says, or what it is when it has no text. */
export function preview(row: OutboxQueueRow): string {
  if (row.text) return row.text;
  return kindLabel[row.kind] ?? 'Message';
}

/** Who queued it: a rule, staff, or the app itself. */
export function originLabel(row: OutboxQueueRow): string {
  if (row.origin.kind === 'rule') return 'Rule';
  if (row.origin.kind === 'staff') return row.origin.id ? `Staff · ${row.origin.id}` : 'Staff';
  return 'Switchboard';
}

/** @username, the name, or the IGSID as a last resort. */
export function recipientLabel(row: OutboxQueueRow): string {
  if (row.recipient.username) return `@${row.recipient.username}`;
  return row.recipient.name ?? row.recipient.igsid;
}

/** Reasons written by the core may carry ISO instants: shown as the local clock time. */
export function readableReason(reason: string): string {
  return reason.replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g, (iso) => clockTime(iso));
}
