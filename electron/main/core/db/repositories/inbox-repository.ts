/**
 * The inbox's reads and the staff's changes that the conversations repository does not cover:
 * the filtered, searched, keyset-paged list; unread totals; labels in use; what a thread needs
 * beside its messages (quoted replies, outbox rows, rule names); mark unread; internal notes.
 *
 * Kept apart from `ConversationsRepository`, whose ingest internals change often: this file only
 * reads what ingest writes, plus the notes table (migration 0016) that nothing else touches.
 */
import { sql } from 'kysely';
import type { Expression, Generated, Kysely, Selectable, SqlBool } from 'kysely';
import { z } from 'zod';
import type { ConversationsTable, DatabaseSchema, DbTime } from '../schema';
import { asciiId, parseInput, varchar } from '../validation';
import { notFound } from './context';
import type { RepositoryContext } from './context';
import { findSearchHits } from './inbox-search';
import { readNotificationFacts, type NotificationFacts } from './notification-facts';

/** `conversation_notes` (migration 0016). */
interface ConversationNotesTable {
  id: Generated<number>;
  conversation_id: number;
  account_id: string;
  author: string;
  text: string;
  created_at: DbTime;
}

type InboxSchema = DatabaseSchema & { conversation_notes: ConversationNotesTable };

const WINDOW_MS = 24 * 3600_000;
/** "Closing soon": fewer than 4 of the 24 hours left. */
const CLOSING_MS = 4 * 3600_000;

const listSchema = z
  .object({
    accountIds: z.array(asciiId(64)).max(1000).optional(),
    clientName: varchar(255).optional(),
    status: z.enum(['active', 'archived', 'blocked']).optional(),
    unread: z.boolean().optional(),
    needsReply: z.boolean().optional(),
    windowClosing: z.boolean().optional(),
    label: varchar(64).optional(),
    assignedTo: varchar(255).optional(),
    search: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    after: z.object({ lastMessageAt: z.date(), id: z.number().int() }).strict().optional(),
  })
  .strict();

/** The list query: filters, optional search, keyset position (`after`: the last row of the previous page). */
export type InboxListQuery = z.input<typeof listSchema>;

/** A row of the list, as stored, with what the preview needs. */
export interface InboxListRow {
  id: number;
  accountId: string;
  participantIgsid: string;
  participantName: string | null;
  participantUsername: string | null;
  status: string;
  lastMessageAt: Date | null;
  lastInboundAt: Date | null;
  lastMessagePreview: string | null;
  lastMessageKind: string | null;
  lastMessageDirection: 'inbound' | 'outbound' | null;
  unreadCount: number;
  messageCount: number;
  assignedTo: string | null;
  automationPausedUntil: Date | null;
  labels: string[];
  match: { messageId: number; text: string } | null;
}

/** An internal note. */
export interface NoteRecord {
  id: number;
  conversationId: number;
  author: string;
  text: string;
  createdAt: Date;
}

/** An outbox row as the thread shows it next to the message it became. */
export interface OutboxLink {
  id: number;
  graphMessageId: string;
  state: string;
  waitKind: string | null;
  errorCode: string | null;
  errorText: string | null;
  waitReason: string | null;
  createdByKind: string;
  createdById: string | null;
}

/** Reads and writes for the inbox screen. */
export class InboxRepository {
  constructor(private readonly context: RepositoryContext) {}

  private get db(): Kysely<InboxSchema> {
    return this.context.db.withTables<{ conversation_notes: ConversationNotesTable }>();
  }

