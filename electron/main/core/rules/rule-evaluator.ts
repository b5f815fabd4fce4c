/**
 * Runs the published rules on every inbound message ingest stores, records the decision and its trace,
 * and hands a reply to the outbox.
 *
 * Subscribes to `inbox.messageAdded`, which ingest publishes after its transaction committed, and works
 * through a queue of its own: ingest never waits for rules, and a failing evaluation is logged and
 * recorded (outcome `error`) without touching the stored message.
 *
 * Echoes update the human-takeover state instead: an echo that is not one of our rule replies means a
 * person answered (from the phone, or from the app), and automation stays silent for the pause.
 */
import { createHash } from 'node:crypto';
import { decide } from '../../../../shared/rules/index';
import type { Decision, NoReplyReason, RenderedResponse } from '../../../../shared/rules/index';
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { Account } from '../db/repositories/accounts-repository';
import type { AutomationMessage } from '../db/repositories/automation-state-repository';
import type { JsonValue } from '../db/validation';
import type { Disposable } from '../lib/lifecycle';
import type { Logger } from '../lib/logger';
import type { OutboxPayload } from '../outbox/outbox-payload';
import type { CompiledRulesCache } from './compiled-rules';
import { conversationContextOf, ruleEventOf } from './message-context';

/** An echo carrying the text of a rule reply queued this recently is the echo of that reply. */
const OWN_ECHO_WINDOW_MS = 15 * 60_000;

/** What `rule_evaluations.outcome` says. */
export type EvaluationOutcome = 'matched' | 'no_match' | 'suppressed' | 'error';

/** The result of evaluating one message. */
export type EvaluationResult =
  | { status: 'skipped'; reason: string }
  | {
      status: 'evaluated';
      outcome: EvaluationOutcome;
      decision: Decision | null;
      /** Why a reply was not queued although a rule answered. */
      suppressedBy: string | null;
      outboxId: number | null;
    };

/** Options for {@link RuleEvaluator}. */
export interface RuleEvaluatorOptions {
  repositories: () => Repositories;
  events: EventBus;
  cache: CompiledRulesCache;
  logger: Logger;
  now?: () => Date;
}

const SUPPRESSED: ReadonlySet<NoReplyReason> = new Set([
  'conversation_blocked',
  'opt_out_set',
  'opted_out',
  'automation_paused',
  'human_takeover',
]);

function outcomeOf(decision: Decision): EvaluationOutcome {
  if (decision.outcome === 'reply') return 'matched';
  if (decision.reason === 'render_failed' || decision.reason === 'engine_error') return 'error';
  if (SUPPRESSED.has(decision.reason)) return 'suppressed';
  // A rule matched but a condition (cooldown, hours…) held it back: that is a suppression, not a miss.
  return decision.trace.entries.some((e) => e.outcome === 'condition_failed') ? 'suppressed' : 'no_match';
}

/** Why an account does not send automatic replies now, or null when it does. */
function accountBlock(account: Account): string | null {
  if (account.status !== 'active') return 'account_inactive';
  if (!account.settings.automationEnabled) return 'automation_off';
  return null;
}

/** The outbox key for a rule reply to one inbound message: the same message never queues twice. */
export function ruleReplyKey(accountId: string, mid: string): string {
  return `rule-reply:${createHash('sha256').update(`${accountId}\u0000${mid}`).digest('hex').slice(0, 48)}`;
}

function payloadOf(response: RenderedResponse): OutboxPayload | null {
  if (response.kind !== 'text') return null;
  return {
    v: 1,
    content: {
      kind: 'message',
      message: {
        type: 'text',
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
      },
    },
    humanAgent: false,
  };
}

