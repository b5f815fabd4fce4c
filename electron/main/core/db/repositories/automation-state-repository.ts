/**
 * What automatic replies need to know about a conversation: the person's opt-out, the last human
 * reply, earlier messages, and the rule replies already queued (cooldowns, round-robin variants).
 *
 * Reads `messages` and `outbound_messages` without changing them; writes only
 * `conversation_automation`, in the transaction that records the engine's decision.
 */
import { fromJsonText } from '../validation';
import type { JsonValue } from '../validation';
import type { RepositoryContext } from './context';
import { messageById } from './conversations-repository';
import { readByIds } from './conversations/batch-helpers';
import {
  conversationFacts,
  earlierInbound,
  lastRuleReplyOnAccount,
  lastStaffReply,
  outboxCreator,
  ruleRepliesForPerson,
  stateOf,
} from './automation-queries';
import { ruleTables } from './rule-editor-repository';

/** A stored message, as automation reads it. */
export interface AutomationMessage {
  id: number;
  accountId: string;
  conversationId: number;
  mid: string;
  direction: 'inbound' | 'outbound';
  kind: string;
  text: string | null;
  attachments: JsonValue[] | null;
  isEcho: boolean;
  sentBy: string | null;
  isDeleted: boolean;
  edited: boolean;
  createdAt: Date;
}

/** A conversation's automation state. */
export interface ConversationAutomationState {
  optedOut: boolean;
  lastHumanReplyAt: Date | null;
}

/** Rule replies queued before: per rule, for the cooldowns and the round-robin variant. */
export interface RuleReplyHistory {
  lastForPersonAt: Date | null;
  lastOnAccountAt: Date | null;
  answeredForPerson: number;
}

/** A rule's outbox row, to recognise the echo of our own reply. */
export interface RuleOutboxRow {
  conversationId: number;
  ruleId: string | null;
  text: string | null;
  graphMessageId: string | null;
  createdAt: Date;
}

/** {@link AutomationStateRepository.facts}: the state, the last staff reply and whether a message is the first. */
export interface ConversationFacts extends ConversationAutomationState {
  lastStaffReplyAt: Date | null;
  hasEarlierInbound: boolean;
}

/** Reads and writes conversation automation state. */
export class AutomationStateRepository {
  constructor(private readonly context: RepositoryContext) {}

  private get db() {
    return ruleTables(this.context);
  }

  /** One message by id, or null. */
  async getMessage(id: number): Promise<AutomationMessage | null> {
    const row = await messageById.first(this.context, id);
    return row ? this.messageFromRow(row) : null;
  }

  /** Several messages by id, in one read per 500; ids not found are absent from the map. */
  async getMessages(ids: readonly number[]): Promise<Map<number, AutomationMessage>> {
    return readByIds(
      ids,
      (slice) => this.context.db.selectFrom('messages').selectAll().where('id', 'in', slice).execute(),
      (row) => this.messageFromRow(row),
    );
  }

  /** An account's inbound messages in time order, oldest first, after `after` (replay). */
  async listInbound(
    accountId: string,
    options: { limit: number; since?: Date },
  ): Promise<AutomationMessage[]> {
    let query = this.db
      .selectFrom('messages')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('direction', '=', 'inbound');
    if (options.since) query = query.where('created_at', '>=', this.context.specifics.time(options.since));
    // Newest `limit` first, then put back in time order.
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map((row) => this.messageFromRow(row)).reverse();
  }

  /** Outbound messages of these conversations (replay's human-pause history). */
  async listOutbound(conversationIds: readonly number[]): Promise<AutomationMessage[]> {
    if (conversationIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', 'in', [...conversationIds])
      .where('direction', '=', 'outbound')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => this.messageFromRow(row));
  }

  /** Whether the conversation has an inbound message stored before this one. */
  async hasEarlierInbound(conversationId: number, messageId: number): Promise<boolean> {
    const row = await earlierInbound.first(this.context, conversationId, messageId);
    return row !== undefined;
  }

