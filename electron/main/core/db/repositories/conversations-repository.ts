/**
 * Conversations and their messages: one aggregate, because every message changes its
 * conversation's counters (last message, unread count) in the same transaction.
 */
import { sql } from 'kysely';
import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import { DatabaseError } from '../errors';
import type { ConversationsTable, MessagesTable } from '../schema';
import { asciiId, instant, jsonValue, longText, parseInput, toJsonText, varchar } from '../validation';
import type { JsonValue } from '../validation';
import { inTransaction, notFound } from './context';
import type { RepositoryContext } from './context';

/** Where a conversation is shown. */
export const CONVERSATION_STATUSES = ['active', 'archived', 'blocked'] as const;
/** Who sent a message, from the business account's point of view. */
export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const;
/** What a message event was. */
export const MESSAGE_KINDS = [
  'text',
  'image',
  'video',
  'audio',
  'file',
  'share',
  'story_mention',
  'story_reply',
  'reel',
  'like_heart',
  'reaction',
  'postback',
  'quick_reply',
  'referral',
  'unsupported',
] as const;
/** Who produced an outbound message. */
export const SENT_BY = ['app', 'phone', 'rule', 'staff'] as const;

/** A conversation as the inbox shows it. */
export interface Conversation {
  id: number;
  accountId: string;
  participantIgsid: string;
  participantUsername: string | null;
  participantName: string | null;
  status: (typeof CONVERSATION_STATUSES)[number];
  lastMessageAt: Date | null;
  /** The person's last message: the 24-hour messaging window runs from here. */
  lastInboundAt: Date | null;
  lastMessagePreview: string | null;
  messageCount: number;
  unreadCount: number;
  assignedTo: string | null;
  automationPausedUntil: Date | null;
  labels: string[];
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One edit of a message, oldest first in `Message.editHistory`. */
export interface MessageEdit {
  /** The text before this edit. */
  previousText: string | null;
  editedAt: string;
  numEdit: number | null;
}

/** A message as the thread shows it. */
export interface Message {
  id: number;
  accountId: string;
  conversationId: number;
  mid: string;
  direction: (typeof MESSAGE_DIRECTIONS)[number];
  kind: (typeof MESSAGE_KINDS)[number];
  text: string | null;
  attachments: JsonValue[] | null;
  replyToMid: string | null;
  isEcho: boolean;
  sentBy: (typeof SENT_BY)[number] | null;
  isDeleted: boolean;
  deletedAt: Date | null;
  editHistory: MessageEdit[];
  /** Current reaction per reacting IGSID. */
  reactions: Record<string, string>;
  rawEvent: JsonValue | null;
  createdAt: Date;
  receivedAt: Date;
}

const igsid = asciiId(128);
const mid = asciiId(512);

const participantSchema = z
  .object({
    accountId: asciiId(64),
    participantIgsid: igsid,
    participantUsername: varchar(255).nullable().optional(),
    participantName: varchar(255).nullable().optional(),
  })
  .strict();

const messageFields = {
  mid,
  direction: z.enum(MESSAGE_DIRECTIONS),
  kind: z.enum(MESSAGE_KINDS).optional(),
  text: longText().nullable().optional(),
  attachments: z.array(jsonValue).max(100).nullable().optional(),
  replyToMid: mid.nullable().optional(),
  isEcho: z.boolean().optional(),
  sentBy: z.enum(SENT_BY).nullable().optional(),
  rawEvent: jsonValue.nullable().optional(),
  createdAt: instant,
  receivedAt: instant.optional(),
};

const ingestSchema = z.object({ ...participantSchema.shape, ...messageFields }).strict();
const addMessageSchema = z.object({ conversationId: z.number().int().positive(), ...messageFields }).strict();

const conversationPatchSchema = z
  .object({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    assignedTo: varchar(255).nullable().optional(),
    automationPausedUntil: instant.nullable().optional(),
    labels: z.array(varchar(64).min(1)).max(50).optional(),
    notes: longText().nullable().optional(),
    participantUsername: varchar(255).nullable().optional(),
    participantName: varchar(255).nullable().optional(),
  })
  .strict();

const inboxSchema = z
  .object({
    accountIds: z.array(asciiId(64)).max(1000).optional(),
    status: z.enum(CONVERSATION_STATUSES).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    before: z.object({ lastMessageAt: instant, id: z.number().int() }).strict().optional(),
  })
  .strict();

const threadSchema = z
  .object({
    limit: z.number().int().min(1).max(500).optional(),
    before: z.object({ createdAt: instant, id: z.number().int() }).strict().optional(),
  })
  .strict();

/** Identifies a conversation by its natural key. */
export type ParticipantInput = z.input<typeof participantSchema>;
/** One message event as the receiver has parsed it, with its conversation's natural key. */
export type IngestInput = z.input<typeof ingestSchema>;
/** A message for a conversation whose id is known. */
export type AddMessageInput = z.input<typeof addMessageSchema>;
/** Fields of a conversation staff can change. */
export type ConversationPatch = z.input<typeof conversationPatchSchema>;
/** Inbox query: newest first, keyset-paged by `before`. */
export type InboxQuery = z.input<typeof inboxSchema>;
/** Thread query: newest first, keyset-paged by `before`. */
export type ThreadQuery = z.input<typeof threadSchema>;

/** The result of storing a message: `inserted` is false when the mid was already stored. */
export interface IngestResult {
  conversationId: number;
  messageId: number;
  inserted: boolean;
}

const PREVIEW_LENGTH = 280;

/** A message to store, with the conversation it belongs to. */
interface MessageItem {
  accountId: string;
  conversationId: number;
  message: z.output<z.ZodObject<typeof messageFields>>;
}

/** The ids of a stored message. */
interface StoredMessage {
  id: number;
  conversation_id: number;
}

/** By (account, mid): rows an insert stored, and rows that were there before it. */
interface StoredMessages {
  stored: Map<string, StoredMessage>;
  existing: Map<string, StoredMessage>;
}

/** What a batch changes on one conversation. */
interface ConversationDelta {
  id: number;
  count: number;
  inbound: number;
  newest: MessageItem['message'];
  newestInbound: Date | null;
}

/**
 * JSON text for a value the input schema has already accepted as JSON: `toJsonText` would walk
 * it through the schema a second time. Only serialisation can still fail (a cycle).
 */
function checkedJsonText(value: JsonValue, field: string): string {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new DatabaseError(
      'DB_INVALID_INPUT',
      `Invalid ${field}: it is not valid JSON data.`,
      `Correct the ${field} value and try again.`,
      { field, cause },
    );
  }
}

