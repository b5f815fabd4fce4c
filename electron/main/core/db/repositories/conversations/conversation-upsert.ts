/**
 * Finds or creates conversations by their natural key (account, participant), one at a time or a
 * batch at once.
 */
import type { Insertable } from 'kysely';
import type { z } from 'zod';
import type { ConversationsTable } from '../../schema';
import type { RepositoryContext } from '../context';
import { preparedQuery } from '../prepared-query';
import { chunks, groupBy, pairKey } from './batch-helpers';
import type { participantSchema } from './conversation-schemas';

function definedNames(item: {
  participantUsername?: string | null | undefined;
  participantName?: string | null | undefined;
}) {
  return {
    ...(item.participantUsername != null ? { participantUsername: item.participantUsername } : {}),
    ...(item.participantName != null ? { participantName: item.participantName } : {}),
  };
}

/** Column values of a new conversation: active, no labels. */
function newConversationRow(
  item: z.output<typeof participantSchema>,
  now: string | number,
): Insertable<ConversationsTable> {
  return {
    account_id: item.accountId,
    participant_igsid: item.participantIgsid,
    participant_username: item.participantUsername ?? null,
    participant_name: item.participantName ?? null,
    status: 'active',
    labels: '[]',
    created_at: now,
    updated_at: now,
  };
}

/** Finds or creates one conversation; names given that differ from the stored ones are written. */
export async function upsertParsed(
  context: RepositoryContext,
  parsed: z.output<typeof participantSchema>,
): Promise<number> {
  const { db, specifics } = context;
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

  const insert = db
    .insertInto('conversations')
    .values(newConversationRow(parsed, specifics.time(context.now())));
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
export async function resolveConversations(
  context: RepositoryContext,
  items: readonly z.output<typeof participantSchema>[],
): Promise<Map<string, number>> {
  const { db, specifics } = context;
  const wanted = new Map<string, z.output<typeof participantSchema>>();
  for (const item of items) {
    const key = pairKey(item.accountId, item.participantIgsid);
    const seen = wanted.get(key);
    // Later events in the batch carry the freshest names.
    wanted.set(key, seen ? { ...seen, ...definedNames(item) } : item);
  }
  const found = await lookupConversations(context, [...wanted.values()]);
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
      await upsertParsed(context, item);
    }
  }
  if (missing.length > 0) {
    const now = specifics.time(context.now());
    for (const chunk of chunks(missing, 500)) {
      const insert = specifics.insertIfAbsent(
        db.insertInto('conversations').values(chunk.map((item) => newConversationRow(item, now))),
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
      for (const [key, row] of await lookupConversations(context, unresolved)) ids.set(key, row.id);
    }
  }
  return ids;
}

const conversationOf = preparedQuery((db, accountId: string, participantIgsid: string) =>
  db
    .selectFrom('conversations')
    .select(['id', 'account_id', 'participant_igsid', 'participant_username', 'participant_name'])
    .where('account_id', '=', accountId)
    .where('participant_igsid', '=', participantIgsid),
);

async function lookupConversations(
  context: RepositoryContext,
  items: readonly { accountId: string; participantIgsid: string }[],
) {
  const found = new Map<
    string,
    { id: number; participant_username: string | null; participant_name: string | null }
  >();
  if (items.length === 1) {
    // One person (one message per delivery, the usual case): the same lookup, compiled once.
    const { accountId, participantIgsid } = items[0]!;
    const row = await conversationOf.first(context, accountId, participantIgsid);
    if (row) found.set(pairKey(row.account_id, row.participant_igsid), row);
    return found;
  }
  for (const chunk of chunks(items, 500)) {
    const byAccount = groupBy(
      chunk,
      (item) => item.accountId,
      (item) => item.participantIgsid,
    );
    const rows = await context.db
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
