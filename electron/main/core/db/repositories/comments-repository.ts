/**
 * Comments on the account's posts (`instagram_comments`) and the decisions comment-to-DM rules took
 * about them (`rule_evaluations` rows whose `comment_id` is set).
 *
 * Inserting is idempotent on the comment id per account: Meta's retries (and the duplicated webhooks of
 * boosted posts) change nothing. The private reply is recorded once; a second attempt is refused by the
 * `private_reply_outbox_id is null` condition, so one comment can never carry two replies.
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { InstagramCommentsTable } from '../schema';
import { asciiId, fromJsonText, instant, longText, parseInput, toJsonText, varchar } from '../validation';
import type { JsonValue } from '../validation';
import type { RepositoryContext } from './context';

/** A stored comment. */
export interface StoredComment {
  id: number;
  accountId: string;
  commentId: string;
  mediaId: string | null;
  mediaProductType: string | null;
  parentCommentId: string | null;
  fromId: string | null;
  fromUsername: string | null;
  text: string | null;
  /** `comments` or `live_comments`. */
  field: string;
  /** Written by the account itself (its own replies under its posts come back as webhooks too). */
  isOwn: boolean;
  createdAt: Date;
  receivedAt: Date;
  privateReplyOutboxId: number | null;
  privateReplyQueuedAt: Date | null;
}

const commentSchema = z
  .object({
    accountId: asciiId(64),
    commentId: asciiId(128),
    mediaId: asciiId(128).nullable(),
    mediaProductType: varchar(32).nullable(),
    parentCommentId: asciiId(128).nullable(),
    fromId: asciiId(128).nullable(),
    fromUsername: varchar(64).nullable(),
    text: longText().nullable(),
    field: varchar(32).min(1),
    isOwn: z.boolean(),
    createdAt: instant,
    receivedAt: instant,
  })
  .strict();

/** Input for {@link CommentsRepository.insert}. */
export type NewComment = z.input<typeof commentSchema>;

const evaluationSchema = z
  .object({
    accountId: asciiId(64),
    commentId: z.number().int().positive(),
    ruleId: asciiId(64).nullable(),
    ruleVersion: z.number().int().nullable(),
    outcome: z.enum(['matched', 'no_match', 'suppressed', 'error']),
    trace: z.json(),
    evaluatedAt: instant,
  })
  .strict();

/** Input for {@link CommentsRepository.recordEvaluation}. */
export type NewCommentEvaluation = z.input<typeof evaluationSchema>;

/** One recorded decision about a comment. */
export interface CommentEvaluation {
  id: number;
  accountId: string;
  commentId: number;
  ruleId: string | null;
  ruleVersion: number | null;
  outcome: NewCommentEvaluation['outcome'];
  trace: JsonValue;
  evaluatedAt: Date;
}

/** Reads and writes comments and their evaluations. */
export class CommentsRepository {
  constructor(private readonly context: RepositoryContext) {}

  /** Stores a comment unless the account already has it; `inserted` is false for a duplicate. */
  async insert(input: NewComment): Promise<{ comment: StoredComment; inserted: boolean }> {
    const parsed = parseInput(commentSchema, input, 'comment');
    const { db, specifics } = this.context;
    const result = await specifics
      .insertIfAbsent(
        db.insertInto('instagram_comments').values({
          account_id: parsed.accountId,
          comment_id: parsed.commentId,
          media_id: parsed.mediaId,
          media_product_type: parsed.mediaProductType,
          parent_comment_id: parsed.parentCommentId,
          from_id: parsed.fromId,
          from_username: parsed.fromUsername,
          text: parsed.text,
          field: parsed.field,
          is_own: parsed.isOwn ? 1 : 0,
          created_at: specifics.time(parsed.createdAt),
          received_at: specifics.time(parsed.receivedAt),
          private_reply_outbox_id: null,
          private_reply_queued_at: null,
        }),
        ['account_id', 'comment_id'],
        'comment_id',
      )
      .executeTakeFirst();
    const comment = await this.findByCommentId(parsed.accountId, parsed.commentId);
    if (!comment) throw new Error(`comment ${parsed.commentId} vanished after its insert`);
    return { comment, inserted: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
  }

  /** The account's comment with Instagram's comment id, or null. */
  async findByCommentId(accountId: string, commentId: string): Promise<StoredComment | null> {
    const row = await this.context.db
      .selectFrom('instagram_comments')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('comment_id', '=', commentId)
      .executeTakeFirst();
    return row ? this.fromRow(row) : null;
  }

  /** One stored comment by row id, or null. */
  async get(id: number): Promise<StoredComment | null> {
    const row = await this.context.db
      .selectFrom('instagram_comments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.fromRow(row) : null;
  }

  /** The account's comments, newest first. */
  async list(accountId: string, limit = 50): Promise<StoredComment[]> {
    const rows = await this.context.db
      .selectFrom('instagram_comments')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => this.fromRow(row));
  }

  /** Notes the private reply queued for a comment; false when one was already noted. */
  async notePrivateReply(id: number, outboxId: number, at: Date): Promise<boolean> {
    const result = await this.context.db
      .updateTable('instagram_comments')
      .set({ private_reply_outbox_id: outboxId, private_reply_queued_at: this.context.specifics.time(at) })
      .where('id', '=', id)
      .where('private_reply_outbox_id', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records a comment-to-DM rule decision in `rule_evaluations`. */
  async recordEvaluation(input: NewCommentEvaluation): Promise<number> {
    const parsed = parseInput(evaluationSchema, input, 'comment evaluation');
    const result = await this.context.db
      .insertInto('rule_evaluations')
      .values({
        account_id: parsed.accountId,
        message_id: null,
        comment_id: parsed.commentId,
        rule_id: parsed.ruleId,
        rule_version: parsed.ruleVersion,
        outcome: parsed.outcome,
        trace: toJsonText(parsed.trace, 'trace'),
        evaluated_at: this.context.specifics.time(parsed.evaluatedAt),
      })
      .executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  /** The decisions about one stored comment, oldest first. */
  async listEvaluations(commentRowId: number): Promise<CommentEvaluation[]> {
    const rows = await this.context.db
      .selectFrom('rule_evaluations')
      .selectAll()
      .where('comment_id', '=', commentRowId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      accountId: row.account_id,
      commentId: Number(row.comment_id),
      ruleId: row.rule_id,
      ruleVersion: row.rule_version,
      outcome: row.outcome as CommentEvaluation['outcome'],
      trace: fromJsonText<JsonValue>(row.trace),
      evaluatedAt: this.context.specifics.readTime(row.evaluated_at),
    }));
  }

  private fromRow(row: Selectable<InstagramCommentsTable>): StoredComment {
    const { specifics } = this.context;
    return {
      id: Number(row.id),
      accountId: row.account_id,
      commentId: row.comment_id,
      mediaId: row.media_id,
      mediaProductType: row.media_product_type,
      parentCommentId: row.parent_comment_id,
      fromId: row.from_id,
      fromUsername: row.from_username,
      text: row.text,
      field: row.field,
      isOwn: specifics.readBool(row.is_own),
      createdAt: specifics.readTime(row.created_at),
      receivedAt: specifics.readTime(row.received_at),
      privateReplyOutboxId: row.private_reply_outbox_id === null ? null : Number(row.private_reply_outbox_id),
      privateReplyQueuedAt: specifics.readTimeOrNull(row.private_reply_queued_at),
    };
  }
}
