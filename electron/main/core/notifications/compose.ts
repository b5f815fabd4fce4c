/**
 * The words of a new-message notification: who wrote, to which account (and client), and — unless the
 * notifications are private — what they wrote. Pure.
 */
import type { DesktopNotification } from '../../../../shared/contract';

export interface NotificationSender {
  name: string | null;
  username: string | null;
}

export interface NotificationAccount {
  username: string;
  clientName: string | null;
  /** IANA time zone the client's quiet hours are read in. */
  timezone: string;
}

export interface NotificationMessage {
  accountId: string;
  conversationId: number;
  direction: 'inbound' | 'outbound';
  kind: string;
  text: string | null;
  /** ISO 8601 instant: when it happened on Instagram. */
  createdAt: string;
}

/** What a message without text shows instead. */
const KIND_PREVIEW: Readonly<Record<string, string>> = {
  image: 'Sent a photo',
  video: 'Sent a video',
  audio: 'Sent a voice message',
  file: 'Sent a file',
  share: 'Shared a post',
  story_mention: 'Mentioned the account in their story',
  story_reply: 'Replied to a story',
  reel: 'Shared a reel',
  like_heart: 'Sent a ❤️',
  postback: 'Tapped a button',
  quick_reply: 'Tapped a quick reply',
  referral: 'Came from an ad or a link',
};

const PREVIEW_LIMIT = 140;

export function senderLabel(sender: NotificationSender): string {
  const name = sender.name?.trim();
  const username = sender.username?.trim();
  if (name && username) return `${name} (@${username})`;
  if (name) return name;
  if (username) return `@${username}`;
  return 'A customer';
}

export function accountLabel(account: NotificationAccount | null): string | null {
  if (!account) return null;
  const client = account.clientName?.trim();
  return client ? `${client} · @${account.username}` : `@${account.username}`;
}

/** The message in one short line: its text (spaces collapsed, cut at 140 characters) or what it is. */
export function messagePreview(message: Pick<NotificationMessage, 'kind' | 'text'>): string {
  const text = message.text?.replace(/\s+/g, ' ').trim();
  if (text) {
    const chars = [...text];
    return chars.length > PREVIEW_LIMIT ? `${chars.slice(0, PREVIEW_LIMIT - 1).join('')}…` : text;
  }
  return KIND_PREVIEW[message.kind] ?? 'Sent a message';
}

/** The notification for `count` messages of which `message` is the newest. */
export function composeNotification(options: {
  message: NotificationMessage;
  sender: NotificationSender;
  account: NotificationAccount | null;
  count: number;
  private: boolean;
}): DesktopNotification {
  const { message, count } = options;
  const to = accountLabel(options.account);
  const title = to ? `${senderLabel(options.sender)} → ${to}` : senderLabel(options.sender);
  const many = count > 1 ? `${count} new messages` : null;
  const body = options.private
    ? (many ?? 'New message')
    : many
      ? `${many} — ${messagePreview(message)}`
      : messagePreview(message);
  return {
    accountId: message.accountId,
    conversationId: message.conversationId,
    title,
    body,
    count,
    private: options.private,
  };
}
