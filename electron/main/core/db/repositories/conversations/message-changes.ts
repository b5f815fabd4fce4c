/**
 * Changes to stored messages after the fact: unsends, edits and reactions.
 */
import { z } from 'zod';
import { inTransaction } from '../context';
import type { RepositoryContext } from '../context';
import { instant, longText, parseInput, toJsonText, varchar } from '../../validation';
import { igsid } from './conversation-schemas';
import type { MessageEdit } from './conversation-model';

/** Records an unsend: the row stays (the thread shows "removed"), the text is cleared. */
export async function markMessageDeleted(
  context: RepositoryContext,
  accountId: string,
  messageMid: string,
  at: Date,
): Promise<boolean> {
  const when = context.specifics.time(parseInput(instant, at, 'deletion time'));
  const result = await context.db
    .updateTable('messages')
    .set({ is_deleted: 1, deleted_at: when, text: null })
    .where('account_id', '=', accountId)
    .where('mid', '=', messageMid)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Applies an edit: the new text replaces the old, which is appended to the edit history. */
export async function recordEdit(
  context: RepositoryContext,
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
  return inTransaction(context, async (context) => {
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
export async function setReaction(
  context: RepositoryContext,
  accountId: string,
  messageMid: string,
  reactorIgsid: string,
  reaction: string | null,
): Promise<boolean> {
  parseInput(igsid, reactorIgsid, 'reactor id');
  if (reaction !== null) parseInput(varchar(64).min(1), reaction, 'reaction');
  return inTransaction(context, async (context) => {
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
