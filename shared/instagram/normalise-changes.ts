import { clip, isRecord, unknownEvent } from './unknown-event';
import type { NormalisedEvent } from './webhook-events';
import { changeSchema, commentValueSchema, describeIssues, mentionValueSchema } from './webhook-schema';

/** Where the change sits. `entryTime` is already in ms: change values carry no time of their own. */
export interface ChangeContext {
  accountId: string;
  entryTime: number | null;
}

/**
 * Turns one `changes[]` item (`{field, value}`) into one event (instagram-api.md §4).
 *
 * Handles `comments`, `live_comments` (same shape) and `mentions`. Every other field —
 * `story_insights` (shape unverified), the dashboard's test format, anything new — becomes
 * an `unknown` event naming the field.
 */
export function normaliseChange(item: unknown, context: ChangeContext): NormalisedEvent {
  const base = { accountId: context.accountId, source: 'changes' as const, timestamp: context.entryTime };
  if (!isRecord(item)) return unknownEvent(base, item, 'a changes item must be an object');
  const change = changeSchema.safeParse(item);
  if (!change.success) return unknownEvent(base, item, describeIssues(change.error));
  const { field, value } = change.data;

  if (field === 'comments' || field === 'live_comments') {
    const parsed = commentValueSchema.safeParse(value);
    if (!parsed.success) return unknownEvent(base, item, describeIssues(parsed.error, `${field} value`));
    const comment = parsed.data;
    // The refinement guarantees one of the two; IG Login names it `id`, FB Login `comment_id`.
    const commentId = comment.id ?? comment.comment_id ?? '';
    const warnings =
      comment.id != null && comment.comment_id != null && comment.id !== comment.comment_id
        ? [`both id ${clip(comment.id)} and comment_id ${clip(comment.comment_id)}; id was used`]
        : [];
    const from = comment.from ? { id: comment.from.id, username: comment.from.username ?? null } : null;
    const isFromBusiness = from?.id === context.accountId;
    const media = comment.media
      ? {
          id: comment.media.id,
          mediaProductType: comment.media.media_product_type ?? null,
          adId: comment.media.ad_id ?? null,
          adTitle: comment.media.ad_title ?? null,
          originalMediaId: comment.media.original_media_id ?? null,
        }
      : null;
    return {
      kind: 'comment',
      field,
      // Prefixed: comment ids and message mids share one dedup table per account.
      dedupKey: `comment:${commentId}`,
      source: 'changes',
      accountId: context.accountId,
      businessId: context.accountId,
      // The account's own replies come back as comments too; they have no customer.
      customerId: from && !isFromBusiness ? from.id : null,
      senderId: from?.id ?? null,
      recipientId: null,
      timestamp: context.entryTime,
      raw: item,
      warnings,
      commentId,
      text: comment.text ?? null,
      from,
      media,
      parentId: comment.parent_id ?? null,
      isFromBusiness,
    };
  }

  if (field === 'mentions') {
    const parsed = mentionValueSchema.safeParse(value);
    if (!parsed.success) return unknownEvent(base, item, describeIssues(parsed.error, 'mentions value'));
    const { media_id: mediaId, comment_id: commentId } = parsed.data;
    return {
      kind: 'mention',
      field,
      dedupKey: commentId == null ? `mention:${mediaId}` : `mention:${mediaId}:${commentId}`,
      source: 'changes',
      accountId: context.accountId,
      businessId: context.accountId,
      customerId: null,
      senderId: null,
      recipientId: null,
      timestamp: context.entryTime,
      raw: item,
      warnings: [],
      mediaId,
      commentId: commentId ?? null,
    };
  }

  return unknownEvent(base, item, `changes field "${clip(field)}" is not handled`);
}
