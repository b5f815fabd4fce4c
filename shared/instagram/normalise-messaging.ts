import type { z } from 'zod';
import { clip, isRecord, unknownEvent } from './unknown-event';
import { knownAttachmentTypes } from './webhook-events';
import type {
  DirectEventCommon,
  MessageAttachment,
  MessageContent,
  NormalisedEvent,
  Referral,
  ReplyTo,
} from './webhook-events';
import {
  describeIssues,
  directItemSchema,
  idSchema,
  messageEditSchema,
  messageSchema,
  optinSchema,
  postbackSchema,
  reactionSchema,
  readSchema,
  referralSchema,
  threadControlSchema,
  timeSchema,
} from './webhook-schema';

/**
 * Turns one `messaging[]` or `standby[]` item into one event (instagram-api.md §4).
 *
 * Meta puts exactly one event key next to `sender`/`recipient`/`timestamp`; the item is
 * dispatched on which key is present, in this order. An item with none of them, or whose
 * payload fails its schema, becomes an `unknown` event.
 */
const EVENT_KEYS = [
  'message',
  'message_edit',
  'reaction',
  'read',
  'postback',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'optin',
  'referral',
] as const;

/** Where the item sits. */
export interface DirectItemContext {
  accountId: string;
  source: 'messaging' | 'standby';
}

const KNOWN_ATTACHMENT_TYPES: ReadonlySet<string> = new Set(knownAttachmentTypes);

/** Normalises one messaging/standby item. Never throws for any JSON value. */
export function normaliseDirectItem(item: unknown, context: DirectItemContext): NormalisedEvent {
  if (!isRecord(item)) return unknownEvent(context, item, `a ${context.source} item must be an object`);
  const present = EVENT_KEYS.filter((key) => item[key] !== undefined);
  const salvaged = salvage(item, context.accountId);
  const first = present[0];
  if (first === undefined) {
    return unknownEvent(
      { ...context, ...salvaged },
      item,
      `no event key Switchboard understands (keys present: ${listKeys(item)})`,
    );
  }
  const envelope = directItemSchema.safeParse(item);
  if (!envelope.success)
    return unknownEvent({ ...context, ...salvaged }, item, describeIssues(envelope.error));
  const warnings =
    present.length > 1 ? [`also carried ${present.slice(1).join(', ')}; only ${first} was read`] : [];
  const ids = {
    senderId: envelope.data.sender.id,
    recipientId: envelope.data.recipient.id,
    timestamp: envelope.data.timestamp,
  };
  const payload = item[first];
  const fail = (error: z.ZodError): NormalisedEvent =>
    unknownEvent({ ...context, ...salvaged }, item, describeIssues(error, first));
  const common = (dedupKey: string, echo: boolean, extra: readonly string[] = []): DirectEventCommon =>
    directCommon(context, ids, { dedupKey, echo, raw: item, warnings: [...warnings, ...extra] });

  switch (first) {
    case 'message': {
      const parsed = messageSchema.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const message = parsed.data;
      const echo = message.is_echo === true;
      if (message.is_deleted === true) {
        return {
          ...common(`delete:${message.mid}`, echo),
          kind: 'message_deleted',
          mid: message.mid,
          byBusiness: echo,
        };
      }
      return { ...common(message.mid, echo), kind: echo ? 'echo' : 'message', message: toContent(message) };
    }
    case 'message_edit': {
      const parsed = messageEditSchema.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const { mid, text, num_edit } = parsed.data;
      const numEdit = toCount(num_edit);
      const extra =
        num_edit != null && numEdit === null
          ? [`num_edit ${clip(JSON.stringify(num_edit))} is not a count; keyed by timestamp`]
          : [];
      const dedupKey = numEdit === null ? `edit:${mid}:at:${ids.timestamp}` : `edit:${mid}:${numEdit}`;
      return { ...common(dedupKey, false, extra), kind: 'message_edit', mid, text: text ?? null, numEdit };
    }
    case 'reaction': {
      const parsed = reactionSchema.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const { mid, action, reaction, emoji } = parsed.data;
      const dedupKey = `reaction:${mid}:${ids.senderId}:${action}:${reaction ?? ''}:${ids.timestamp}`;
      return {
        ...common(dedupKey, false),
        kind: 'reaction',
        mid,
        action,
        reaction: reaction ?? null,
        emoji: emoji ?? null,
      };
    }
    case 'read': {
      const parsed = readSchema.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      return {
        ...common(`read:${parsed.data.mid}:${ids.senderId}`, false),
        kind: 'read',
        mid: parsed.data.mid,
      };
    }
    case 'postback': {
      const parsed = postbackSchema.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const { mid, title, payload: value, referral } = parsed.data;
      // Ice breakers from older API versions carry no mid; sender + time identify the tap.
      const dedupKey = mid ?? `postback:${ids.senderId}:${ids.timestamp}`;
      return {
        ...common(dedupKey, false),
        kind: 'postback',
        mid: mid ?? null,
        title: title ?? null,
        payload: value ?? null,
        referral: referral ? toReferral(referral) : null,
      };
    }
    case 'pass_thread_control':
    case 'take_thread_control':
    case 'request_thread_control': {
      const parsed = threadControlSchema.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const data = parsed.data;
      return {
        ...common(`handover:${first}:${ids.senderId}:${ids.timestamp}`, false),
        kind: 'handover',
        action: first,
        previousOwnerAppId: data.previous_owner_app_id ?? null,
        newOwnerAppId: data.new_owner_app_id ?? null,
        requestedOwnerAppId: data.requested_owner_app_id ?? null,
        metadata: data.metadata ?? null,
      };
    }
    case 'optin': {
      const parsed = optinSchema.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      return {
        ...common(`optin:${ids.senderId}:${ids.timestamp}`, false),
        kind: 'optin',
        optin: parsed.data,
      };
    }
    case 'referral': {
      const parsed = referralSchema.safeParse(payload);
      if (!parsed.success) return fail(parsed.error);
      const dedupKey = `referral:${ids.senderId}:${ids.timestamp}`;
      return { ...common(dedupKey, false), kind: 'referral', referral: toReferral(parsed.data) };
    }
  }
}

