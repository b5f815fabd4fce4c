/**
 * Comment-to-DM rules: the account's published rules run on every new comment ingest stores (event
 * type `comment`), and a rule that answers queues ONE private reply to the comment through the outbox.
 *
 * Like the message path ({@link RuleEvaluator}) it runs inside ingest's transaction, so the comment, its
 * decision and its private reply commit together, and a failing evaluation is rolled back to a savepoint
 * and recorded as `error`. The decision is recorded in `rule_evaluations` with `comment_id` set (and no
 * `message_id`): one table answers "why did this rule fire?" for messages and comments alike.
 *
 * Meta's rules for private replies, applied before anything is queued: one per comment (the outbox key
 * is derived from the comment, and the comment row notes the outbox id once), only within 7 days of the
 * comment, never to the account's own comments. The account's automation switch, the person's opt-out
 * and a paused or blocked conversation with the commenter hold the reply back too.
 */
import { createHash } from 'node:crypto';
import { decide } from '../../../../shared/rules/index';
import type { ConversationContext, Decision } from '../../../../shared/rules/index';
import type { Repositories } from '../db/repositories';
import type { StoredComment } from '../db/repositories/comments-repository';
import type { Conversation } from '../db/repositories/conversations-repository';
import type { Logger } from '../lib/logger';
import { changeEventOf } from '../outbox/outbox-view';
import type { StoredCommentHook } from '../receiving/comment-ingest';
import type { AccountRules, CompiledRulesCache } from './compiled-rules';
import {
  accountBlock,
  handleDecision,
  isDatabaseGone,
  json,
  type EvaluationOutcome,
} from './evaluation-outcome';
import { toRuleHistory } from './message-context';

/** Meta accepts a private reply up to 7 days after the comment. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * 3_600_000;

/** Plain words for why a comment got no private reply although a rule answered. */
const HELD_BACK: Readonly<Record<string, string>> = {
  comment_too_old:
    'The comment is more than 7 days old: Instagram allows a private reply only within 7 days of a comment.',
  already_replied: 'This comment already has its private reply: Instagram allows one per comment.',
  account_inactive: 'The account is not active, so no automatic reply is sent.',
  automation_off: 'Automation is off for this account.',
};

/** What evaluating one comment did. */
export type CommentEvaluationResult =
  | { status: 'skipped'; reason: string }
  | {
      status: 'evaluated';
      outcome: EvaluationOutcome;
      decision: Decision | null;
      /** Why a private reply was not queued although a rule answered. */
      suppressedBy: string | null;
      outboxId: number | null;
    };

/** Options for {@link CommentEvaluator}. */
export interface CommentEvaluatorOptions {
  cache: CompiledRulesCache;
  logger: Logger;
  now?: () => Date;
}

/** The outbox key of a comment's private reply: the same comment never queues two. */
export function privateReplyKey(accountId: string, commentId: string): string {
  const digest = createHash('sha256').update(`${accountId}\u0000${commentId}`).digest('hex');
  return `comment-reply:${digest.slice(0, 48)}`;
}

/** Runs comment-to-DM rules inside ingest's transaction; see the module comment. */
export class CommentEvaluator {
  constructor(private readonly options: CommentEvaluatorOptions) {}

  /** The ingest hook for a comment just stored. */
  readonly onStored: StoredCommentHook = async (tx, comment, events) => {
    const result = await this.evaluateIn(tx, comment);
    // Announced after the commit: the inbox shows the queued private reply, and the sender wakes at once.
    if (result.status === 'evaluated' && result.outboxId !== null) {
      const queued = await tx.outbox.get(result.outboxId);
      if (queued) events.add('outbox.messageChanged', changeEventOf(queued));
    }
  };

