/**
 * Builders for every webhook event shape in instagram-api.md §4.
 *
 * Builders are pure: ids and times come in, plain objects come out, in the
 * key order Meta uses (sender, recipient, timestamp, event).
 */

/** Attachment types a customer can send (§4, "attachment type values"). */
export type InboundAttachmentType =
  | 'image'
  | 'video'
  | 'audio'
  | 'file'
  | 'share'
  | 'ig_post'
  | 'ig_reel'
  | 'reel'
  | 'story_mention'
  | 'like_heart'
  | 'ephemeral';

/** Referral carried by ig.me links and click-to-direct ads. */
export type Referral =
  | { source: 'SHORTLINKS'; ref: string }
  | { source: 'ADS'; ref: string; adId: string; adTitle: string; photoUrl: string; videoUrl: string };

/** Something a customer (or Meta on their behalf) does that produces a webhook. */
export type CustomerEvent =
  | { type: 'text'; text: string }
  | { type: 'attachments'; attachments: Array<{ type: InboundAttachmentType; url?: string }> }
  | { type: 'story_mention'; url: string }
  | { type: 'story_reply'; text: string; story: { id: string; url: string } }
  | { type: 'reply_to'; text: string; replyToMid: string }
  | { type: 'quick_reply'; text: string; payload: string }
  | { type: 'postback'; title: string; payload: string; referral?: Referral }
  | { type: 'reaction'; targetMid: string; reaction: string; emoji: string }
  | { type: 'unreact'; targetMid: string }
  | { type: 'read'; targetMid: string }
  | { type: 'delete'; targetMid: string }
  | { type: 'edit'; targetMid: string; text: string; numEdit: number }
  | { type: 'referral'; referral: Referral }
  | { type: 'message_referral'; text?: string; referral: Referral }
  | { type: 'unsupported' }
  | { type: 'pass_thread_control'; previousOwnerAppId: string; newOwnerAppId: string; metadata: string }
  | { type: 'take_thread_control'; previousOwnerAppId: string; newOwnerAppId: string; metadata: string }
  | {
      type: 'comment';
      text: string;
      commentId?: string;
      mediaId?: string;
      parentId?: string;
      mediaProductType?: string;
      ad?: { adId: string; adTitle: string; originalMediaId: string };
    }
  | { type: 'mention'; mediaId: string; commentId?: string };

/** The event type names, for scenario mixes and the admin API. */
export const CUSTOMER_EVENT_TYPES = [
  'text',
  'attachments',
  'story_mention',
  'story_reply',
  'reply_to',
  'quick_reply',
  'postback',
  'reaction',
  'unreact',
  'read',
  'delete',
  'edit',
  'referral',
  'message_referral',
  'unsupported',
  'pass_thread_control',
  'take_thread_control',
  'comment',
  'mention',
] as const satisfies ReadonlyArray<CustomerEvent['type']>;

/** Where a webhook item goes in its entry. */
export type WebhookContainer = 'messaging' | 'standby' | 'changes';

/** One item ready to be wrapped in an entry: a `messaging[]`/`standby[]` element or a `changes[]` element. */
export interface WebhookItem {
  /** IG professional account id: becomes `entry.id`. */
  accountId: string;
  container: WebhookContainer;
  /** The subscription field that must be on for Meta to deliver it. */
  field: string;
  /** Ordering key (the event's `timestamp`, ms). */
  timestamp: number;
  payload: Record<string, unknown>;
}

/** Context every builder needs. */
export interface EventContext {
  accountId: string;
  customerId: string;
  customerUsername: string;
  /** When the event happened (ms). */
  timestamp: number;
  /** Id for the new message, when the event creates one. */
  mid: string;
  /** FB-Login comments use a different value shape than IG-Login ones. */
  loginType: 'instagram' | 'facebook';
  /** Ids to use when the event does not give them. */
  newCommentId: () => string;
  newMediaId: () => string;
  /** Deliver through `standby[]` (another app owns the thread). */
  standby?: boolean;
}

function referralPayload(referral: Referral): Record<string, unknown> {
  if (referral.source === 'SHORTLINKS')
    return { ref: referral.ref, source: 'SHORTLINKS', type: 'OPEN_THREAD' };
  return {
    ref: referral.ref,
    ad_id: referral.adId,
    source: 'ADS',
    type: 'OPEN_THREAD',
    ads_context_data: {
      ad_title: referral.adTitle,
      photo_url: referral.photoUrl,
      video_url: referral.videoUrl,
    },
  };
}