  /**
   * `getState`, `lastStaffReplyAt` and `hasEarlierInbound(conversationId, messageId)` in one statement: what
   * every live evaluation of a message reads.
   */
  async facts(conversationId: number, messageId: number): Promise<ConversationFacts> {
    const { specifics } = this.context;
    const row = await conversationFacts.first(this.context, conversationId, messageId);
    return {
      optedOut: row?.opted_out == null ? false : specifics.readBool(row.opted_out),
      lastHumanReplyAt: specifics.readTimeOrNull(row?.last_human_reply_at ?? null),
      lastStaffReplyAt: row?.staff_reply_at == null ? null : specifics.readTime(row.staff_reply_at),
      hasEarlierInbound: row?.earlier_inbound == null ? false : specifics.readBool(row.earlier_inbound),
    };
  }

  /** The conversation's automation state (defaults when none was stored). */
  async getState(conversationId: number): Promise<ConversationAutomationState> {
    const row = await stateOf.first(this.context, conversationId);
    if (!row) return { optedOut: false, lastHumanReplyAt: null };
    return {
      optedOut: this.context.specifics.readBool(row.opted_out),
      lastHumanReplyAt: this.context.specifics.readTimeOrNull(row.last_human_reply_at),
    };
  }

  /** Stores an opt-out (STOP) or opt-in (START). */
  async setOptOut(conversationId: number, accountId: string, optedOut: boolean, at: Date): Promise<void> {
    await this.write(conversationId, accountId, {
      opted_out: optedOut ? 1 : 0,
      opt_out_changed_at: this.context.specifics.time(at),
    });
  }

  /** Records a human reply; an older one than already stored changes nothing. */
  async recordHumanReply(conversationId: number, accountId: string, at: Date): Promise<void> {
    const state = await this.getState(conversationId);
    if (state.lastHumanReplyAt && state.lastHumanReplyAt >= at) return;
    await this.write(conversationId, accountId, { last_human_reply_at: this.context.specifics.time(at) });
  }

  /** When staff last queued a reply from the app in this conversation. */
  async lastStaffReplyAt(conversationId: number): Promise<Date | null> {
    const row = await lastStaffReply.first(this.context, conversationId);
    return row?.at == null ? null : this.context.specifics.readTime(row.at);
  }

  /** Rule replies queued before, per rule id, for one person and the whole account. */
  async ruleReplyHistory(
    accountId: string,
    conversationId: number,
    /** Rules whose last reply on the whole account matters (per-account cooldowns); default: every rule. */
    accountWideRuleIds?: readonly string[],
  ): Promise<Map<string, RuleReplyHistory>> {
    const { specifics } = this.context;
    const out = new Map<string, RuleReplyHistory>();
    const entry = (ruleId: string): RuleReplyHistory => {
      let found = out.get(ruleId);
      if (!found) {
        found = { lastOnAccountAt: null, lastForPersonAt: null, answeredForPerson: 0 };
        out.set(ruleId, found);
      }
      return found;
    };
    if (accountWideRuleIds === undefined) {
      const rows = await this.db
        .selectFrom('outbound_messages')
        .where('account_id', '=', accountId)
        .where('created_by_kind', '=', 'rule')
        .where('created_by_id', 'is not', null)
        .groupBy('created_by_id')
        .select((eb) => ['created_by_id', eb.fn.max('created_at').as('at')])
        .execute();
      for (const row of rows)
        if (row.created_by_id !== null && row.at != null)
          entry(row.created_by_id).lastOnAccountAt = specifics.readTime(row.at);
    } else {
      // One index seek per rule (outbound_messages_rule_history): never a scan of the account's outbox.
      for (const ruleId of accountWideRuleIds) {
        const row = await lastRuleReplyOnAccount.first(this.context, accountId, ruleId);
        if (row?.at != null) entry(ruleId).lastOnAccountAt = specifics.readTime(row.at);
      }
    }
    // The conversation's own replies (its index): how often and when each rule answered this person.
    const forPerson = await ruleRepliesForPerson.all(this.context, conversationId);
    for (const row of forPerson) {
      if (row.created_by_id === null) continue;
      const found = entry(row.created_by_id);
      found.lastForPersonAt = row.at == null ? null : specifics.readTime(row.at);
      found.answeredForPerson = Number(row.n);
    }
    return out;
  }

