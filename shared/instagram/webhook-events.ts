/**
 * The normalised form of an Instagram webhook delivery: what ingest works with.
 *
 * Every Meta item becomes exactly one {@link NormalisedEvent}; items that are not understood
 * become `kind: 'unknown'` events that keep the original item, so nothing is ever dropped.
 * Ids are always strings, times always epoch milliseconds.
 */

/** Where in the entry an event came from. `standby` means another app owns the thread. */
export type EventSource = 'messaging' | 'standby' | 'changes';

/** Fields every event carries. */
export interface EventCommon {
  /**
   * Stable across Meta's retries of the same event, unique among one account's events.
   * Scope it by `accountId` when storing: the docs do not promise mids are globally unique.
   */
  dedupKey: string;
  source: EventSource;
  /** `entry.id`: the professional account the delivery is for. Route by this. */
  accountId: string;
  /**
   * The business side, as the item names it: `accountId` whenever the item's sender or
   * recipient is `entry.id`; otherwise the side the echo flag points to.
   */
  businessId: string;
  /** The other person (IGSID / commenter id), or null when the event has none (mentions). */
  customerId: string | null;
  senderId: string | null;
  recipientId: string | null;
  /** When the event happened, epoch ms; null only where Meta gives no time at all. */
  timestamp: number | null;
  /** The original item object (`messaging[]`/`standby[]` item or `changes[]` item), for storage. */
  raw: unknown;
  /** Oddities that did not stop understanding the event (e.g. an echo whose ids look unswapped). */
  warnings: readonly string[];
}

/** Fields every `messaging[]` / `standby[]` event carries, with the ids guaranteed present. */
export interface DirectEventCommon extends EventCommon {
  source: 'messaging' | 'standby';
  customerId: string;
  senderId: string;
  recipientId: string;
  timestamp: number;
}

/** Attachment `type` values documented for Instagram (instagram-api.md §4). */
export const knownAttachmentTypes = [
  'image',
  'video',
  'audio',
  'file',
  'share',
  'ig_post',
  'ig_reel',
  'reel',
  'story',
  'ig_story',
  'story_mention',
  'like_heart',
  'ephemeral',
  'media',
  'fallback',
  'template',
] as const;

export type KnownAttachmentType = (typeof knownAttachmentTypes)[number];

/** One attachment. Unfamiliar types are kept with their type string and `isKnownType: false`. */
export interface MessageAttachment {
  type: string;
  isKnownType: boolean;
  /** CDN URL; null for `ephemeral`, `like_heart` and other url-less attachments. */
  url: string | null;
  title: string | null;
  /** The attachment's `payload` object as sent (reel ids, sticker ids …), or null. */
  payload: Readonly<Record<string, unknown>> | null;
}

/** Where a conversation came from: ig.me link, click-to-Direct ad, shop product. */
export interface Referral {
  ref: string | null;
  /** e.g. `ADS`, `SHORTLINKS` (Meta's docs also write `SHORTLINK`). */
  source: string | null;
  /** e.g. `OPEN_THREAD`. */
  type: string | null;
  adId: string | null;
  adsContext: {
    adTitle: string | null;
    photoUrl: string | null;
    videoUrl: string | null;
    postId: string | null;
  } | null;
  productId: string | null;
}

/** What the message answers: a story of the business, or an earlier message. */
export type ReplyTo =
  { kind: 'story'; storyId: string | null; url: string | null } | { kind: 'message'; mid: string };

/** The content of a message or an echo. */
export interface MessageContent {
  mid: string;
  text: string | null;
  attachments: readonly MessageAttachment[];
  replyTo: ReplyTo | null;
  /** `quick_reply.payload` when the customer tapped a quick reply (`text` is its title). */
  quickReplyPayload: string | null;
  referral: Referral | null;
  /** The account messaged itself (Meta's test path). */
  isSelf: boolean;
  /** Instagram could not render the content for the API. */
  isUnsupported: boolean;
}

/** A message from the customer. */
export interface MessageEvent extends DirectEventCommon {
  kind: 'message';
  message: MessageContent;
}

/** A message the business account sent (by our app, the phone or another tool). Never inbound. */
export interface EchoEvent extends DirectEventCommon {
  kind: 'echo';
  message: MessageContent;
}

/** A message was unsent. `byBusiness` when the echo flag says the business unsent its own. */
export interface MessageDeletedEvent extends DirectEventCommon {
  kind: 'message_deleted';
  mid: string;
  byBusiness: boolean;
}

/** A message was edited; `numEdit` counts edits so far (null if Meta sent no usable count). */
export interface MessageEditEvent extends DirectEventCommon {
  kind: 'message_edit';
  mid: string;
  text: string | null;
  numEdit: number | null;
}

