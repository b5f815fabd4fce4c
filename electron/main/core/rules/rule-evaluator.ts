/**
 * Runs the published rules on every inbound message ingest stores, records the decision and its trace,
 * and hands a reply to the outbox.
 *
 * It runs inside ingest's transaction (the ingest worker's `onStoredMany` hook), so the message, its decision
 * and its reply commit together: a crash never leaves a message unevaluated, and one transaction (one
 * disk flush) serves a whole group of deliveries. A failing evaluation is rolled back to a savepoint and
 * recorded (outcome `error`) without touching the stored message.
 *
 * Echoes update the human-takeover state instead: an echo that is not one of our rule replies means a
 * person answered (from the phone, or from the app), and automation stays silent for the pause.
 */
import { createHash } from 'node:crypto';
import { decide } from '../../../../shared/rules/index';
import type { Decision } from '../../../../shared/rules/index';
import type { EventPayload } from '../../../../shared/contract';
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { AutomationMessage } from '../db/repositories/automation-state-repository';
import type { Logger } from '../lib/logger';
import type { Conversation } from '../db/repositories/conversations-repository';
import type { NewRuleEvaluation } from '../db/repositories/rules-repository';
import type { StoredMessageHook, StoredMessagesHook } from '../receiving/ingest-delivery';
import type { AccountRules, CompiledRulesCache } from './compiled-rules';
import {
  accountBlock,
  handleDecision,
  isDatabaseGone,
  json,
  type EvaluationOutcome,
} from './evaluation-outcome';
import { conversationContextOf, ruleEventOf } from './message-context';

export type { EvaluationOutcome } from './evaluation-outcome';

/** An echo carrying the text of a rule reply queued this recently is the echo of that reply. */
const OWN_ECHO_WINDOW_MS = 15 * 60_000;

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

/** The outbox key for a rule reply to one inbound message: the same message never queues twice. */
export function ruleReplyKey(accountId: string, mid: string): string {
  return `rule-reply:${createHash('sha256').update(`${accountId}\u0000${mid}`).digest('hex').slice(0, 48)}`;
}

/** A message ingest stored, with the events to publish once its transaction committed. */
type StoredItem = Parameters<StoredMessagesHook>[1][number];

/** What `rules.evaluated` says about one evaluation. */
type EvaluatedEvent = EventPayload<'rules.evaluated'>;

/** An evaluation done inside a transaction, and the event to publish once it committed. */
interface Evaluated {
  result: EvaluationResult;
  event: EvaluatedEvent | null;
}

/**
 * Evaluates inbound messages inside ingest's transaction (see {@link RuleEvaluator.onStoredMany}): the
 * message, its decision and the reply it queues commit together, so a crash can never leave a stored
 * message that was not evaluated, nor a reply queued twice.
 */
export class RuleEvaluator {
  /** Compiled rules per transaction: a group of deliveries loads each account's rules once. */
  private readonly perTransaction = new WeakMap<Repositories, Map<string, Promise<AccountRules>>>();

  constructor(private readonly options: RuleEvaluatorOptions) {}

  /** One stored message (gap recovery): rules for an inbound message, the human-takeover state for an echo. */
  readonly onStored: StoredMessageHook = async (tx, message, events) => {
    if (message.direction === 'outbound') {
      await this.noteEchoIn(tx, message.messageId);
      return;
    }
    const { event } = await this.evaluateIn(tx, message.messageId, { fresh: true });
    if (event) events.add('rules.evaluated', event);
  };

  /**
   * The ingest hook for a chunk's new messages, in order: inbound messages between two echoes are evaluated
   * together ({@link evaluateFreshMany}), each echo in its place, so every decision sees what came before it.
   */
  readonly onStoredMany: StoredMessagesHook = async (tx, items) => {
    let inbound: StoredItem[] = [];
    const flush = async () => {
      if (inbound.length > 0) await this.evaluateFreshMany(tx, inbound);
      inbound = [];
    };
    for (const item of items) {
      if (item.message.direction === 'inbound') {
        inbound.push(item);
        continue;
      }
      await flush();
      await this.noteEchoIn(tx, item.message.messageId);
    }
    await flush();
  };