/**
 * Who is the business and who the customer.
 *
 * `entry.id` is the account in both directions (instagram-api.md §3), so whichever of
 * sender/recipient equals it is the business. Only when that is undecidable (neither or
 * both match, e.g. placeholder ids or a self-test) does the echo flag decide: an echo is
 * sent by the business. A disagreement between the two is reported as a warning; the ids
 * win, because a sample with an echo flag but unswapped ids (courier's `ig/echo.json`)
 * still names the real account as recipient.
 */
export function assignRoles(
  accountId: string,
  senderId: string,
  recipientId: string,
  echo: boolean,
): { businessId: string; customerId: string; warnings: string[] } {
  const senderIsAccount = senderId === accountId;
  const recipientIsAccount = recipientId === accountId;
  if (senderIsAccount !== recipientIsAccount) {
    const warnings =
      senderIsAccount === echo
        ? []
        : [
            echo
              ? 'echo whose sender is not entry.id (ids look unswapped); roles taken from entry.id'
              : 'sent by entry.id without the echo flag; roles taken from entry.id',
          ];
    return senderIsAccount
      ? { businessId: senderId, customerId: recipientId, warnings }
      : { businessId: recipientId, customerId: senderId, warnings };
  }
  const warnings = senderIsAccount
    ? []
    : ['neither sender nor recipient is entry.id; roles taken from the echo flag'];
  return echo
    ? { businessId: senderId, customerId: recipientId, warnings }
    : { businessId: recipientId, customerId: senderId, warnings };
}