  /** One page of the list, newest activity first; `limit + 1` rows are read to tell whether more follow. */
  async list(query: InboxListQuery): Promise<{ rows: InboxListRow[]; more: boolean }> {
    const parsed = parseInput(listSchema, query, 'inbox query');
    const { specifics } = this.context;
    const limit = parsed.limit ?? 50;
    if (parsed.accountIds && parsed.accountIds.length === 0) return { rows: [], more: false };
    const hits =
      parsed.search !== undefined && parsed.search.trim() !== ''
        ? await findSearchHits(this.context.db, specifics.name, parsed.search)
        : null;
    if (hits && hits.conversationIds.size === 0) return { rows: [], more: false };

    const now = this.context.now().getTime();
    let q = this.db
      .selectFrom('conversations')
      .selectAll()
      .where('status', '=', parsed.status ?? 'active')
      .where('last_message_at', 'is not', null)
      .orderBy('last_message_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (parsed.accountIds) q = q.where('account_id', 'in', parsed.accountIds);
    if (parsed.clientName !== undefined) {
      const clientName = parsed.clientName;
      q = q.where('account_id', 'in', (eb) =>
        eb
          .selectFrom('instagram_business_accounts')
          .select('instagram_business_accounts.id')
          .where('client_name', '=', clientName),
      );
    }
    if (parsed.unread) q = q.where('unread_count', '>', 0);
    if (parsed.needsReply)
      q = q.where('last_inbound_at', 'is not', null).whereRef('last_inbound_at', '=', 'last_message_at');
    if (parsed.windowClosing) {
      q = q
        .where('last_inbound_at', '>', specifics.time(new Date(now - WINDOW_MS)))
        .where('last_inbound_at', '<=', specifics.time(new Date(now - WINDOW_MS + CLOSING_MS)));
    }
    if (parsed.assignedTo !== undefined) q = q.where('assigned_to', '=', parsed.assignedTo);
    if (parsed.label !== undefined) q = q.where(this.hasLabel(parsed.label));
    if (hits) q = q.where('id', 'in', [...hits.conversationIds]);
    if (parsed.after) {
      const at = specifics.time(parsed.after.lastMessageAt);
      const afterId = parsed.after.id;
      q = q.where((eb) =>
        eb.or([
          eb('last_message_at', '<', at),
          eb.and([eb('last_message_at', '=', at), eb('id', '<', afterId)]),
        ]),
      );
    }
    const found = await q.execute();
    const page = found.slice(0, limit);
    const last = await this.lastMessages(page.map((row) => Number(row.id)));
    const matchTexts = hits
      ? await this.messageTexts(
          page.flatMap((row) => {
            const id = hits.messageByConversation.get(Number(row.id));
            return id === undefined ? [] : [id];
          }),
        )
      : new Map<number, string>();
    const rows = page.map((row) => {
      const matchId = hits?.messageByConversation.get(Number(row.id));
      const matchText = matchId === undefined ? undefined : matchTexts.get(matchId);
      const match =
        matchId !== undefined && matchText !== undefined ? { messageId: matchId, text: matchText } : null;
      return this.toRow(row, last, match);
    });
    return { rows, more: found.length > limit };
  }

  /** What a new-message notification says about this message, in one read; null when the conversation is gone. */
  notificationFacts(ids: {
    accountId: string;
    conversationId: number;
    messageId: number;
  }): Promise<NotificationFacts | null> {
    return readNotificationFacts(this.context, ids);
  }

  /** One conversation as a list row, or null. */
  async row(id: number): Promise<InboxListRow | null> {
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const last = await this.lastMessages([id]);
    return this.toRow(row, last, null);
  }

  /** Unread messages and unread conversations per account, among active conversations. */
  async unreadByAccount(): Promise<{ accountId: string; unread: number; conversations: number }[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .select([
        'account_id',
        (eb) => eb.fn.sum<number | string>('unread_count').as('unread'),
        (eb) => eb.fn.countAll<number | string>().as('conversations'),
      ])
      // Read from SQLite's partial index alone (migration 0069): it may be used only when the planner
      // can see that the WHERE implies `unread_count > 0`, which a literal makes certain.
      .where('unread_count', '>', sql.lit(0))
      .where('status', '=', 'active')
      .groupBy('account_id')
      .execute();
    return rows
      .map((row) => ({
        accountId: row.account_id,
        unread: Number(row.unread),
        conversations: Number(row.conversations),
      }))
      .sort((a, b) => a.accountId.localeCompare(b.accountId));
  }

  /** Every label on any conversation, alphabetically. */
  async labelsInUse(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .select('labels')
      // A literal, so that SQLite may read its partial index of labelled conversations (migration 0070).
      .where('labels', '<>', sql.lit('[]'))
      .execute();
    const labels = new Set<string>();
    for (const row of rows) for (const label of JSON.parse(row.labels) as string[]) labels.add(label);
    return [...labels].sort((a, b) => a.localeCompare(b));
  }

  /** Marks the conversation unread: at least one unread message, so the badge and dot come back. */
  async markUnread(id: number): Promise<void> {
    const result = await this.db
      .updateTable('conversations')
      .set({
        unread_count: sql<number>`case when unread_count > 0 then unread_count else 1 end`,
        updated_at: this.context.specifics.time(this.context.now()),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('conversation', id);
  }

  /** Stored messages by mid on one account: what a quoted reply shows. */
  async messagesByMid(
    accountId: string,
    mids: readonly string[],
  ): Promise<Map<string, { text: string | null; kind: string; direction: string; isDeleted: boolean }>> {
    const found = new Map<
      string,
      { text: string | null; kind: string; direction: string; isDeleted: boolean }
    >();
    if (mids.length === 0) return found;
    const rows = await this.db
      .selectFrom('messages')
      .select(['mid', 'text', 'kind', 'direction', 'is_deleted'])
      .where('account_id', '=', accountId)
      .where('mid', 'in', [...new Set(mids)])
      .execute();
    for (const row of rows)
      found.set(row.mid, {
        text: row.text,
        kind: row.kind,
        direction: row.direction,
        isDeleted: this.context.specifics.readBool(row.is_deleted),
      });
    return found;
  }

  /** Outbox rows that became these messages (matched on the Graph message id). */
  async outboxByMid(accountId: string, mids: readonly string[]): Promise<Map<string, OutboxLink>> {
    const found = new Map<string, OutboxLink>();
    if (mids.length === 0) return found;
    const rows = await this.db
      .selectFrom('outbound_messages')
      .select([
        'id',
        'graph_message_id',
        'state',
        'wait_kind',
        'wait_reason',
        'error_code',
        'error_text',
        'created_by_kind',
        'created_by_id',
      ])
      .where('account_id', '=', accountId)
      .where('graph_message_id', 'in', [...new Set(mids)])
      .execute();
    for (const row of rows) {
      if (row.graph_message_id === null) continue;
      found.set(row.graph_message_id, {
        id: Number(row.id),
        graphMessageId: row.graph_message_id,
        state: row.state,
        waitKind: row.wait_kind,
        waitReason: row.wait_reason,
        errorCode: row.error_code,
        errorText: row.error_text,
        createdByKind: row.created_by_kind,
        createdById: row.created_by_id,
      });
    }
    return found;
  }

  /** Rule names by id, for "sent by rule …". */
  async ruleNames(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('response_rules')
      .select(['id', 'name'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** The conversation's notes, oldest first. */
  async notes(conversationId: number): Promise<NoteRecord[]> {
    const rows = await this.db
      .selectFrom('conversation_notes')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('id', 'asc')
      .execute();
    return rows.map((row) => this.noteFromRow(row));
  }

  /** Adds a note; the conversation must exist. */
  async addNote(input: { conversationId: number; author: string; text: string }): Promise<NoteRecord> {
    const parsed = parseInput(
      z
        .object({
          conversationId: z.number().int().positive(),
          author: varchar(255).min(1),
          text: z.string().min(1).max(10_000),
        })
        .strict(),
      input,
      'note',
    );
    const conversation = await this.db
      .selectFrom('conversations')
      .select(['id', 'account_id'])
      .where('id', '=', parsed.conversationId)
      .executeTakeFirst();
    if (!conversation) throw notFound('conversation', parsed.conversationId);
    const createdAt = this.context.now();
    const values = {
      conversation_id: conversation.id,
      account_id: conversation.account_id,
      author: parsed.author,
      text: parsed.text,
      created_at: this.context.specifics.time(createdAt),
    };
    const result = await this.db.insertInto('conversation_notes').values(values).executeTakeFirstOrThrow();
    return {
      id: Number(result.insertId),
      conversationId: conversation.id,
      author: parsed.author,
      text: parsed.text,
      createdAt,
    };
  }

  /** Deletes a note; returns its conversation's id, or null when there was no such note. */
  async deleteNote(id: number): Promise<{ conversationId: number; accountId: string } | null> {
    const row = await this.db
      .selectFrom('conversation_notes')
      .select(['conversation_id', 'account_id'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    await this.db.deleteFrom('conversation_notes').where('id', '=', id).execute();
    return { conversationId: Number(row.conversation_id), accountId: row.account_id };
  }

  /** Kind and direction of each conversation's last message (the row at `last_message_at`). */
  private async lastMessages(ids: readonly number[]) {
    const found = new Map<number, { kind: string; direction: 'inbound' | 'outbound' }>();
    if (ids.length === 0) return found;
    const rows = await this.db
      .selectFrom('messages as m')
      .innerJoin('conversations as c', (join) =>
        join.onRef('c.id', '=', 'm.conversation_id').onRef('m.created_at', '=', 'c.last_message_at'),
      )
      .select(['m.conversation_id', 'm.kind', 'm.direction', 'm.id'])
      .where('c.id', 'in', [...ids])
      .orderBy('m.id', 'asc')
      .execute();
    // Two messages at the same millisecond: the later-stored one wins, as in ingest.
    for (const row of rows)
      found.set(Number(row.conversation_id), {
        kind: row.kind,
        direction: row.direction === 'outbound' ? 'outbound' : 'inbound',
      });
    return found;
  }

  private async messageTexts(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('messages')
      .select(['id', 'text'])
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.flatMap((row) => (row.text === null ? [] : [[Number(row.id), row.text] as const])));
  }

  private toRow(
    row: Selectable<ConversationsTable>,
    last: Map<number, { kind: string; direction: 'inbound' | 'outbound' }>,
    match: InboxListRow['match'],
  ): InboxListRow {
    const { specifics } = this.context;
    const id = Number(row.id);
    return {
      id,
      accountId: row.account_id,
      participantIgsid: row.participant_igsid,
      participantName: row.participant_name,
      participantUsername: row.participant_username,
      status: row.status,
      lastMessageAt: specifics.readTimeOrNull(row.last_message_at),
      lastInboundAt: specifics.readTimeOrNull(row.last_inbound_at),
      lastMessagePreview: row.last_message_preview,
      lastMessageKind: last.get(id)?.kind ?? null,
      lastMessageDirection: last.get(id)?.direction ?? null,
      unreadCount: Number(row.unread_count),
      messageCount: Number(row.message_count),
      assignedTo: row.assigned_to,
      automationPausedUntil: specifics.readTimeOrNull(row.automation_paused_until),
      labels: JSON.parse(row.labels) as string[],
      match,
    };
  }

  private hasLabel(label: string): Expression<SqlBool> {
    return this.context.specifics.name === 'sqlite'
      ? sql<SqlBool>`exists (select 1 from json_each(conversations.labels) where json_each.value = ${label})`
      : sql<SqlBool>`json_contains(conversations.labels, json_quote(${label}))`;
  }

  private noteFromRow(row: {
    id: number;
    conversation_id: number;
    author: string;
    text: string;
    created_at: number | string | Date;
  }): NoteRecord {
    return {
      id: Number(row.id),
      conversationId: Number(row.conversation_id),
      author: row.author,
      text: row.text,
      createdAt: this.context.specifics.readTime(row.created_at),
    };
  }
}
