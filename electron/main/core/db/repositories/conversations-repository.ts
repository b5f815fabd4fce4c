/**
 * Conversations and their messages: one aggregate, because every message changes its
 * conversation's counters (last message, unread count) in the same transaction.
 *
 * This class is the aggregate's public face: reads are here, the batched write path lives in
 * `conversations/message-ingest.ts` and `conversations/conversation-upsert.ts`, later changes to
 * messages in `conversations/message-changes.ts`, row mapping in `conversations/conversation-rows.ts`.
 */
import { parseInput, toJsonText } from '../validation';
import { inTransaction, notFound } from './context';
import type { RepositoryContext } from './context';
import { pairKey, readByIds } from './conversations/batch-helpers';
import {
  addMessageSchema,
  conversationPatchSchema,
  inboxSchema,
  ingestSchema,
  participantSchema,
  threadSchema,
} from './conversations/conversation-schemas';
import type {
  AddMessageInput,
  Conversation,
  ConversationPatch,
  InboxQuery,
  IngestInput,
  IngestResult,
  Message,
  ParticipantInput,
  ThreadQuery,
} from './conversations/conversation-model';
import { conversationFromRow, messageFromRow } from './conversations/conversation-rows';
import { resolveConversations, upsertParsed } from './conversations/conversation-upsert';
import { markMessageDeleted, recordEdit, setReaction } from './conversations/message-changes';
import { insertMessages } from './conversations/message-ingest';
import { preparedQuery } from './prepared-query';

export * from './conversations/conversation-model';

// Read several times per ingested message (rules, notifications, outbox sweep).
const conversationById = preparedQuery((db, id: number) =>
  db.selectFrom('conversations').selectAll().where('id', '=', id),
);
export const messageById = preparedQuery((db, id: number) =>
  db.selectFrom('messages').selectAll().where('id', '=', id),
);

/** Reads and writes conversations and messages. */
export class ConversationsRepository {
  constructor(private readonly context: RepositoryContext) {}

  /**
   * Finds or creates the conversation for (account, participant). Names given are stored; names
   * left out keep their stored values.
   */
  async upsertConversation(input: ParticipantInput): Promise<Conversation> {
    const parsed = parseInput(participantSchema, input, 'conversation');
    const id = await upsertParsed(this.context, parsed);
    return this.require(id);
  }

  /** The conversation, or null. */
  async getConversation(id: number): Promise<Conversation | null> {
    const row = await conversationById.first(this.context, id);
    return row ? conversationFromRow(this.context.specifics, row) : null;
  }

  /** Several conversations by id, in one read per 500; ids not found are absent from the map. */
  async getConversations(ids: readonly number[]): Promise<Map<number, Conversation>> {
    return readByIds(
      ids,
      (slice) => this.context.db.selectFrom('conversations').selectAll().where('id', 'in', slice).execute(),
      (row) => conversationFromRow(this.context.specifics, row),
    );
  }