function attachmentPayload(a: { type: InboundAttachmentType; url?: string }): Record<string, unknown> {
  // like_heart and ephemeral (view-once) media arrive without a payload/URL (§3 limitations, courier fixture).
  if (a.type === 'like_heart' || a.type === 'ephemeral') return { type: a.type };
  return {
    type: a.type,
    payload: { url: a.url ?? 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=0' },
  };
}

/** The subscription field an event needs (instagram-api.md §4 table). */
export function fieldOf(event: CustomerEvent): string {
  switch (event.type) {
    case 'reaction':
    case 'unreact':
      return 'message_reactions';
    case 'postback':
      return 'messaging_postbacks';
    case 'read':
      return 'messaging_seen';
    case 'referral':
      return 'messaging_referral';
    case 'pass_thread_control':
    case 'take_thread_control':
      return 'messaging_handover';
    case 'comment':
      return 'comments';
    case 'mention':
      return 'mentions';
    default:
      return 'messages';
  }
}

/** Build the webhook item for a customer event. */
export function buildCustomerEvent(ctx: EventContext, event: CustomerEvent): WebhookItem {
  if (event.type === 'comment' || event.type === 'mention') return buildChange(ctx, event);
  const head = { sender: { id: ctx.customerId }, recipient: { id: ctx.accountId }, timestamp: ctx.timestamp };
  const body = messagingBody(ctx, event);
  // Standby postbacks omit the payload (§4, standby row).
  if (ctx.standby && isObject(body.postback)) delete body.postback.payload;
  return {
    accountId: ctx.accountId,
    container: ctx.standby ? 'standby' : 'messaging',
    field: ctx.standby ? 'standby' : fieldOf(event),
    timestamp: ctx.timestamp,
    payload: { ...head, ...body },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messagingBody(
  ctx: EventContext,
  event: Exclude<CustomerEvent, { type: 'comment' } | { type: 'mention' }>,
): Record<string, Record<string, unknown>> {
  const mid = ctx.mid;
  switch (event.type) {
    case 'text':
      return { message: { mid, text: event.text } };
    case 'attachments':
      return { message: { mid, attachments: event.attachments.map(attachmentPayload) } };
    case 'story_mention':
      return { message: { mid, attachments: [{ type: 'story_mention', payload: { url: event.url } }] } };
    case 'story_reply':
      return {
        message: { mid, text: event.text, reply_to: { story: { url: event.story.url, id: event.story.id } } },
      };
    case 'reply_to':
      return { message: { mid, text: event.text, reply_to: { mid: event.replyToMid } } };
    case 'quick_reply':
      return { message: { mid, text: event.text, quick_reply: { payload: event.payload } } };
    case 'postback':
      return {
        postback: {
          mid,
          title: event.title,
          payload: event.payload,
          ...(event.referral ? { referral: referralPayload(event.referral) } : {}),
        },
      };
    case 'reaction':
      return {
        reaction: { mid: event.targetMid, action: 'react', reaction: event.reaction, emoji: event.emoji },
      };
    case 'unreact':
      return { reaction: { mid: event.targetMid, action: 'unreact' } };
    case 'read':
      return { read: { mid: event.targetMid } };
    case 'delete':
      return { message: { mid: event.targetMid, is_deleted: true } };
    case 'edit':
      return { message_edit: { mid: event.targetMid, text: event.text, num_edit: event.numEdit } };
    case 'referral':
      return { referral: referralPayload(event.referral) };
    case 'message_referral':
      return {
        message: {
          mid,
          ...(event.text === undefined ? {} : { text: event.text }),
          referral: referralPayload(event.referral),
        },
      };
    case 'unsupported':
      return { message: { mid, is_unsupported: true } };
    case 'pass_thread_control':
    case 'take_thread_control':
      return {
        [event.type]: {
          previous_owner_app_id: event.previousOwnerAppId,
          new_owner_app_id: event.newOwnerAppId,
          metadata: event.metadata,
        },
      };
  }
}

function buildChange(
  ctx: EventContext,
  event: Extract<CustomerEvent, { type: 'comment' } | { type: 'mention' }>,
): WebhookItem {
  if (event.type === 'mention') {
    return {
      accountId: ctx.accountId,
      container: 'changes',
      field: 'mentions',
      timestamp: ctx.timestamp,
      payload: {
        field: 'mentions',
        value:
          event.commentId === undefined
            ? { media_id: event.mediaId }
            : { comment_id: event.commentId, media_id: event.mediaId },
      },
    };
  }
  const commentId = event.commentId ?? ctx.newCommentId();
  const from = { id: ctx.customerId, username: ctx.customerUsername };
  const mediaId = event.mediaId ?? ctx.newMediaId();
  const productType = event.mediaProductType ?? 'FEED';
  const value =
    ctx.loginType === 'instagram'
      ? {
          id: commentId,
          from,
          text: event.text,
          media: { id: mediaId, media_product_type: productType },
          ...(event.parentId === undefined ? {} : { parent_id: event.parentId }),
        }
      : {
          from,
          comment_id: commentId,
          ...(event.parentId === undefined ? {} : { parent_id: event.parentId }),
          text: event.text,
          media: {
            id: mediaId,
            ...(event.ad
              ? {
                  ad_id: event.ad.adId,
                  ad_title: event.ad.adTitle,
                  original_media_id: event.ad.originalMediaId,
                }
              : {}),
            media_product_type: productType,
          },
        };
  return {
    accountId: ctx.accountId,
    container: 'changes',
    field: 'comments',
    timestamp: ctx.timestamp,
    payload: { field: 'comments', value },
  };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

// How a sent attachment comes back in its echo. Meta does not document echo
// attachment payloads; media keep their URL (an uploaded attachment_id gets a
// CDN-looking URL), a media share shows as the post it shared.
function echoAttachment(a: { type: string; payload?: Record<string, unknown> }): Record<string, unknown> {
  const url = typeof a.payload?.url === 'string' ? a.payload.url : undefined;
  switch (a.type) {
    case 'like_heart':
      return { type: 'like_heart' };
    case 'MEDIA_SHARE':
      return {
        type: 'ig_post',
        payload: { url: `https://www.instagram.com/p/${stringOr(a.payload?.id, '')}/` },
      };
    case 'template':
      return { type: 'template' };
    default:
      return {
        type: a.type,
        payload: {
          url:
            url ??
            `https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=${stringOr(a.payload?.attachment_id, '0')}`,
        },
      };
  }
}

/** The echo Meta sends when the business account sent a message: sender and recipient swapped, `is_echo: true`. */
export function buildEcho(args: {
  accountId: string;
  customerId: string;
  timestamp: number;
  mid: string;
  text: string | null;
  attachments: Array<{ type: string; payload?: Record<string, unknown> }>;
}): WebhookItem {
  const message: Record<string, unknown> = { mid: args.mid };
  if (args.text !== null) message.text = args.text;
  if (args.attachments.length > 0) {
    message.attachments = args.attachments.map(echoAttachment);
  }
  message.is_echo = true;
  return {
    accountId: args.accountId,
    container: 'messaging',
    field: 'messages',
    timestamp: args.timestamp,
    payload: {
      sender: { id: args.accountId },
      recipient: { id: args.customerId },
      timestamp: args.timestamp,
      message,
    },
  };
}

/**
 * Wrap items into the `{object:"instagram", entry:[…]}` envelope.
 *
 * One entry per account and container, in order of first appearance; `time`
 * is milliseconds for messaging entries and seconds for changes entries, as
 * in Meta's traffic (§3).
 */
export function buildEnvelope(items: readonly WebhookItem[], sentAt: number): Record<string, unknown> {
  const entries: Array<{
    accountId: string;
    container: WebhookContainer;
    payloads: Record<string, unknown>[];
  }> = [];
  for (const item of items) {
    let entry = entries.find((e) => e.accountId === item.accountId && e.container === item.container);
    if (!entry) {
      entry = { accountId: item.accountId, container: item.container, payloads: [] };
      entries.push(entry);
    }
    entry.payloads.push(item.payload);
  }
  return {
    object: 'instagram',
    entry: entries.map((e) => ({
      id: e.accountId,
      time: e.container === 'changes' ? Math.floor(sentAt / 1000) : sentAt,
      [e.container]: e.payloads,
    })),
  };
}
