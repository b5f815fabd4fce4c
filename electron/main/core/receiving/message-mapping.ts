/**
 * How parsed Instagram events become message rows: kind, text, attachments JSON, reply target, raw event.
 *
 * Pure functions, so the mapping can be read (and tested) apart from the worker's I/O.
 */
import type {
  EchoEvent,
  MessageContent,
  MessageEvent,
  NormalisedEvent,
  PostbackEvent,
  Referral,
} from '../../../../shared/instagram';
// Not re-exported by the parser's index; imported from its types file directly.
import type { ReferralEvent } from '../../../../shared/instagram/webhook-events';
import type { IngestInput, Message } from '../db/repositories/conversations-repository';
import type { JsonValue } from '../db/validation';

type MessageKind = NonNullable<IngestInput['kind']>;

/**
 * Attachment type → message kind. The schema's kind list is narrower than Instagram's attachment
 * list; the attachment JSON always keeps Instagram's own `type`, so nothing is lost by folding.
 */
const kindOfAttachment: Readonly<Record<string, MessageKind>> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  share: 'share',
  ig_post: 'share',
  story: 'share',
  ig_story: 'share',
  fallback: 'share',
  template: 'share',
  media: 'file',
  ig_reel: 'reel',
  reel: 'reel',
  story_mention: 'story_mention',
  like_heart: 'like_heart',
  // View-once media arrive without a URL: the thread can only say that something was sent.
  ephemeral: 'unsupported',
};

/** The events that create a message row (everything else changes a row or only publishes). */
export type CreatingEvent = MessageEvent | EchoEvent | PostbackEvent | ReferralEvent;

/** True for events that become a row of their own in `messages`. */
export function createsMessage(event: NormalisedEvent): event is CreatingEvent {
  return (
    event.kind === 'message' ||
    event.kind === 'echo' ||
    event.kind === 'postback' ||
    event.kind === 'referral'
  );
}

/**
 * What is stored as `raw_event`. A `messaging[]` item is stored exactly as sent. A `standby[]` item is
 * wrapped as `{ source: 'standby', item }`: the item alone does not say that another app owned the
 * thread, and the schema has no column for it.
 */
export function rawEventOf(event: NormalisedEvent): JsonValue {
  const raw = event.raw as JsonValue;
  return event.source === 'messaging' ? raw : { source: event.source, item: raw };
}

function referralJson(referral: Referral): JsonValue {
  return {
    ref: referral.ref,
    source: referral.source,
    type: referral.type,
    adId: referral.adId,
    adsContext: referral.adsContext,
    productId: referral.productId,
  };
}

function kindOfContent(content: MessageContent): MessageKind {
  if (content.isUnsupported) return 'unsupported';
  if (content.replyTo?.kind === 'story') return 'story_reply';
  if (content.quickReplyPayload !== null) return 'quick_reply';
  const first = content.attachments[0];
  if (first) return kindOfAttachment[first.type] ?? 'unsupported';
  if (content.text === null && content.referral !== null) return 'referral';
  return 'text';
}

/**
 * Attachments JSON: Instagram's attachments as parsed (type, url, title, payload), followed by the
 * context the thread needs to draw the message — the story it answers, the quick-reply payload, the
 * ig.me/ad referral — each as an entry with its own `type`. Null when there is nothing.
 */
function attachmentsOf(content: MessageContent): JsonValue[] | null {
  const items: JsonValue[] = content.attachments.map((attachment) => ({
    type: attachment.type,
    url: attachment.url,
    title: attachment.title,
    payload: (attachment.payload ?? null) as JsonValue,
  }));
  if (content.replyTo?.kind === 'story')
    items.push({ type: 'story_reply', storyId: content.replyTo.storyId, url: content.replyTo.url });
  if (content.quickReplyPayload !== null)
    items.push({ type: 'quick_reply', payload: content.quickReplyPayload });
  if (content.referral !== null) items.push({ type: 'referral', referral: referralJson(content.referral) });
  return items.length > 0 ? items : null;
}

/** The row for an event that creates a message, for `ConversationsRepository.ingestMany`. */
export function toIngestInput(
  event: CreatingEvent,
  accountId: string,
  sentBy: Message['sentBy'] = 'phone',
): IngestInput {
  const common = {
    accountId,
    participantIgsid: event.customerId,
    rawEvent: rawEventOf(event),
    createdAt: new Date(event.timestamp),
  };
  switch (event.kind) {
    case 'message':
    case 'echo': {
      const content = event.message;
      const echo = event.kind === 'echo';
      return {
        ...common,
        mid: content.mid,
        direction: echo ? 'outbound' : 'inbound',
        kind: kindOfContent(content),
        text: content.text,
        attachments: attachmentsOf(content),
        replyToMid: content.replyTo?.kind === 'message' ? content.replyTo.mid : null,
        ...(echo ? { isEcho: true, sentBy } : {}),
      };
    }
    case 'postback': {
      const extra: JsonValue[] = [{ type: 'postback', payload: event.payload, title: event.title }];
      if (event.referral) extra.push({ type: 'referral', referral: referralJson(event.referral) });
      // Ice breakers from older API versions have no mid: the parser's key (sender + time) stands in.
      return {
        ...common,
        mid: event.mid ?? event.dedupKey,
        direction: 'inbound',
        kind: 'postback',
        text: event.title,
        attachments: extra,
      };
    }
    case 'referral':
      // A referral item has no id: its dedup key (sender + time) is stable across Meta's retries.
      return {
        ...common,
        mid: event.dedupKey,
        direction: 'inbound',
        kind: 'referral',
        text: null,
        attachments: [{ type: 'referral', referral: referralJson(event.referral) }],
      };
    default: {
      const exhaustive: never = event;
      throw new Error(`not a message-creating event: ${JSON.stringify(exhaustive)}`);
    }
  }
}
