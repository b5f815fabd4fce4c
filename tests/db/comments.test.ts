import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { DatabaseError } from '../../electron/main/core/db/errors';
import type { NewComment } from '../../electron/main/core/db/repositories/comments-repository';
import { forEachDialect } from '../support/databases';
import { newAccount } from './fixtures';

function comment(accountId: string, commentId: string, extra: Partial<NewComment> = {}): NewComment {
  return {
    accountId,
    commentId,
    mediaId: '17900000000000001',
    mediaProductType: 'REELS',
    parentCommentId: null,
    fromId: '5521234567890123',
    fromUsername: 'émilie_🥐',
    text: 'Combien ça coûte ? 🥐',
    field: 'comments',
    isOwn: false,
    createdAt: new Date('2026-03-02T10:00:00.123Z'),
    receivedAt: new Date('2026-03-02T10:00:01.456Z'),
    ...extra,
  };
}

forEachDialect('comments repository', (db) => {
  it('stores a comment once per account: a duplicate comment id changes nothing', async () => {
    const { comments, accounts } = db().repos;
    const account = await accounts.create(newAccount());
    const first = await comments.insert(comment(account.id, '17851000000000001'));
    expect(first.inserted).toBe(true);
    expect(first.comment).toMatchObject({
      accountId: account.id,
      commentId: '17851000000000001',
      fromUsername: 'émilie_🥐',
      text: 'Combien ça coûte ? 🥐',
      isOwn: false,
      privateReplyOutboxId: null,
    });
    expect(first.comment.createdAt.toISOString()).toBe('2026-03-02T10:00:00.123Z');

    const again = await comments.insert(comment(account.id, '17851000000000001', { text: 'edited?' }));
    expect(again.inserted).toBe(false);
    expect(again.comment).toEqual(first.comment);

    // The same comment id on another account is another comment.
    const other = await accounts.create(newAccount());
    expect((await comments.insert(comment(other.id, '17851000000000001'))).inserted).toBe(true);
    expect(await comments.list(account.id)).toHaveLength(1);
  });

  it('refuses a value no column can hold in plain words, storing nothing', async () => {
    const { comments, accounts } = db().repos;
    const account = await accounts.create(newAccount());
    const error = await comments
      .insert(comment(account.id, 'has spaces in it'))
      .then(() => null)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe('DB_INVALID_INPUT');
    expect((error as DatabaseError).message).toContain('commentId');
    expect(await comments.list(account.id)).toHaveLength(0);
  });

  it('records evaluations against the comment, and a row must name a message or a comment, not neither', async () => {
    const { comments, accounts } = db().repos;
    const account = await accounts.create(newAccount());
    const { comment: stored } = await comments.insert(comment(account.id, '17851000000000002'));
    await comments.recordEvaluation({
      accountId: account.id,
      commentId: stored.id,
      ruleId: null,
      ruleVersion: null,
      outcome: 'no_match',
      trace: { event: 'comment' },
      evaluatedAt: new Date('2026-03-02T10:00:02Z'),
    });
    expect(await comments.listEvaluations(stored.id)).toMatchObject([
      { commentId: stored.id, outcome: 'no_match', trace: { event: 'comment' } },
    ]);
    const neither = sql`insert into rule_evaluations (account_id, outcome, trace, evaluated_at)
      values (${account.id}, 'no_match', '{}', ${db().database.specifics.time(new Date())})`;
    await expect(neither.execute(db().database.kysely)).rejects.toThrow();
  });

  it('notes the private reply once: a second one for the same comment is refused', async () => {
    const { comments, accounts, conversations, outbox } = db().repos;
    const account = await accounts.create(newAccount());
    const { comment: stored } = await comments.insert(comment(account.id, '17851000000000003'));
    const conversation = await conversations.upsertConversation({
      accountId: account.id,
      participantIgsid: '5521234567890123',
    });
    const queue = (key: string) =>
      outbox.enqueue({
        accountId: account.id,
        conversationId: conversation.id,
        idempotencyKey: key,
        payload: { v: 1 },
        text: 'hi',
        createdBy: { kind: 'rule', id: null },
      });
    const first = await queue('comment-test-1');
    const second = await queue('comment-test-2');
    expect(await comments.notePrivateReply(stored.id, first.message.id, new Date())).toBe(true);
    expect(await comments.notePrivateReply(stored.id, second.message.id, new Date())).toBe(false);
    expect((await comments.get(stored.id))?.privateReplyOutboxId).toBe(first.message.id);
  });
});
