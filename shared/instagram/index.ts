/**
 * Instagram webhook payloads: raw body text in, typed and normalised events out.
 *
 * Pure TypeScript (no Node, DOM or Electron); the receiver and ingest live in the core.
 */
export { parseWebhookBody } from './parse-webhook';
export { parseJsonLossless, quoteUnsafeIntegers } from './lossless-json';
export type { LosslessJsonResult } from './lossless-json';
export { assignRoles } from './normalise-messaging';
export { toMilliseconds, SECONDS_THRESHOLD } from './webhook-schema';
export { knownAttachmentTypes } from './webhook-events';
export type {
  ChangeEventCommon,
  CommentEvent,
  CommentMedia,
  DeliveryFailureReason,
  DirectEventCommon,
  EchoEvent,
  EventCommon,
  EventSource,
  HandoverEvent,
  KnownAttachmentType,
  MentionEvent,
  MessageAttachment,
  MessageContent,
  MessageDeletedEvent,
  MessageEditEvent,
  MessageEvent,
  NormalisedEvent,
  NormalisedEventKind,
  OptinEvent,
  ParsedDelivery,
  ParsedEntry,
  PostbackEvent,
  ReactionEvent,
  ReadEvent,
  Referral,
  RejectedEntry,
  ReplyTo,
  UnknownEvent,
} from './webhook-events';