function pairKey(accountId: string, key: string): string {
  return `${accountId}\u0000${key}`;
}

function definedNames(item: {
  participantUsername?: string | null | undefined;
  participantName?: string | null | undefined;
}) {
  return {
    ...(item.participantUsername != null ? { participantUsername: item.participantUsername } : {}),
    ...(item.participantName != null ? { participantName: item.participantName } : {}),
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function groupBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  value: (item: T) => string,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(value(item));
    groups.set(key(item), list);
  }
  return groups;
}

/** Reads and writes conversations and messages. */
export class ConversationsRepository {
  constructor(private readonly context: RepositoryContext) {}

  /**
   * Finds or creates the conversation for (account, participant). Names given are stored; names
   * left out keep their stored values.
   */
  async upsertConversation(input: ParticipantInput): Promise<Conversation> {
    const parsed = parseInput(participantSchema, input, 'conversation');
    const id = await this.upsertParsed(parsed);
    return this.require(id);
  }

  /** The conversation, or null. */
  async getConversation(id: number): Promise<Conversation | null> {
    const row = await this.context.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.conversationFromRow(row) : null;
  }

  /** The conversation with this person on this account, or null. */
  async findConversation(accountId: string, participantIgsid: string): Promise<Conversation | null> {
    const row = await this.context.db
      .selectFrom('conversations')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('participant_igsid', '=', participantIgsid)
      .executeTakeFirst();
    return row ? this.conversationFromRow(row) : null;
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
    return (await q.execute()).map((row) => this.conversationFromRow(row));
  }