  /**
   * Evaluates messages stored in this transaction as `evaluateIn` does one by one, with the same decisions,
   * in a handful of statements: their rows and conversations read at once, one savepoint, their decisions
   * recorded together. The state an evaluation may change (opt-outs, queued replies and so cooldowns) is
   * still read per message, after the previous one's effects. If any evaluation fails, the savepoint is
   * rolled back and the messages are evaluated one by one, each behind its own savepoint, so the failure
   * is recorded for its message alone.
   */
  private async evaluateFreshMany(tx: Repositories, items: readonly StoredItem[]): Promise<void> {
    const messages = await tx.automationState.getMessages(items.map((item) => item.message.messageId));
    const conversations = await tx.conversations.getConversations(
      [...messages.values()].map((message) => message.conversationId),
    );
    let evaluated: (Evaluated | null)[];
    try {
      evaluated = await tx.savepoint(async (inner) => {
        const records: NewRuleEvaluation[] = [];
        const out: (Evaluated | null)[] = [];
        for (const item of items) {
          const message = messages.get(item.message.messageId);
          if (!message) {
            out.push(null);
            continue;
          }
          const conversation = conversations.get(message.conversationId) ?? null;
          out.push(await this.decideAndRecord(inner, message, conversation, { decision: null }, records));
        }
        await inner.rules.recordEvaluations(records);
        return out;
      });
    } catch (error) {
      if (isDatabaseGone(error)) throw error;
      for (const item of items) {
        const { event } = await this.evaluateIn(tx, item.message.messageId, { fresh: true });
        if (event) item.events.add('rules.evaluated', event);
      }
      return;
    }
    evaluated.forEach((result, i) => {
      if (result?.event) items[i]!.events.add('rules.evaluated', result.event);
    });
  }

  /**
   * Evaluates one stored inbound message in its own transaction (replay of a message whose evaluation
   * failed, messages stored outside ingest). Safe to run again: a message already evaluated (other than with
   * an error) is skipped, and the outbox key stops a second reply in any case.
   */
  async evaluate(messageId: number): Promise<EvaluationResult> {
    const repos = this.options.repositories();
    try {
      const { result, event } = await repos.transaction((tx) => this.evaluateIn(tx, messageId));
      if (event) this.options.events.publish('rules.evaluated', event);
      return result;
    } catch (error) {
      this.options.logger.error({ err: error, messageId }, 'rules could not be evaluated for a message');
      const message = await repos.automationState.getMessage(messageId);
      if (message) await this.recordFailure(repos, message, null, error).catch(() => undefined);
      return { status: 'evaluated', outcome: 'error', decision: null, suppressedBy: null, outboxId: null };
    }
  }

  /**
   * Evaluates inside `tx`. Whatever goes wrong with the evaluation itself is rolled back to a savepoint and
   * recorded as an `error` outcome, leaving the rest of the transaction (the stored message) intact; only a
   * database that is gone makes it throw. `fresh`: the message was stored in this transaction, so it cannot
   * have been evaluated before.
   */
  async evaluateIn(
    tx: Repositories,
    messageId: number,
    options: { fresh?: boolean } = {},
  ): Promise<Evaluated> {
    const message = await tx.automationState.getMessage(messageId);
    if (!message) return skipped('The message no longer exists');
    if (message.direction !== 'inbound') return skipped('Not an inbound message');
    if (!options.fresh) {
      const earlier = await tx.rules.listEvaluations(messageId);
      if (earlier.some((e) => e.outcome !== 'error')) return skipped('Already evaluated');
    }
    const attempt: { decision: Decision | null } = { decision: null };
    try {
      return await tx.savepoint(async (inner) => {
        const conversation = await inner.conversations.getConversation(message.conversationId);
        return this.decideAndRecord(inner, message, conversation, attempt);
      });
    } catch (error) {
      if (isDatabaseGone(error)) throw error;
      this.options.logger.error({ err: error, messageId }, 'rules could not be evaluated for a message');
      return {
        result: errorResult(attempt.decision),
        event: await this.recordFailure(tx, message, attempt.decision, error),
      };
    }
  }