/** A reaction added to or removed from message `mid`. `reaction`/`emoji` are null on unreact. */
export interface ReactionEvent extends DirectEventCommon {
  kind: 'reaction';
  mid: string;
  action: 'react' | 'unreact';
  reaction: string | null;
  emoji: string | null;
}

/** The customer saw messages up to `mid`. */
export interface ReadEvent extends DirectEventCommon {
  kind: 'read';
  mid: string;
}

/** An ice breaker, template button or persistent-menu tap. `payload` is absent in standby. */
export interface PostbackEvent extends DirectEventCommon {
  kind: 'postback';
  mid: string | null;
  title: string | null;
  payload: string | null;
  referral: Referral | null;
}

/** An ig.me link / ad opened an existing thread (`referral` item, no message). */
export interface ReferralEvent extends DirectEventCommon {
  kind: 'referral';
  referral: Referral;
}

/** A `messaging_optins` item. Meta documents no shape for Instagram, so it is kept as sent. */
export interface OptinEvent extends DirectEventCommon {
  kind: 'optin';
  optin: Readonly<Record<string, unknown>>;
}

/** Conversation routing: thread control passed, taken or requested. */
export interface HandoverEvent extends DirectEventCommon {
  kind: 'handover';
  action: 'pass_thread_control' | 'take_thread_control' | 'request_thread_control';
  previousOwnerAppId: string | null;
  newOwnerAppId: string | null;
  requestedOwnerAppId: string | null;
  metadata: string | null;
}

/** Fields of `changes[]` events: times come from `entry.time` (converted from seconds). */
export interface ChangeEventCommon extends EventCommon {
  source: 'changes';
  /** The change's `field` as sent. */
  field: string;
}

/** The post (or ad) a comment was made on. */
export interface CommentMedia {
  id: string;
  mediaProductType: string | null;
  adId: string | null;
  adTitle: string | null;
  originalMediaId: string | null;
}

/** A comment (or live comment) on one of the account's posts; input for comment-to-DM rules. */
export interface CommentEvent extends ChangeEventCommon {
  kind: 'comment';
  field: 'comments' | 'live_comments';
  /** IG Login sends `value.id`, FB Login `value.comment_id`. */
  commentId: string;
  text: string | null;
  from: { id: string; username: string | null } | null;
  media: CommentMedia | null;
  /** Set when the comment replies to another comment. */
  parentId: string | null;
  /** The account commented itself (its own replies come back as webhooks too). */
  isFromBusiness: boolean;
}

/** The account was @mentioned in a caption (`commentId` null) or a comment (FB Login). */
export interface MentionEvent extends ChangeEventCommon {
  kind: 'mention';
  field: 'mentions';
  mediaId: string;
  commentId: string | null;
}

/** Anything not understood: kept whole with the reason, for the diagnostics view. */
export interface UnknownEvent extends Omit<EventCommon, 'source'> {
  kind: 'unknown';
  /** `entry` for an unfamiliar list directly in the entry (not messaging, standby or changes). */
  source: EventSource | 'entry';
  /** Plain words: which key or field was not understood, or which schema check failed. */
  reason: string;
}

/** Every event a delivery can produce. Switch on `kind`. */
export type NormalisedEvent =
  | MessageEvent
  | EchoEvent
  | MessageDeletedEvent
  | MessageEditEvent
  | ReactionEvent
  | ReadEvent
  | PostbackEvent
  | ReferralEvent
  | OptinEvent
  | HandoverEvent
  | CommentEvent
  | MentionEvent
  | UnknownEvent;

export type NormalisedEventKind = NormalisedEvent['kind'];

/** One `entry[]` element: all events for one account. */
export interface ParsedEntry {
  /** `entry.id`, as a string. */
  accountId: string;
  /** `entry.time` in epoch ms (seconds are converted); null when absent or unusable. */
  time: number | null;
  events: NormalisedEvent[];
  warnings: readonly string[];
}

/** An `entry[]` element that cannot be routed (not an object, or no usable `id`). */
export interface RejectedEntry {
  index: number;
  reason: string;
  raw: unknown;
}

/** Why a body was refused as a whole. */
export type DeliveryFailureReason = 'invalid_json' | 'not_an_object' | 'wrong_shape';

/** The result of parsing one webhook body. Never thrown; errors are values. */
export type ParsedDelivery =
  | {
      ok: true;
      object: 'instagram' | 'page';
      entries: ParsedEntry[];
      /** Entries that could not be routed; kept so nothing is silently lost. */
      rejectedEntries: RejectedEntry[];
    }
  | { ok: false; reason: DeliveryFailureReason; message: string };