function directCommon(
  context: DirectItemContext,
  ids: { senderId: string; recipientId: string; timestamp: number },
  event: { dedupKey: string; echo: boolean; raw: Record<string, unknown>; warnings: readonly string[] },
): DirectEventCommon {
  const roles = assignRoles(context.accountId, ids.senderId, ids.recipientId, event.echo);
  return {
    dedupKey: event.dedupKey,
    source: context.source,
    accountId: context.accountId,
    businessId: roles.businessId,
    customerId: roles.customerId,
    senderId: ids.senderId,
    recipientId: ids.recipientId,
    timestamp: ids.timestamp,
    raw: event.raw,
    warnings: [...event.warnings, ...roles.warnings],
  };
}

/** Whatever ids and time an unreadable item still offers, for the diagnostics view. */
function salvage(
  item: Record<string, unknown>,
  accountId: string,
): {
  senderId: string | null;
  recipientId: string | null;
  timestamp: number | null;
  customerId: string | null;
  businessId: string | null;
} {
  const senderId = idOf(item.sender);
  const recipientId = idOf(item.recipient);
  const time = timeSchema.safeParse(item.timestamp);
  const echo = isRecord(item.message) && item.message.is_echo === true;
  const roles =
    senderId !== null && recipientId !== null ? assignRoles(accountId, senderId, recipientId, echo) : null;
  return {
    senderId,
    recipientId,
    timestamp: time.success ? time.data : null,
    customerId: roles?.customerId ?? null,
    businessId: roles?.businessId ?? null,
  };
}

/** The item's keys for a reason text, capped so a hostile item cannot blow up the diagnostics. */
function listKeys(item: Record<string, unknown>): string {
  const keys = Object.keys(item);
  if (keys.length === 0) return 'none';
  const shown = keys.slice(0, 12).map((key) => clip(key, 40));
  return keys.length > shown.length
    ? `${shown.join(', ')} and ${keys.length - shown.length} more`
    : shown.join(', ');
}

function idOf(participant: unknown): string | null {
  if (!isRecord(participant)) return null;
  const parsed = idSchema.safeParse(participant.id);
  return parsed.success ? parsed.data : null;
}

function toContent(message: z.infer<typeof messageSchema>): MessageContent {
  return {
    mid: message.mid,
    text: message.text ?? null,
    attachments: (message.attachments ?? []).map(toAttachment),
    replyTo: toReplyTo(message.reply_to),
    quickReplyPayload: message.quick_reply?.payload ?? null,
    referral: message.referral ? toReferral(message.referral) : null,
    isSelf: message.is_self === true,
    isUnsupported: message.is_unsupported === true,
  };
}

function toAttachment(
  attachment: NonNullable<z.infer<typeof messageSchema>['attachments']>[number],
): MessageAttachment {
  const payload = attachment.payload ?? null;
  return {
    type: attachment.type,
    isKnownType: KNOWN_ATTACHMENT_TYPES.has(attachment.type),
    url: payload?.url ?? null,
    title: payload?.title ?? null,
    payload,
  };
}

function toReplyTo(replyTo: z.infer<typeof messageSchema>['reply_to']): ReplyTo | null {
  if (!replyTo) return null;
  if (replyTo.story)
    return { kind: 'story', storyId: replyTo.story.id ?? null, url: replyTo.story.url ?? null };
  if (replyTo.mid) return { kind: 'message', mid: replyTo.mid };
  return null;
}

function toReferral(referral: z.infer<typeof referralSchema>): Referral {
  const ads = referral.ads_context_data;
  return {
    ref: referral.ref ?? null,
    source: referral.source ?? null,
    type: referral.type ?? null,
    adId: referral.ad_id ?? null,
    adsContext: ads
      ? {
          adTitle: ads.ad_title ?? null,
          photoUrl: ads.photo_url ?? null,
          videoUrl: ads.video_url ?? null,
          postId: ads.post_id ?? null,
        }
      : null,
    productId: referral.product?.id ?? null,
  };
}

/** `num_edit` as a count: a non-negative integer, or a string of digits. */
function toCount(value: number | string | null | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return null;
}