  /**
   * Decides for one message and records the decision: at once, or into `records` when the caller records a
   * batch's decisions together.
   */
  private async decideAndRecord(
    tx: Repositories,
    message: AutomationMessage,
    conversation: Conversation | null,
    attempt: { decision: Decision | null },
    records?: NewRuleEvaluation[],
  ): Promise<Evaluated> {
    if (!conversation) return skipped('The conversation no longer exists');
    const loaded = await this.rulesFor(tx, message.accountId);
    const context = await conversationContextOf(tx, message, conversation, loaded.live);
    const now = (this.options.now?.() ?? new Date()).getTime();
    const current = decide(loaded.live, ruleEventOf(message), context, now);
    attempt.decision = current;
    if (current.optOut)
      await tx.automationState.setOptOut(
        conversation.id,
        message.accountId,
        current.optOut === 'set',
        new Date(now),
      );
    const handled = await handleDecision(tx, message.accountId, current, {
      target: { kind: 'message' },
      heldBack: () => accountBlock(loaded.account),
      enqueue: async (reply) => {
        const queued = await tx.outbox.enqueue({
          accountId: message.accountId,
          conversationId: conversation.id,
          idempotencyKey: ruleReplyKey(message.accountId, message.mid),
          payload: reply.payload,
          text: reply.text,
          createdBy: { kind: 'rule', id: reply.ruleId },
        });
        return { id: queued.message.id, created: queued.created };
      },
    });
    const { outcome, suppressedBy, outboxId, failure } = handled;
    const evaluation: NewRuleEvaluation = {
      accountId: message.accountId,
      messageId: message.id,
      ruleId: current.rule?.id ?? null,
      ruleVersion: current.rule?.version ?? null,
      outcome,
      trace: json({ decision: current, suppressedBy, outboxId, failure }),
      evaluatedAt: new Date(now),
    };
    if (records) records.push(evaluation);
    else await tx.rules.recordEvaluation(evaluation);
    return {
      result: { status: 'evaluated', outcome, decision: current, suppressedBy, outboxId },
      event: eventOf(message, outcome, current.rule?.id ?? null, outboxId),
    };
  }

  /** The account's compiled rules, loaded once per transaction (a savepoint gets the same repositories). */
  private rulesFor(tx: Repositories, accountId: string): Promise<AccountRules> {
    let loaded = this.perTransaction.get(tx);
    if (!loaded) {
      loaded = new Map();
      this.perTransaction.set(tx, loaded);
    }
    let rules = loaded.get(accountId);
    if (!rules) {
      rules = this.options.cache.load(tx, accountId);
      loaded.set(accountId, rules);
    }
    return rules;
  }

  /**
   * An echo: if it is not the echo of one of our rule replies, a human answered (from the phone, or
   * from the app), and the human-takeover pause starts at its time.
   */
  async noteEcho(messageId: number): Promise<'rule' | 'human' | 'skipped'> {
    return this.options.repositories().transaction((tx) => this.noteEchoIn(tx, messageId));
  }

  private async noteEchoIn(repos: Repositories, messageId: number): Promise<'rule' | 'human' | 'skipped'> {
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

  /** Records a failed evaluation (outcome `error`, with the reason in the trace); returns its event. */
  private async recordFailure(
    repos: Repositories,
    message: AutomationMessage,
    decision: Decision | null,
    error: unknown,
  ): Promise<EvaluatedEvent> {
    await repos.rules.recordEvaluation({
      accountId: message.accountId,
      messageId: message.id,
      ruleId: decision?.rule?.id ?? null,
      ruleVersion: decision?.rule?.version ?? null,
      outcome: 'error',
      trace: json({ decision, error: error instanceof Error ? error.message : String(error) }),
    });
    if (decision?.rule) await repos.ruleEditor.bumpCounters(message.accountId, decision.rule.id, ['failed']);
    return eventOf(message, 'error', decision?.rule?.id ?? null, null);
  }
}

function skipped(reason: string): Evaluated {
  return { result: { status: 'skipped', reason }, event: null };
}

function errorResult(decision: Decision | null): EvaluationResult {
  return { status: 'evaluated', outcome: 'error', decision, suppressedBy: null, outboxId: null };
}

function eventOf(
  message: AutomationMessage,
  outcome: EvaluationOutcome,
  ruleId: string | null,
  outboxId: number | null,
): EvaluatedEvent {
  return {
    accountId: message.accountId,
    conversationId: message.conversationId,
    messageId: message.id,
    outcome,
    ruleId,
    outboxId,
  };
}