function json(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/** Counters a decision adds to: every rule whose trigger matched, then the answering rule's result. */
function countersOf(
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

/** Evaluates inbound messages as ingest stores them. */
export class RuleEvaluator implements Disposable {
  private queue: Promise<void> = Promise.resolve();
  private readonly subscription: Disposable;
  private disposed = false;

  constructor(private readonly options: RuleEvaluatorOptions) {
    this.subscription = options.events.subscribe((event) => {
      if (event.name !== 'inbox.messageAdded') return;
      const { messageId, direction } = event.payload;
      this.schedule(() => (direction === 'inbound' ? this.evaluate(messageId) : this.noteEcho(messageId)));
    });
  }

  /** Resolves once every evaluation scheduled so far is done. */
  async whenIdle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.queue) {
      seen = this.queue;
      await seen;
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.subscription.dispose();
    await this.whenIdle();
  }

  private schedule(work: () => Promise<unknown>): void {
    if (this.disposed) return;
    this.queue = this.queue.then(work).then(
      () => undefined,
      (error: unknown) => this.options.logger.error({ err: error }, 'rule evaluation failed'),
    );
  }

  /**
   * Evaluates one stored inbound message. Safe to run again: a message already evaluated (other than
   * with an error) is skipped, and the outbox key stops a second reply in any case.
   */
  async evaluate(messageId: number): Promise<EvaluationResult> {
    const repos = this.options.repositories();
    const message = await repos.automationState.getMessage(messageId);
    if (!message) return { status: 'skipped', reason: 'The message no longer exists' };
    if (message.direction !== 'inbound') return { status: 'skipped', reason: 'Not an inbound message' };
    const earlier = await repos.rules.listEvaluations(messageId);
    if (earlier.some((e) => e.outcome !== 'error')) return { status: 'skipped', reason: 'Already evaluated' };
    let decision: Decision | null = null;
    try {
      const conversation = await repos.conversations.getConversation(message.conversationId);
      if (!conversation) return { status: 'skipped', reason: 'The conversation no longer exists' };
      const loaded = await this.options.cache.load(repos, message.accountId);
      const context = await conversationContextOf(repos, message, conversation);
      const now = (this.options.now?.() ?? new Date()).getTime();
      const current = decide(loaded.live, ruleEventOf(message), context, now);
      decision = current;
      const result = await repos.transaction(async (tx) => {
        if (current.optOut)
          await tx.automationState.setOptOut(
            conversation.id,
            message.accountId,
            current.optOut === 'set',
            new Date(now),
          );
        let outcome = outcomeOf(current);
        let suppressedBy: string | null = null;
        let outboxId: number | null = null;
        let queued = false;
        let failure: string | null = null;
        if (current.outcome === 'reply') {
          suppressedBy = accountBlock(loaded.account);
          const payload = payloadOf(current.response);
          if (suppressedBy) outcome = 'suppressed';
          else if (!payload) {
            outcome = 'error';
            failure =
              'Saved templates (send_template) cannot be queued yet: the outbox has no saved templates';
          } else {
            const queuedReply = await tx.outbox.enqueue({
              accountId: message.accountId,
              conversationId: conversation.id,
              idempotencyKey: ruleReplyKey(message.accountId, message.mid),
              payload: json(payload),
              text: current.response.kind === 'text' ? current.response.text : null,
              createdBy: { kind: 'rule', id: current.rule.id },
            });
            outboxId = queuedReply.message.id;
            queued = queuedReply.created;
          }
        }
        await tx.rules.recordEvaluation({
          accountId: message.accountId,
          messageId,
          ruleId: current.rule?.id ?? null,
          ruleVersion: current.rule?.version ?? null,
          outcome,
          trace: json({ decision: current, suppressedBy, outboxId, failure }),
          evaluatedAt: new Date(now),
        });
        const failed =
          failure !== null || (current.outcome === 'no_reply' && current.reason === 'render_failed');
        for (const [ruleId, counters] of countersOf(current, { suppressedBy, queued, failed }))
          await tx.ruleEditor.bumpCounters(message.accountId, ruleId, counters);
        return { status: 'evaluated' as const, outcome, decision: current, suppressedBy, outboxId };
      });
      this.published(message, result.outcome, current.rule?.id ?? null, result.outboxId);
      return result;
    } catch (error) {
      this.options.logger.error({ err: error, messageId }, 'rules could not be evaluated for a message');
      await this.recordFailure(message, decision, error);
      return { status: 'evaluated', outcome: 'error', decision, suppressedBy: null, outboxId: null };
    }
  }

  /**
   * An echo: if it is not the echo of one of our rule replies, a human answered (from the phone, or
   * from the app), and the human-takeover pause starts at its time.
   */
  async noteEcho(messageId: number): Promise<'rule' | 'human' | 'skipped'> {
    const repos = this.options.repositories();
    const message = await repos.automationState.getMessage(messageId);
    if (!message || message.direction !== 'outbound') return 'skipped';
    if (await this.isOwnRuleReply(repos, message)) return 'rule';
    await repos.automationState.recordHumanReply(
      message.conversationId,
      message.accountId,
      message.createdAt,
    );
    return 'human';
  }

  private async isOwnRuleReply(repos: Repositories, message: AutomationMessage): Promise<boolean> {
    if (message.sentBy === 'rule') return true;
    if (message.sentBy === 'staff') return false;
    // 'app' means one of our outbox rows sent it (ingest matched the Graph message id): a rule's reply or a
    // staff reply — the outbox row says which. 'phone' may still be ours when the echo beat the sender's
    // bookkeeping, so both go on to the lookups below.
    const creator = await repos.automationState.outboxCreatorOf(message.accountId, message.mid);
    if (creator !== null) return creator === 'rule';
    if (message.sentBy === 'app') return false;
    // The echo can arrive before the sender recorded the Graph id: match a recent rule reply's text.
    const since = new Date(message.createdAt.getTime() - OWN_ECHO_WINDOW_MS);
    const recent = await repos.automationState.ruleOutbox(message.accountId, {
      conversationId: message.conversationId,
      since,
    });
    return message.text !== null && recent.some((row) => row.text === message.text);
  }

  private async recordFailure(
    message: AutomationMessage,
    decision: Decision | null,
    error: unknown,
  ): Promise<void> {
    try {
      const repos = this.options.repositories();
      await repos.rules.recordEvaluation({
        accountId: message.accountId,
        messageId: message.id,
        ruleId: decision?.rule?.id ?? null,
        ruleVersion: decision?.rule?.version ?? null,
        outcome: 'error',
        trace: json({ decision, error: error instanceof Error ? error.message : String(error) }),
      });
      if (decision?.rule)
        await repos.ruleEditor.bumpCounters(message.accountId, decision.rule.id, ['failed']);
      this.published(message, 'error', decision?.rule?.id ?? null, null);
    } catch (inner) {
      this.options.logger.error(
        { err: inner, messageId: message.id },
        'a failed rule evaluation could not be recorded',
      );
    }
  }

  private published(
    message: AutomationMessage,
    outcome: EvaluationOutcome,
    ruleId: string | null,
    outboxId: number | null,
  ) {
    this.options.events.publish('rules.evaluated', {
      accountId: message.accountId,
      conversationId: message.conversationId,
      messageId: message.id,
      outcome,
      ruleId,
      outboxId,
    });
  }
}