  /** Evaluates `comment` inside `tx`; only a database that is gone makes it throw. */
  async evaluateIn(tx: Repositories, comment: StoredComment): Promise<CommentEvaluationResult> {
    // Not evaluated at all, like an echo: the account's own comment is not someone to answer.
    if (comment.isOwn) return { status: 'skipped', reason: "The account's own comment" };
    if (!comment.fromId) return { status: 'skipped', reason: 'The comment names no commenter' };
    const attempt: { decision: Decision | null } = { decision: null };
    try {
      return await tx.savepoint((inner) => this.decideAndRecord(inner, comment, comment.fromId!, attempt));
    } catch (error) {
      if (isDatabaseGone(error)) throw error;
      this.options.logger.error(
        { err: error, commentId: comment.commentId },
        'rules could not be evaluated for a comment',
      );
      const decision = attempt.decision;
      await tx.comments.recordEvaluation({
        accountId: comment.accountId,
        commentId: comment.id,
        ruleId: decision?.rule?.id ?? null,
        ruleVersion: decision?.rule?.version ?? null,
        outcome: 'error',
        trace: json({ decision, error: error instanceof Error ? error.message : String(error) }),
        evaluatedAt: this.now(),
      });
      if (decision?.rule) await tx.ruleEditor.bumpCounters(comment.accountId, decision.rule.id, ['failed']);
      return { status: 'evaluated', outcome: 'error', decision, suppressedBy: null, outboxId: null };
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async decideAndRecord(
    tx: Repositories,
    comment: StoredComment,
    commenter: string,
    attempt: { decision: Decision | null },
  ): Promise<CommentEvaluationResult> {
    const loaded: AccountRules = await this.options.cache.load(tx, comment.accountId);
    const conversation = await tx.conversations.findConversation(comment.accountId, commenter);
    const context = await commentContextOf(tx, comment, conversation);
    const now = this.now();
    const decision = decide(
      loaded.live,
      { kind: 'comment', id: comment.commentId, text: comment.text },
      context,
      now.getTime(),
    );
    attempt.decision = decision;
    const handled = await handleDecision(tx, comment.accountId, decision, {
      target: { kind: 'private_reply', commentId: comment.commentId },
      heldBack: () => heldBack(loaded, comment, now),
      enqueue: async (reply) => {
        const target =
          conversation ??
          (await tx.conversations.upsertConversation({
            accountId: comment.accountId,
            participantIgsid: commenter,
            participantUsername: comment.fromUsername,
          }));
        const queued = await tx.outbox.enqueue({
          accountId: comment.accountId,
          conversationId: target.id,
          idempotencyKey: privateReplyKey(comment.accountId, comment.commentId),
          payload: reply.payload,
          text: reply.text,
          createdBy: { kind: 'rule', id: reply.ruleId },
        });
        await tx.comments.notePrivateReply(comment.id, queued.message.id, now);
        return { id: queued.message.id, created: queued.created };
      },
    });
    const { outcome, suppressedBy, outboxId, failure } = handled;
    await tx.comments.recordEvaluation({
      accountId: comment.accountId,
      commentId: comment.id,
      ruleId: decision.rule?.id ?? null,
      ruleVersion: decision.rule?.version ?? null,
      outcome,
      trace: json({
        event: 'comment',
        decision,
        suppressedBy,
        reason: suppressedBy ? (HELD_BACK[suppressedBy] ?? null) : null,
        outboxId,
        failure,
      }),
      evaluatedAt: now,
    });
    return { status: 'evaluated', outcome, decision, suppressedBy, outboxId };
  }
}

/** Why the private reply must not be queued, or null when it may. */
function heldBack(loaded: AccountRules, comment: StoredComment, now: Date): string | null {
  const blocked = accountBlock(loaded.account);
  if (blocked) return blocked;
  if (now.getTime() - comment.createdAt.getTime() > PRIVATE_REPLY_WINDOW_MS) return 'comment_too_old';
  if (comment.privateReplyOutboxId !== null) return 'already_replied';
  return null;
}

/**
 * The engine's context for a comment: the commenter's conversation with the account when there is one
 * (opt-out, pause, labels, cooldown history), otherwise a first contact.
 */
async function commentContextOf(
  tx: Repositories,
  comment: StoredComment,
  conversation: Conversation | null,
): Promise<ConversationContext> {
  if (!conversation)
    return {
      username: comment.fromUsername,
      isFirstMessage: true,
      status: 'active',
      labels: [],
      optedOut: false,
    };
  const state = await tx.automationState.getState(conversation.id);
  const staffReplyAt = await tx.automationState.lastStaffReplyAt(conversation.id);
  const history = await tx.automationState.ruleReplyHistory(comment.accountId, conversation.id);
  const human = [state.lastHumanReplyAt, staffReplyAt].filter((d): d is Date => d !== null);
  return {
    username: conversation.participantUsername ?? comment.fromUsername,
    name: conversation.participantName,
    isFirstMessage: conversation.lastInboundAt === null,
    status: conversation.status,
    labels: conversation.labels,
    optedOut: state.optedOut,
    lastHumanReplyAt: human.length > 0 ? Math.max(...human.map((d) => d.getTime())) : null,
    automationPausedUntil: conversation.automationPausedUntil?.getTime() ?? null,
    ruleHistory: toRuleHistory(history),
  };
}