  /** Rule replies queued on the account since `since` (echo recognition, replay). */
  async ruleOutbox(accountId: string, options: { conversationId?: number; since?: Date } = {}) {
    let query = this.db
      .selectFrom('outbound_messages')
      .select(['conversation_id', 'created_by_id', 'text', 'graph_message_id', 'created_at'])
      .where('account_id', '=', accountId)
      .where('created_by_kind', '=', 'rule');
    if (options.conversationId !== undefined)
      query = query.where('conversation_id', '=', options.conversationId);
    if (options.since) query = query.where('created_at', '>=', this.context.specifics.time(options.since));
    const rows = await query.orderBy('created_at').execute();
    return rows.map((row): RuleOutboxRow => ({
      conversationId: Number(row.conversation_id),
      ruleId: row.created_by_id,
      text: row.text,
      graphMessageId: row.graph_message_id,
      createdAt: this.context.specifics.readTime(row.created_at),
    }));
  }

  /** Who queued the outbox row that Instagram delivered as `graphMessageId`, when it was us. */
  async outboxCreatorOf(accountId: string, graphMessageId: string): Promise<string | null> {
    const row = await outboxCreator.first(this.context, accountId, graphMessageId);
    return row?.created_by_kind ?? null;
  }

  /** The latest evaluation outcome of each message (replay's "what did fire"). */
  async latestEvaluations(
    messageIds: readonly number[],
  ): Promise<Map<number, { outcome: string; ruleId: string | null; trace: JsonValue }>> {
    const out = new Map<number, { outcome: string; ruleId: string | null; trace: JsonValue }>();
    if (messageIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('rule_evaluations')
      .select(['message_id', 'outcome', 'rule_id', 'trace'])
      .where('message_id', 'in', [...messageIds])
      .orderBy('id')
      .execute();
    for (const row of rows)
      out.set(Number(row.message_id), {
        outcome: row.outcome,
        ruleId: row.rule_id,
        trace: fromJsonText<JsonValue>(row.trace),
      });
    return out;
  }

  private async write(
    conversationId: number,
    accountId: string,
    values: {
      opted_out?: number;
      opt_out_changed_at?: number | string;
      last_human_reply_at?: number | string;
    },
  ): Promise<void> {
    const now = this.context.specifics.time(this.context.now());
    // Looked up rather than judged by affected rows: MariaDB reports 0 for an update that changes nothing.
    const existing = await this.db
      .selectFrom('conversation_automation')
      .select('conversation_id')
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (existing) {
      await this.db
        .updateTable('conversation_automation')
        .set({ ...values, updated_at: now })
        .where('conversation_id', '=', conversationId)
        .execute();
      return;
    }
    await this.db
      .insertInto('conversation_automation')
      .values({
        conversation_id: conversationId,
        account_id: accountId,
        opted_out: 0,
        ...values,
        updated_at: now,
      })
      .execute();
  }

  private messageFromRow(row: {
    id: number;
    account_id: string;
    conversation_id: number;
    mid: string;
    direction: string;
    kind: string;
    text: string | null;
    attachments: string | null;
    is_echo: number | boolean;
    sent_by: string | null;
    is_deleted: number | boolean;
    edit_history: string | null;
    created_at: number | string | Date;
  }): AutomationMessage {
    const { specifics } = this.context;
    const history = row.edit_history === null ? [] : fromJsonText<unknown[]>(row.edit_history);
    return {
      id: Number(row.id),
      accountId: row.account_id,
      conversationId: Number(row.conversation_id),
      mid: row.mid,
      direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
      kind: row.kind,
      text: row.text,
      attachments: row.attachments === null ? null : fromJsonText<JsonValue[]>(row.attachments),
      isEcho: specifics.readBool(row.is_echo),
      sentBy: row.sent_by,
      isDeleted: specifics.readBool(row.is_deleted),
      edited: Array.isArray(history) && history.length > 0,
      createdAt: specifics.readTime(row.created_at),
    };
  }
}