  /** Unread messages per account (accounts with none are left out). */
  async unreadCounts(): Promise<{ accountId: string; unread: number }[]> {
    const rows = await this.context.db
      .selectFrom('conversations')
      .select(['account_id', (eb) => eb.fn.sum<number | string>('unread_count').as('unread')])
      // A literal 0: SQLite may use the partial index of unread conversations (migration 0024)
      // only when it can see that the WHERE implies `unread_count > 0`; a literal makes that
      // independent of whether the planner looks at bound values.
      .where('unread_count', '>', sql.lit(0))
      .groupBy('account_id')
      .execute();
    return rows
      .map((row) => ({ accountId: row.account_id, unread: Number(row.unread) }))
      .sort((a, b) => a.accountId.localeCompare(b.accountId));
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
      const repository = new ConversationsRepository(context);
      const conversationIds = await repository.resolveConversations(parsed);
      return repository.insertMessages(
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
      const [result] = await new ConversationsRepository(context).insertMessages([
        { accountId: conversation.account_id, conversationId: conversation.id, message: parsed },
      ]);
      return result!;
    });
  }

  /** The message with this mid on this account, or null. */
  async getMessageByMid(accountId: string, messageMid: string): Promise<Message | null> {
    const row = await this.context.db
      .selectFrom('messages')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('mid', '=', messageMid)
      .executeTakeFirst();
    return row ? this.messageFromRow(row) : null;
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
    return (await q.execute()).map((row) => this.messageFromRow(row));
  }

  /** Records an unsend: the row stays (the thread shows "removed"), the text is cleared. */
  async markMessageDeleted(accountId: string, messageMid: string, at: Date): Promise<boolean> {
    const when = this.context.specifics.time(parseInput(instant, at, 'deletion time'));
    const result = await this.context.db
      .updateTable('messages')
      .set({ is_deleted: 1, deleted_at: when, text: null })
      .where('account_id', '=', accountId)
      .where('mid', '=', messageMid)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Applies an edit: the new text replaces the old, which is appended to the edit history. */
  async recordEdit(
    accountId: string,
    messageMid: string,
    edit: { text: string; editedAt: Date; numEdit?: number | null },
  ): Promise<boolean> {
    const parsed = parseInput(
      z
        .object({
          text: longText(),
          editedAt: instant,
          numEdit: z.number().int().min(0).nullable().optional(),
        })
        .strict(),
      edit,
      'message edit',
    );
    return inTransaction(this.context, async (context) => {
      const row = await context.specifics
        .lockForUpdate(
          context.db
            .selectFrom('messages')
            .select(['id', 'text', 'edit_history'])
            .where('account_id', '=', accountId)
            .where('mid', '=', messageMid),
        )
        .executeTakeFirst();
      if (!row) return false;
      const history = row.edit_history ? (JSON.parse(row.edit_history) as MessageEdit[]) : [];
      history.push({
        previousText: row.text,
        editedAt: parsed.editedAt.toISOString(),
        numEdit: parsed.numEdit ?? null,
      });
      await context.db
        .updateTable('messages')
        .set({ text: parsed.text, edit_history: toJsonText(history, 'edit history') })
        .where('id', '=', row.id)
        .execute();
      return true;
    });
  }

  /** Sets (or with `reaction: null`, removes) a person's reaction to a message. */
  async setReaction(
    accountId: string,
    messageMid: string,
    reactorIgsid: string,
    reaction: string | null,
  ): Promise<boolean> {
    parseInput(igsid, reactorIgsid, 'reactor id');
    if (reaction !== null) parseInput(varchar(64).min(1), reaction, 'reaction');
    return inTransaction(this.context, async (context) => {
      const row = await context.specifics
        .lockForUpdate(
          context.db
            .selectFrom('messages')
            .select(['id', 'reactions'])
            .where('account_id', '=', accountId)
            .where('mid', '=', messageMid),
        )
        .executeTakeFirst();
      if (!row) return false;
      const reactions = row.reactions ? (JSON.parse(row.reactions) as Record<string, string>) : {};
      if (reaction === null) delete reactions[reactorIgsid];
      else reactions[reactorIgsid] = reaction;
      await context.db
        .updateTable('messages')
        .set({ reactions: Object.keys(reactions).length > 0 ? toJsonText(reactions, 'reactions') : null })
        .where('id', '=', row.id)
        .execute();
      return true;
    });
  }

  private async upsertParsed(parsed: z.output<typeof participantSchema>): Promise<number> {
    const { db, specifics } = this.context;
    const existing = await db
      .selectFrom('conversations')
      .select(['id', 'participant_username', 'participant_name'])
      .where('account_id', '=', parsed.accountId)
      .where('participant_igsid', '=', parsed.participantIgsid)
      .executeTakeFirst();
    const update: string[] = [];
    if (parsed.participantUsername != null && parsed.participantUsername !== existing?.participant_username)
      update.push('participant_username');
    if (parsed.participantName != null && parsed.participantName !== existing?.participant_name)
      update.push('participant_name');
    if (existing && update.length === 0) return existing.id;

    const now = specifics.time(this.context.now());
    const insert = db.insertInto('conversations').values({
      account_id: parsed.accountId,
      participant_igsid: parsed.participantIgsid,
      participant_username: parsed.participantUsername ?? null,
      participant_name: parsed.participantName ?? null,
      status: 'active',
      labels: '[]',
      created_at: now,
      updated_at: now,
    });
    const conflict = ['account_id', 'participant_igsid'];
    await (
      update.length > 0
        ? specifics.upsert(insert, conflict, [...update, 'updated_at'])
        : specifics.insertIfAbsent(insert, conflict, 'account_id')
    ).execute();
    const row = await db
      .selectFrom('conversations')
      .select('id')
      .where('account_id', '=', parsed.accountId)
      .where('participant_igsid', '=', parsed.participantIgsid)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Finds or creates the conversations of a batch: one lookup, one multi-row insert for the new
   * ones, one lookup of their ids. Names are refreshed only where the batch brings new ones.
   */
  private async resolveConversations(
    items: readonly z.output<typeof participantSchema>[],
  ): Promise<Map<string, number>> {
    const { db, specifics } = this.context;
    const wanted = new Map<string, z.output<typeof participantSchema>>();
    for (const item of items) {
      const key = pairKey(item.accountId, item.participantIgsid);
      const seen = wanted.get(key);
      // Later events in the batch carry the freshest names.
      wanted.set(key, seen ? { ...seen, ...definedNames(item) } : item);
    }
    const found = await this.lookupConversations([...wanted.values()]);
    const ids = new Map<string, number>();
    const missing: z.output<typeof participantSchema>[] = [];
    for (const [key, item] of wanted) {
      const row = found.get(key);
      if (!row) {
        missing.push(item);
        continue;
      }
      ids.set(key, row.id);
      if (
        (item.participantUsername != null && item.participantUsername !== row.participant_username) ||
        (item.participantName != null && item.participantName !== row.participant_name)
      ) {
        await this.upsertParsed(item);
      }
    }
    if (missing.length > 0) {
      const now = specifics.time(this.context.now());
      for (const chunk of chunks(missing, 500)) {
        const insert = specifics.insertIfAbsent(
          db.insertInto('conversations').values(
            chunk.map((item) => ({
              account_id: item.accountId,
              participant_igsid: item.participantIgsid,
              participant_username: item.participantUsername ?? null,
              participant_name: item.participantName ?? null,
              status: 'active',
              labels: '[]',
              created_at: now,
              updated_at: now,
            })),
          ),
          ['account_id', 'participant_igsid'],
          'account_id',
        );
        if (specifics.insertReturning) {
          const created = await insert.returning(['id', 'account_id', 'participant_igsid']).execute();
          for (const row of created) ids.set(pairKey(row.account_id, row.participant_igsid), row.id);
        } else {
          await insert.execute();
        }
      }
      // Without RETURNING (MySQL), or where another connection created the row first: look it up.
      const unresolved = missing.filter((item) => !ids.has(pairKey(item.accountId, item.participantIgsid)));
      if (unresolved.length > 0) {
        for (const [key, row] of await this.lookupConversations(unresolved)) ids.set(key, row.id);
      }
    }
    return ids;
  }

  private async lookupConversations(items: readonly { accountId: string; participantIgsid: string }[]) {
    const found = new Map<
      string,
      { id: number; participant_username: string | null; participant_name: string | null }
    >();
    for (const chunk of chunks(items, 500)) {
      const byAccount = groupBy(
        chunk,
        (item) => item.accountId,
        (item) => item.participantIgsid,
      );
      const rows = await this.context.db
        .selectFrom('conversations')
        .select(['id', 'account_id', 'participant_igsid', 'participant_username', 'participant_name'])
        // OR of (account = ? AND igsid IN (…)): a set of ranges on the unique index, on both dialects.
        .where((eb) =>
          eb.or(
            [...byAccount].map(([accountId, people]) =>
              eb.and([eb('account_id', '=', accountId), eb('participant_igsid', 'in', people)]),
            ),
          ),
        )
        .execute();
      for (const row of rows) found.set(pairKey(row.account_id, row.participant_igsid), row);
    }
    return found;
  }

  private async lookupMessages(keys: readonly { accountId: string; mid: string }[]) {
    const found = new Map<string, { id: number; conversation_id: number }>();
    for (const chunk of chunks(keys, 500)) {
      const byAccount = groupBy(
        chunk,
        (key) => key.accountId,
        (key) => key.mid,
      );
      const rows = await this.context.db
        .selectFrom('messages')
        .select(['id', 'account_id', 'mid', 'conversation_id'])
        .where((eb) =>
          eb.or(
            [...byAccount].map(([accountId, mids]) =>
              eb.and([eb('account_id', '=', accountId), eb('mid', 'in', mids)]),
            ),
          ),
        )
        .execute();
      for (const row of rows) found.set(pairKey(row.account_id, row.mid), row);
    }
    return found;
  }

  /**
   * Inserts the messages whose mid is new for their account and moves their conversations'
   * counters; returns one result per item, in order.
   */
  private async insertMessages(items: readonly MessageItem[]): Promise<IngestResult[]> {
    for (const { message } of items) {
      if (message.direction === 'inbound' && message.isEcho) {
        throw new DatabaseError(
          'DB_INVALID_INPUT',
          'Invalid message: an echo is always outbound.',
          'Set direction to "outbound" for echoes.',
          { field: 'direction' },
        );
      }
    }
    // A mid repeated within the batch is stored once, from its first occurrence.
    const unique = new Map<string, MessageItem>();
    for (const item of items) {
      const key = pairKey(item.accountId, item.message.mid);
      if (!unique.has(key)) unique.set(key, item);
    }
    const { stored, existing } = this.context.specifics.insertReturning
      ? await this.insertReturningStored([...unique.values()])
      : await this.insertAfterLookup([...unique.values()]);
    // Counters move only for rows this call stored: a duplicate changes nothing.
    const bumped = [...unique].filter(([key]) => stored.has(key)).map(([, item]) => item);
    if (bumped.length > 0) await this.bumpConversations(bumped);

    const reported = new Set<string>();
    return items.map((item) => {
      const key = pairKey(item.accountId, item.message.mid);
      const before = existing.get(key);
      if (before)
        return {
          conversationId: Number(before.conversation_id),
          messageId: Number(before.id),
          inserted: false,
        };
      const row = stored.get(key);
      if (!row) {
        throw new DatabaseError(
          'DB_UNKNOWN',
          `The message ${item.message.mid} was neither stored nor found.`,
          'Try again; if this keeps happening, report it with the log.',
        );
      }
      const inserted = !reported.has(key);
      reported.add(key);
      return { conversationId: Number(row.conversation_id), messageId: Number(row.id), inserted };
    });
  }

  /**
   * SQLite: one insert-if-absent with RETURNING per chunk says exactly which rows were stored;
   * only the skipped ones (already stored: webhook retries) are looked up. No lookup before the
   * insert, and none after it in the common case.
   */
  private async insertReturningStored(items: readonly MessageItem[]): Promise<StoredMessages> {
    const { db, specifics } = this.context;
    const stored = new Map<string, StoredMessage>();
    for (const chunk of chunks(items, 500)) {
      const rows = await specifics
        .insertIfAbsent(
          db.insertInto('messages').values(this.messageRows(chunk)),
          ['account_id', 'mid'],
          'mid',
        )
        .returning(['id', 'account_id', 'mid', 'conversation_id'])
        .execute();
      for (const row of rows) stored.set(pairKey(row.account_id, row.mid), row);
    }
    const skipped = items.filter((item) => !stored.has(pairKey(item.accountId, item.message.mid)));
    const existing =
      skipped.length > 0
        ? await this.lookupMessages(
            skipped.map((item) => ({ accountId: item.accountId, mid: item.message.mid })),
          )
        : new Map<string, StoredMessage>();
    return { stored, existing };
  }

  /**
   * MySQL (no RETURNING): look the mids up, insert the new ones, then read their ids. The
   * affected-row count proves that every new row is ours; if another connection stored one of
   * the mids between the lookup and the insert, the transaction fails with `DB_CONFLICT` rather
   * than counting that message twice, and a retry skips it.
   */
  private async insertAfterLookup(items: readonly MessageItem[]): Promise<StoredMessages> {
    const { db, specifics } = this.context;
    const keyOf = (item: MessageItem) => ({ accountId: item.accountId, mid: item.message.mid });
    const existing = await this.lookupMessages(items.map(keyOf));
    const fresh = items.filter((item) => !existing.has(pairKey(item.accountId, item.message.mid)));
    if (fresh.length === 0) return { stored: new Map(), existing };
    let inserted = 0;
    for (const chunk of chunks(fresh, 500)) {
      const result = await specifics
        .insertIfAbsent(
          db.insertInto('messages').values(this.messageRows(chunk)),
          ['account_id', 'mid'],
          'mid',
        )
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    if (inserted !== fresh.length) {
      throw new DatabaseError(
        'DB_CONFLICT',
        'Some of these messages were stored by another connection at the same moment.',
        'Try again: messages already stored are skipped on the next attempt.',
      );
    }
    return { stored: await this.lookupMessages(fresh.map(keyOf)), existing };
  }

  /** Column values of new messages. */
  private messageRows(items: readonly MessageItem[]): Insertable<MessagesTable>[] {
    const { specifics } = this.context;
    const receivedAt = specifics.time(this.context.now());
    return items.map(({ accountId, conversationId, message }) => ({
      account_id: accountId,
      conversation_id: conversationId,
      mid: message.mid,
      direction: message.direction,
      kind: message.kind ?? 'text',
      text: message.text ?? null,
      attachments: message.attachments ? checkedJsonText(message.attachments, 'attachments') : null,
      reply_to_mid: message.replyToMid ?? null,
      is_echo: message.isEcho ? 1 : 0,
      is_deleted: 0,
      sent_by: message.sentBy ?? null,
      raw_event: message.rawEvent == null ? null : checkedJsonText(message.rawEvent, 'raw event'),
      created_at: specifics.time(message.createdAt),
      received_at: message.receivedAt ? specifics.time(message.receivedAt) : receivedAt,
    }));
  }

  /**
   * Moves the counters, unread badge, last message and 24 h window of every conversation the new
   * messages belong to, with one UPDATE per batch (per 500 conversations): the per-conversation
   * deltas are summed here and applied from a derived table joined on the primary key. One
   * statement per conversation cost a round trip (MariaDB) or a compile and prepare (SQLite) each,
   * most of a batch's time.
   */
  private async bumpConversations(items: readonly MessageItem[]): Promise<void> {
    const { db, specifics } = this.context;
    const perConversation = new Map<number, ConversationDelta>();
    for (const { conversationId, message } of items) {
      const entry = perConversation.get(conversationId) ?? {
        id: conversationId,
        count: 0,
        inbound: 0,
        newest: message,
        newestInbound: null,
      };
      entry.count += 1;
      if (message.createdAt.getTime() >= entry.newest.createdAt.getTime()) entry.newest = message;
      if (message.direction === 'inbound') {
        entry.inbound += 1;
        if (!entry.newestInbound || message.createdAt > entry.newestInbound)
          entry.newestInbound = message.createdAt;
      }
      perConversation.set(conversationId, entry);
    }
    const updatedAt = specifics.time(this.context.now());
    // Webhooks arrive out of order: only a newer message moves "last message" forward, and only a
    // newer inbound message moves the 24 h window. `<=` stays true once last_message_at has taken
    // the new value, so the preview is right whichever assignment the database applies first.
    const newer = sql`(last_message_at is null or last_message_at <= d.newest_at)`;
    const assignments = sql`
      message_count = message_count + d.added,
      unread_count = unread_count + d.added_inbound,
      last_message_preview = case when ${newer} then d.preview else last_message_preview end,
      last_message_at = case when ${newer} then d.newest_at else last_message_at end,
      last_inbound_at = case
        when d.newest_inbound_at is not null and (last_inbound_at is null or last_inbound_at < d.newest_inbound_at)
        then d.newest_inbound_at else last_inbound_at end,
      updated_at = ${updatedAt}`;
    const columns = [
      'conversation_id',
      'added',
      'added_inbound',
      'newest_at',
      'preview',
      'newest_inbound_at',
    ];
    // 500 rows of 6 values stay far below both dialects' limits on bound parameters.
    for (const entries of chunks([...perConversation.values()], 500)) {
      const rows = entries.map((entry) => [
        entry.id,
        entry.count,
        entry.inbound,
        specifics.time(entry.newest.createdAt),
        entry.newest.text != null
          ? [...entry.newest.text].slice(0, PREVIEW_LENGTH).join('')
          : `[${entry.newest.kind ?? 'text'}]`,
        specifics.timeOrNull(entry.newestInbound),
      ]);
      await specifics.updateFromRows('conversations', 'id', columns, rows, assignments).execute(db);
    }
  }

  private async require(id: number): Promise<Conversation> {
    const conversation = await this.getConversation(id);
    if (!conversation) throw notFound('conversation', id);
    return conversation;
  }

  private conversationFromRow(row: Selectable<ConversationsTable>): Conversation {
    const { specifics } = this.context;
    return {
      id: Number(row.id),
      accountId: row.account_id,
      participantIgsid: row.participant_igsid,
      participantUsername: row.participant_username,
      participantName: row.participant_name,
      status: row.status as Conversation['status'],
      lastMessageAt: specifics.readTimeOrNull(row.last_message_at),
      lastInboundAt: specifics.readTimeOrNull(row.last_inbound_at),
      lastMessagePreview: row.last_message_preview,
      messageCount: Number(row.message_count),
      unreadCount: Number(row.unread_count),
      assignedTo: row.assigned_to,
      automationPausedUntil: specifics.readTimeOrNull(row.automation_paused_until),
      labels: JSON.parse(row.labels) as string[],
      notes: row.notes,
      createdAt: specifics.readTime(row.created_at),
      updatedAt: specifics.readTime(row.updated_at),
    };
  }

  private messageFromRow(row: Selectable<MessagesTable>): Message {
    const { specifics } = this.context;
    return {
      id: Number(row.id),
      accountId: row.account_id,
      conversationId: Number(row.conversation_id),
      mid: row.mid,
      direction: row.direction as Message['direction'],
      kind: row.kind as Message['kind'],
      text: row.text,
      attachments: row.attachments ? (JSON.parse(row.attachments) as JsonValue[]) : null,
      replyToMid: row.reply_to_mid,
      isEcho: specifics.readBool(row.is_echo),
      sentBy: row.sent_by as Message['sentBy'],
      isDeleted: specifics.readBool(row.is_deleted),
      deletedAt: specifics.readTimeOrNull(row.deleted_at),
      editHistory: row.edit_history ? (JSON.parse(row.edit_history) as MessageEdit[]) : [],
      reactions: row.reactions ? (JSON.parse(row.reactions) as Record<string, string>) : {},
      rawEvent: row.raw_event ? (JSON.parse(row.raw_event) as JsonValue) : null,
      createdAt: specifics.readTime(row.created_at),
      receivedAt: specifics.readTime(row.received_at),
    };
  }
}
