import type { Random } from './random';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const TRACE = `${BASE62}_-`;

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * Generators for Meta-looking identifiers.
 *
 * Shapes follow what real traffic shows: numeric ids of 15-17 digits, long
 * base64 message ids (well over 100 characters, which is what sizes our
 * database columns), `IGAA…`/`EAA…` tokens.
 */
export class IdFactory {
  constructor(private readonly random: Random) {}

  /** Instagram professional account id (the webhook `entry.id`, `/me` `user_id`). */
  igAccountId(): string {
    return `17841${this.random.digits(12)}`;
  }

  /** App-scoped id returned as `id` by IG-Login `/me` (differs from `user_id` on purpose). */
  appScopedUserId(): string {
    return `2${this.random.digits(16)}`;
  }

  /** Facebook Page id. */
  pageId(): string {
    return `1${this.random.digits(14)}`;
  }

  /** Instagram-scoped user id of a customer (specific to one professional account). */
  igsid(): string {
    return this.random.digits(16);
  }

  /** Meta app id. */
  appId(): string {
    return this.random.digits(16);
  }

  /** App secret: 32 lowercase hex characters, like the App Dashboard shows. */
  appSecret(): string {
    return this.random.chars(32, HEX);
  }

  /** Instagram User access token (IG Login). */
  instagramToken(): string {
    return `IGAA${this.random.chars(180, BASE62)}`;
  }

  /** Page access token (FB Login). */
  pageToken(): string {
    return `EAA${this.random.chars(200, BASE62)}`;
  }

  /** Message id like Instagram's: base64 of an `ig_message_item` locator. */
  messageId(accountId: string): string {
    return base64Url(
      `ig_message_item:1:IGMessageID:${accountId}:${this.random.digits(39)}:${this.random.digits(32)}`,
    );
  }

  /** Conversation id like Instagram's: base64 of an `ig_message_thread` locator. */
  conversationId(accountId: string): string {
    return base64Url(`ig_message_thread:1:IGMessageThread:${accountId}:${this.random.digits(39)}`);
  }

  /** Comment id (17 digits). */
  commentId(): string {
    return `178${this.random.digits(14)}`;
  }

  /** Media id (17 digits). */
  mediaId(): string {
    return `179${this.random.digits(14)}`;
  }

  /** `fbtrace_id` as it appears in error bodies. */
  fbtraceId(): string {
    return this.random.chars(23, TRACE);
  }
}