  /** The conversation with this person on this account, or null. */
  async findConversation(accountId: string, participantIgsid: string): Promise<Conversation | null> {
    const row = await this.context.db
      .selectFrom('conversations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('participant_igsid', '=', participantIgsid)
      .executeTakeFirst();
    return row ? conversationFromRow(this.context.specifics, row) : null;
  }

  /**
   * The inbox: conversations newest first (default 50, status `active`), across all accounts or
   * the ones given. Pass the last row's `lastMessageAt` and `id` as `before` for the next page.
   */
  async listInbox(query: InboxQuery = {}): Promise<Conversation[]> {
    const parsed = parseInput(inboxSchema, query, 'inbox query');
    const { specifics } = this.context;
    let q = this.context.db
      .selectFrom('conversations')
      .selectAll()
      .where('status', '=', parsed.status ?? 'active')
      .where('last_message_at', 'is not', null)
      .orderBy('last_message_at', 'desc')
      .orderBy('id', 'desc')
      .limit(parsed.limit ?? 50);
    if (parsed.accountIds) {
      if (parsed.accountIds.length === 0) return [];
      q = q.where('account_id', 'in', parsed.accountIds);
    }
    if (parsed.before) {
      const at = specifics.time(parsed.before.lastMessageAt);
      const beforeId = parsed.before.id;
      q = q.where((eb) =>
        eb.or([
          eb('last_message_at', '<', at),
          eb.and([eb('last_message_at', '=', at), eb('id', '<', beforeId)]),
        ]),
      );
    }
    return (await q.execute()).map((row) => conversationFromRow(this.context.specifics, row));
  }

  /** Marks everything in the conversation as read. */
  async markRead(conversationId: number): Promise<void> {
    const result = await this.context.db
      .updateTable('conversations')
      .set({ unread_count: 0, updated_at: this.context.specifics.time(this.context.now()) })
      .where('id', '=', conversationId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('conversation', conversationId);
  }

  /** Changes the given fields (status, assignee, automation pause, labels, notes, names). */
  async updateConversation(id: number, patch: ConversationPatch): Promise<Conversation> {
    const parsed = parseInput(conversationPatchSchema, patch, 'conversation');
    const { specifics } = this.context;
    const values: Record<string, string | number | null> = { updated_at: specifics.time(this.context.now()) };
    if (parsed.status !== undefined) values.status = parsed.status;
    if (parsed.assignedTo !== undefined) values.assigned_to = parsed.assignedTo;
    if (parsed.automationPausedUntil !== undefined)
      values.automation_paused_until = specifics.timeOrNull(parsed.automationPausedUntil);
    if (parsed.labels !== undefined) values.labels = toJsonText([...new Set(parsed.labels)], 'labels');
    if (parsed.notes !== undefined) values.notes = parsed.notes;
    if (parsed.participantUsername !== undefined) values.participant_username = parsed.participantUsername;
    if (parsed.participantName !== undefined) values.participant_name = parsed.participantName;
    const result = await this.context.db
      .updateTable('conversations')
      .set(values)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('conversation', id);
    return this.require(id);
  }

  /**
   * Stores one message event the way the receiver does: finds or creates the conversation, inserts
   * the message unless its mid is already stored for the account (webhook retries), and updates
   * the conversation's last message, counts and unread badge. All in one transaction; a
   * duplicate changes nothing.
   */
  async ingest(input: IngestInput): Promise<IngestResult> {
    const [result] = await this.ingestMany([input]);
    return result!;
  }

  /**
   * `ingest` for a batch (one webhook delivery, or whatever the receiver grouped into one commit):
   * the same effects and results, in input order, with a handful of statements per batch instead
   * of four per message. A mid repeated within the batch is stored once.
   */
  async ingestMany(inputs: readonly IngestInput[]): Promise<IngestResult[]> {
    const parsed = inputs.map((input, i) =>
      parseInput(ingestSchema, input, inputs.length > 1 ? `message ${i + 1}` : 'message'),
    );
    if (parsed.length === 0) return [];
    return inTransaction(this.context, async (context) => {
      const conversationIds = await resolveConversations(context, parsed);
      return insertMessages(
        context,
        parsed.map((item) => ({
          accountId: item.accountId,
          conversationId: conversationIds.get(pairKey(item.accountId, item.participantIgsid))!,
          message: item,
        })),
      );
    });
  }

  /** Stores a message in a known conversation (idempotent on the mid, like `ingest`). */
  async addMessage(input: AddMessageInput): Promise<IngestResult> {
    const parsed = parseInput(addMessageSchema, input, 'message');
    return inTransaction(this.context, async (context) => {
      const conversation = await context.db
        .selectFrom('conversations')
        .select(['id', 'account_id'])
        .where('id', '=', parsed.conversationId)
        .executeTakeFirst();
      if (!conversation) throw notFound('conversation', parsed.conversationId);
      const [result] = await insertMessages(context, [
        { accountId: conversation.account_id, conversationId: conversation.id, message: parsed },
      ]);
      return result!;
    });
  }

  /** The message, or null. */
  async getMessage(id: number): Promise<Message | null> {
    const row = await messageById.first(this.context, id);
    return row ? messageFromRow(this.context.specifics, row) : null;
  }

  /** The message with this mid on this account, or null. */
  async getMessageByMid(accountId: string, messageMid: string): Promise<Message | null> {
    const row = await this.context.db
      .selectFrom('messages')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('mid', '=', messageMid)
      .executeTakeFirst();
    return row ? messageFromRow(this.context.specifics, row) : null;
  }

  /** A page of a thread, newest first (default 50). Pass the last row's `createdAt` and `id` as `before` for older messages. */
  async listThread(conversationId: number, query: ThreadQuery = {}): Promise<Message[]> {
    const parsed = parseInput(threadSchema, query, 'thread query');
    let q = this.context.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(parsed.limit ?? 50);
    if (parsed.before) {
      const at = this.context.specifics.time(parsed.before.createdAt);
      const beforeId = parsed.before.id;
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', beforeId)])]),
      );
    }
    return (await q.execute()).map((row) => messageFromRow(this.context.specifics, row));
  }
  /** Records an unsend: the row stays (the thread shows "removed"), the text is cleared. */
  async markMessageDeleted(accountId: string, messageMid: string, at: Date): Promise<boolean> {
    return markMessageDeleted(this.context, accountId, messageMid, at);
  }

  /** Applies an edit: the new text replaces the old, which is appended to the edit history. */
  async recordEdit(
    accountId: string,
    messageMid: string,
    edit: { text: string; editedAt: Date; numEdit?: number | null },
  ): Promise<boolean> {
    return recordEdit(this.context, accountId, messageMid, edit);
  }

  /** Sets (or with `reaction: null`, removes) a person's reaction to a message. */
  async setReaction(
    accountId: string,
    messageMid: string,
    reactorIgsid: string,
    reaction: string | null,
  ): Promise<boolean> {
    return setReaction(this.context, accountId, messageMid, reactorIgsid, reaction);
  }

  private async require(id: number): Promise<Conversation> {
    const conversation = await this.getConversation(id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  }
}
