/**
 * Ingest of `comments` / `live_comments` changes: each comment is stored once per account (the input of
 * comment-to-DM rules), inside the delivery's transaction, and pushed to the renderer once committed.
 *
 * Edits and deletions: Instagram's comment webhooks (IG Login and FB Login, see instagram-api.md §4 and
 * the fixtures) carry no verb or edit marker, so a comment id delivered again is a retry and changes
 * nothing; the stored delivery keeps every payload whole should Meta ever start sending one.
 */
import type { CommentEvent } from '../../../../shared/instagram';
import { DatabaseError } from '../db/errors';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { StoredComment } from '../db/repositories/comments-repository';
import type { PendingEvents } from './delivery-outcome';

/**
 * Work that belongs to a new comment's arrival (comment-to-DM rules), done inside ingest's transaction
 * like {@link StoredMessageHook}: it commits with the comment or not at all.
 */
export type StoredCommentHook = (
  repos: Repositories,
  comment: StoredComment,
  events: PendingEvents,
) => Promise<void>;

/** What storing one comment event did. */
export type CommentStoreResult =
  | { status: 'added'; comment: StoredComment }
  | { status: 'duplicate' }
  | { status: 'invalid'; reason: string };

/**
 * Stores the comment; `receivedAt` stands in for its time when the entry had none. A value no column
 * can hold (an id with spaces, a 3,000-character username) is reported, never thrown.
 */
export async function storeComment(
  repos: Repositories,
  account: Account,
  event: CommentEvent,
  receivedAt: Date,
  events: PendingEvents,
): Promise<CommentStoreResult> {
  let stored: Awaited<ReturnType<Repositories['comments']['insert']>>;
  try {
    stored = await repos.comments.insert({
      accountId: account.id,
      commentId: event.commentId,
      mediaId: event.media?.id ?? null,
      mediaProductType: event.media?.mediaProductType ?? null,
      parentCommentId: event.parentId,
      fromId: event.from?.id ?? null,
      fromUsername: event.from?.username ?? null,
      text: event.text,
      field: event.field,
      isOwn: event.isFromBusiness,
      createdAt: new Date(event.timestamp ?? receivedAt.getTime()),
      receivedAt,
    });
  } catch (error) {
    if (error instanceof DatabaseError && error.code === 'DB_INVALID_INPUT')
      return { status: 'invalid', reason: error.message };
    throw error;
  }
  if (!stored.inserted) return { status: 'duplicate' };
  const { comment } = stored;
  events.add('inbox.commentReceived', {
    accountId: account.id,
    commentId: comment.commentId,
    mediaId: comment.mediaId,
    text: comment.text,
    fromId: comment.fromId,
    fromUsername: comment.fromUsername,
    parentId: comment.parentCommentId,
    createdAt: event.timestamp === null ? null : comment.createdAt.toISOString(),
  });
  return { status: 'added', comment };
}
