/**
 * The write path of messages: stores a batch idempotently on (account, mid) and moves the counters
 * of the conversations it touched, with a handful of statements per batch whatever its size.
 */
import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { z } from 'zod';
import { DatabaseError } from '../../errors';
import type { MessagesTable } from '../../schema';
import { checkedJsonText } from '../../validation';
import type { RepositoryContext } from '../context';
import { preparedQuery } from '../prepared-query';
import { chunks, groupBy, pairKey } from './batch-helpers';
import type { IngestResult } from './conversation-model';
import type { messageFields } from './conversation-schemas';

const PREVIEW_LENGTH = 280;

/** A message to store, with the conversation it belongs to. */
export interface MessageItem {
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

async function lookupMessages(
  context: RepositoryContext,
  keys: readonly { accountId: string; mid: string }[],
) {
  const found = new Map<string, { id: number; conversation_id: number }>();
  for (const chunk of chunks(keys, 500)) {
    const byAccount = groupBy(
      chunk,
      (key) => key.accountId,
      (key) => key.mid,
    );
    const rows = await context.db
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
export async function insertMessages(
  context: RepositoryContext,
  items: readonly MessageItem[],
): Promise<IngestResult[]> {
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
  const { stored, existing } = context.specifics.insertReturning
    ? await insertReturningStored(context, [...unique.values()])
    : await insertAfterLookup(context, [...unique.values()]);
  // Counters move only for rows this call stored: a duplicate changes nothing.
  const bumped = [...unique].filter(([key]) => stored.has(key)).map(([, item]) => item);
  if (bumped.length > 0) await bumpConversations(context, bumped);

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
async function insertReturningStored(
  context: RepositoryContext,
  items: readonly MessageItem[],
): Promise<StoredMessages> {
  const { db, specifics } = context;
  const stored = new Map<string, StoredMessage>();
  for (const chunk of chunks(items, 500)) {
    const rows = await specifics
      .insertIfAbsent(
        db.insertInto('messages').values(messageRows(context, chunk)),
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
      ? await lookupMessages(
          context,
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
async function insertAfterLookup(
  context: RepositoryContext,
  items: readonly MessageItem[],
): Promise<StoredMessages> {
  const { db, specifics } = context;
  const keyOf = (item: MessageItem) => ({ accountId: item.accountId, mid: item.message.mid });
  const existing = await lookupMessages(context, items.map(keyOf));
  const fresh = items.filter((item) => !existing.has(pairKey(item.accountId, item.message.mid)));
  if (fresh.length === 0) return { stored: new Map(), existing };
  let inserted = 0;
  for (const chunk of chunks(fresh, 500)) {
    const result = await specifics
      .insertIfAbsent(
        db.insertInto('messages').values(messageRows(context, chunk)),
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
  return { stored: await lookupMessages(context, fresh.map(keyOf)), existing };
}

/** Column values of new messages. */
function messageRows(context: RepositoryContext, items: readonly MessageItem[]): Insertable<MessagesTable>[] {
  const { specifics } = context;
  const receivedAt = specifics.time(context.now());
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

/** What a batch adds to one conversation, as SQL: values (one row at a time) or a derived table's columns. */
interface BumpTerms {
  added: unknown;
  addedInbound: unknown;
  newestAt: unknown;
  preview: unknown;
  newestInboundAt: unknown;
  updatedAt: unknown;
}

/**
 * The counters, unread badge, last message and 24 h window after a batch. Webhooks arrive out of order:
 * only a newer message moves "last message" forward, and only a newer inbound message moves the 24 h
 * window. `<=` stays true once last_message_at has taken the new value, so the preview is right whichever
 * assignment the database applies first.
 */
function bumpAssignments(terms: BumpTerms) {
  const newer = sql`(last_message_at is null or last_message_at <= ${terms.newestAt})`;
  return sql`
    message_count = message_count + ${terms.added},
    unread_count = unread_count + ${terms.addedInbound},
    last_message_preview = case when ${newer} then ${terms.preview} else last_message_preview end,
    last_message_at = case when ${newer} then ${terms.newestAt} else last_message_at end,
    last_inbound_at = case
      when ${terms.newestInboundAt} is not null and (last_inbound_at is null or last_inbound_at < ${terms.newestInboundAt})
      then ${terms.newestInboundAt} else last_inbound_at end,
    updated_at = ${terms.updatedAt}`;
}

/** One conversation's bump, compiled once (SQLite: see `DialectSpecifics.updatesRowByRow`). */
const bumpOne = preparedQuery(
  (
    db,
    added: number,
    addedInbound: number,
    newestAt: number | string,
    preview: string,
    newestInboundAt: number | string | null,
    updatedAt: number | string,
    id: number,
  ) => {
    const assignments = bumpAssignments({
      added,
      addedInbound,
      newestAt,
      preview,
      newestInboundAt,
      updatedAt,
    });
    return { compile: () => sql`update conversations set ${assignments} where id = ${id}`.compile(db) };
  },
);

/** The columns of `updateFromRows` below, in the order of each row's values. */
const BUMP_COLUMNS = [
  'conversation_id',
  'added',
  'added_inbound',
  'newest_at',
  'preview',
  'newest_inbound_at',
];

/**
 * Moves the counters, unread badge, last message and 24 h window of every conversation the new
 * messages belong to. The per-conversation deltas are summed here first. MariaDB applies them with one
 * UPDATE per batch (per 500 conversations) from a derived table joined on the primary key: a statement
 * per conversation cost a round trip each, most of a batch's time. SQLite runs one prepared update per
 * conversation, which it does faster than the joined UPDATE.
 */
async function bumpConversations(context: RepositoryContext, items: readonly MessageItem[]): Promise<void> {
  const { db, specifics } = context;
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
  const updatedAt = specifics.time(context.now());
  const preview = (entry: ConversationDelta) =>
    entry.newest.text != null
      ? [...entry.newest.text].slice(0, PREVIEW_LENGTH).join('')
      : `[${entry.newest.kind ?? 'text'}]`;
  if (specifics.updatesRowByRow) {
    for (const entry of perConversation.values()) {
      await bumpOne.run(
        context,
        entry.count,
        entry.inbound,
        specifics.time(entry.newest.createdAt),
        preview(entry),
        specifics.timeOrNull(entry.newestInbound),
        updatedAt,
        entry.id,
      );
    }
    return;
  }
  const assignments = bumpAssignments({
    added: sql.ref('d.added'),
    addedInbound: sql.ref('d.added_inbound'),
    newestAt: sql.ref('d.newest_at'),
    preview: sql.ref('d.preview'),
    newestInboundAt: sql.ref('d.newest_inbound_at'),
    updatedAt,
  });
  // 500 rows of 6 values stay far below both dialects' limits on bound parameters.
  for (const entries of chunks([...perConversation.values()], 500)) {
    const rows = entries.map((entry) => [
      entry.id,
      entry.count,
      entry.inbound,
      specifics.time(entry.newest.createdAt),
      preview(entry),
      specifics.timeOrNull(entry.newestInbound),
    ]);
    await specifics.updateFromRows('conversations', 'id', BUMP_COLUMNS, rows, assignments).execute(db);
  }
}
