/**
 * The inbox as the contract sees it: list, counts, thread pages and the staff's changes to a
 * conversation. Every change publishes `inbox.conversationChanged`, so every open window (and the
 * other workstations' list rows, through their own reload) follows.
 */
import type {
  ConversationDetail,
  ConversationNote,
  ConversationRow,
  InboxFilter,
  MethodInput,
  MethodOutput,
  ThreadMessage,
} from '../../../../shared/contract';
import { ApiError } from '../api/api-error';
import type { EventBus } from '../api/event-bus';
import type { Repositories } from '../db/repositories';
import type { InboxListRow, NoteRecord } from '../db/repositories/inbox-repository';
import { decodeCursor, encodeCursor } from './cursor';
import { threadMessageView } from './thread-view';

export interface InboxServiceOptions {
  repositories: () => Repositories;
  events: EventBus;
}

function rowView(row: InboxListRow): ConversationRow {
  return {
    ...row,
    status: row.status === 'archived' || row.status === 'blocked' ? row.status : 'active',
    lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
    lastInboundAt: row.lastInboundAt?.toISOString() ?? null,
    automationPausedUntil: row.automationPausedUntil?.toISOString() ?? null,
  };
}

function noteView(note: NoteRecord): ConversationNote {
  return { ...note, createdAt: note.createdAt.toISOString() };
}

export class InboxService {
  constructor(private readonly options: InboxServiceOptions) {}

  private get repos(): Repositories {
    return this.options.repositories();
  }

  async list(input: MethodInput<'inbox.list'>): Promise<MethodOutput<'inbox.list'>> {
    const filter: InboxFilter = input.filter ?? {};
    const after = input.cursor ? decodeCursor(input.cursor) : undefined;
    const { rows, more } = await this.repos.inbox.list({
      ...filter,
      ...(input.limit !== undefined ? { limit: input.limit } : {}),
      ...(after ? { after: { lastMessageAt: after.at, id: after.id } } : {}),
    });
    const last = rows.at(-1);
    return {
      conversations: rows.map(rowView),
      nextCursor: more && last?.lastMessageAt ? encodeCursor(last.lastMessageAt, last.id) : null,
    };
  }

  async counts(): Promise<MethodOutput<'inbox.counts'>> {
    const accounts = await this.repos.inbox.unreadByAccount();
    return {
      totalUnread: accounts.reduce((sum, account) => sum + account.unread, 0),
      totalUnreadConversations: accounts.reduce((sum, account) => sum + account.conversations, 0),
      accounts: accounts.map((account) => ({
        accountId: account.accountId,
        unread: account.unread,
        unreadConversations: account.conversations,
      })),
    };
  }

  async labels(): Promise<{ labels: string[] }> {
    return { labels: await this.repos.inbox.labelsInUse() };
  }

  async getConversation(conversationId: number): Promise<ConversationDetail> {
    const row = await this.requireRow(conversationId);
    const notes = await this.repos.inbox.notes(conversationId);
    return { conversation: row, notes: notes.map(noteView) };
  }

  async thread(input: MethodInput<'inbox.thread'>): Promise<MethodOutput<'inbox.thread'>> {
    const repos = this.repos;
    const conversation = await repos.conversations.getConversation(input.conversationId);
    if (!conversation) throw notFound(input.conversationId);
    const limit = input.limit ?? 50;
    const before = input.cursor ? decodeCursor(input.cursor) : undefined;
    const page = await repos.conversations.listThread(conversation.id, {
      limit: limit + 1,
      ...(before ? { before: { createdAt: before.at, id: before.id } } : {}),
    });
    const messages = page.slice(0, limit);
    const replyMids = messages.flatMap((message) => (message.replyToMid ? [message.replyToMid] : []));
    const outboundMids = messages.filter((m) => m.direction === 'outbound').map((m) => m.mid);
    const [quoted, outbox] = await Promise.all([
      repos.inbox.messagesByMid(conversation.accountId, replyMids),
      repos.inbox.outboxByMid(conversation.accountId, outboundMids),
    ]);
    const ruleIds = [...outbox.values()].flatMap((link) =>
      link.createdByKind === 'rule' && link.createdById ? [link.createdById] : [],
    );
    const ruleNames = await repos.inbox.ruleNames(ruleIds);
    const context = { participantIgsid: conversation.participantIgsid, quoted, outbox, ruleNames };
    const views: ThreadMessage[] = messages.map((message) => threadMessageView(message, context));
    const last = messages.at(-1);
    return {
      messages: views,
      nextCursor: page.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
    };
  }

  async markRead(conversationId: number): Promise<ConversationRow> {
    const before = await this.requireRow(conversationId);
    if (before.unreadCount === 0) return before;
    await this.repos.conversations.markRead(conversationId);
    return this.changed(conversationId);
  }

  async markUnread(conversationId: number): Promise<ConversationRow> {
    await this.repos.inbox.markUnread(conversationId);
    return this.changed(conversationId);
  }

  async update(input: MethodInput<'inbox.update'>): Promise<ConversationRow> {
    const { conversationId, ...patch } = input;
    await this.repos.conversations.updateConversation(conversationId, {
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.labels !== undefined ? { labels: patch.labels.map((label) => label.trim()) } : {}),
      ...(patch.assignedTo !== undefined ? { assignedTo: patch.assignedTo } : {}),
    });
    return this.changed(conversationId);
  }

  async setAutomationPause(conversationId: number, until: string | null): Promise<ConversationRow> {
    await this.repos.conversations.updateConversation(conversationId, {
      automationPausedUntil: until === null ? null : new Date(until),
    });
    return this.changed(conversationId);
  }

  async addNote(input: MethodInput<'inbox.addNote'>): Promise<ConversationNote> {
    const note = await this.repos.inbox.addNote({
      conversationId: input.conversationId,
      author: input.author.trim(),
      text: input.text.trim(),
    });
    await this.changed(input.conversationId);
    return noteView(note);
  }

  async deleteNote(id: number): Promise<{ deleted: boolean }> {
    const removed = await this.repos.inbox.deleteNote(id);
    if (removed) await this.changed(removed.conversationId);
    return { deleted: removed !== null };
  }

  private async requireRow(conversationId: number): Promise<ConversationRow> {
    const row = await this.repos.inbox.row(conversationId);
    if (!row) throw notFound(conversationId);
    return rowView(row);
  }

  /** Reads the row after a change and tells every window about it. */
  private async changed(conversationId: number): Promise<ConversationRow> {
    const row = await this.requireRow(conversationId);
    this.options.events.publish('inbox.conversationChanged', {
      accountId: row.accountId,
      conversationId,
      cause: 'staff',
    });
    return row;
  }
}

function notFound(conversationId: number): ApiError {
  return new ApiError(
    'NOT_FOUND',
    `Conversation ${conversationId} does not exist (it may have been removed).`,
  );
}
