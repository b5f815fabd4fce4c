/**
 * What the live evaluation of a message and of a comment share: outcomes, the account's automation
 * switch, reply payloads, per-rule counters and which failures roll the whole delivery back.
 */
import type { Decision, NoReplyReason, RenderedResponse } from '../../../../shared/rules/index';
import { ApiError } from '../api/api-error';
import { DatabaseError, type DatabaseErrorCode } from '../db/errors';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { JsonValue } from '../db/validation';
import type { OutboxPayload } from '../outbox/outbox-payload';

/** Database failures that must roll the whole delivery back (it is retried), not be recorded as a rule error. */
const DATABASE_GONE: ReadonlySet<DatabaseErrorCode> = new Set([
  'DB_CONFIG',
  'DB_UNREACHABLE',
  'DB_AUTH',
  'DB_MISSING',
  'DB_PRIVILEGES',
  'DB_READONLY',
  'DB_DISK_FULL',
  'DB_CORRUPT',
  'DB_BUSY',
  'DB_MIGRATION_FAILED',
]);

/** What `rule_evaluations.outcome` says. */
export type EvaluationOutcome = 'matched' | 'no_match' | 'suppressed' | 'error';

const SUPPRESSED: ReadonlySet<NoReplyReason> = new Set([
  'conversation_blocked',
  'opt_out_set',
  'opted_out',
  'automation_paused',
  'human_takeover',
]);

export function outcomeOf(decision: Decision): EvaluationOutcome {
  if (decision.outcome === 'reply') return 'matched';
  if (decision.reason === 'render_failed' || decision.reason === 'engine_error') return 'error';
  if (SUPPRESSED.has(decision.reason)) return 'suppressed';
  // A rule matched but a condition (cooldown, hours…) held it back: that is a suppression, not a miss.
  return decision.trace.entries.some((e) => e.outcome === 'condition_failed') ? 'suppressed' : 'no_match';
}

/** Why an account does not send automatic replies now, or null when it does. */
export function accountBlock(account: Account): string | null {
  if (account.status !== 'active') return 'account_inactive';
  if (!account.settings.automationEnabled) return 'automation_off';
  return null;
}

/** What a rule reply is sent as: to the conversation, or as the private reply to a comment. */
export type ReplyTarget = { kind: 'message' } | { kind: 'private_reply'; commentId: string };

/** The outbox payload of a rule reply; null for saved templates, which cannot be queued yet. */
export function payloadOf(response: RenderedResponse, target: ReplyTarget): OutboxPayload | null {
  if (response.kind !== 'text') return null;
  const message = {
    type: 'text' as const,
    text: response.text,
    ...(response.quickReplies.length > 0
      ? {
          quickReplies: response.quickReplies.map((q) => ({
            contentType: 'text' as const,
            title: q.title,
            payload: q.payload,
          })),
        }
      : {}),
  };
  const content: OutboxPayload['content'] =
    target.kind === 'message'
      ? { kind: 'message', message }
      : { kind: 'private_reply', commentId: target.commentId, message };
  return { v: 1, content, humanAgent: false };
}

/** A value as stored JSON (dates as strings, undefined dropped). */
export function json(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/** Counters a decision adds to: every rule whose trigger matched, then the answering rule's result. */
export function countersOf(
  decision: Decision,
  handled: { suppressedBy: string | null; queued: boolean; failed: boolean },
) {
  const out = new Map<string, string[]>();
  const add = (ruleId: string, counter: string) => out.set(ruleId, [...(out.get(ruleId) ?? []), counter]);
  for (const entry of decision.trace.entries) {
    if (entry.outcome === 'matched') add(entry.ruleId, 'matched');
    else if (entry.outcome === 'condition_failed') {
      add(entry.ruleId, 'matched');
      add(entry.ruleId, `suppressed:${entry.failedCondition ?? 'condition'}`);
    } else if (entry.outcome === 'shadowed_by_higher') {
      add(entry.ruleId, 'matched');
      add(entry.ruleId, 'suppressed:shadowed');
    }
  }
  const rule = decision.rule;
  if (rule) {
    if (handled.failed) add(rule.id, 'failed');
    else if (handled.suppressedBy) add(rule.id, `suppressed:${handled.suppressedBy}`);
    else if (handled.queued) add(rule.id, 'answered');
  }
  return out;
}

/** What became of a decision's reply. */
export interface HandledDecision {
  outcome: EvaluationOutcome;
  suppressedBy: string | null;
  outboxId: number | null;
  queued: boolean;
  failure: string | null;
}

/**
 * Queues a decision's reply (through `enqueue`, unless `heldBack` names why not) and bumps the rules'
 * counters, in the caller's transaction. Shared by messages and comments.
 */
export async function handleDecision(
  tx: Repositories,
  accountId: string,
  decision: Decision,
  options: {
    target: ReplyTarget;
    /** Why the reply must not be queued (automation off, comment too old…), or null. */
    heldBack: () => string | null;
    enqueue: (reply: {
      payload: JsonValue;
      text: string | null;
      ruleId: string;
    }) => Promise<{ id: number; created: boolean }>;
  },
): Promise<HandledDecision> {
  const handled: HandledDecision = {
    outcome: outcomeOf(decision),
    suppressedBy: null,
    outboxId: null,
    queued: false,
    failure: null,
  };
  if (decision.outcome === 'reply') {
    handled.suppressedBy = options.heldBack();
    const payload = payloadOf(decision.response, options.target);
    if (handled.suppressedBy) handled.outcome = 'suppressed';
    else if (!payload) {
      handled.outcome = 'error';
      handled.failure =
        'Saved templates (send_template) cannot be queued yet: the outbox has no saved templates';
    } else {
      const queued = await options.enqueue({
        payload: json(payload),
        text: decision.response.kind === 'text' ? decision.response.text : null,
        ruleId: decision.rule.id,
      });
      handled.outboxId = queued.id;
      handled.queued = queued.created;
    }
  }
  const failed =
    handled.failure !== null || (decision.outcome === 'no_reply' && decision.reason === 'render_failed');
  for (const [ruleId, counters] of countersOf(decision, { ...handled, failed }))
    await tx.ruleEditor.bumpCounters(accountId, ruleId, counters);
  return handled;
}

/** The database itself failed (gone, busy, disk): the whole delivery must roll back and be retried. */
export function isDatabaseGone(error: unknown): boolean {
  if (error instanceof ApiError) return error.code === 'UNAVAILABLE';
  return error instanceof DatabaseError && DATABASE_GONE.has(error.code);
}
