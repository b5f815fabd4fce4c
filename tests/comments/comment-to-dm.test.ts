/**
 * Comment-to-DM rules over real HTTP, on both dialects: a customer comments in the sandbox, the webhook
 * simulator posts the signed `comments` change to the core, ingest stores the comment and runs the
 * account's published `comment` rules in the same transaction, and the outbox sends ONE private reply
 * (`recipient.comment_id`) to the Graph emulator.
 *
 * Waits are conditions polled with a deadline (never fixed sleeps); "nothing happened" is checked only after
 * the whole pipeline (simulator, ingest, outbox) is idle, so it cannot pass by being early.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SentRecord } from '../../electron/main/sandbox';
import type { StoredComment } from '../../electron/main/core/db/repositories/comments-repository';
import type { DialectName } from '../../electron/main/core/db/dialect';
import type { AccountView, RuleView } from '../../shared/contract';
import { dialects, mysqlServer } from '../support/databases';
import { createScratchDatabase } from '../support/mariadb';
import { startCoreUnderTest, type CoreUnderTest } from '../support/core-harness';

const DAY_MS = 24 * 3_600_000;

for (const dialect of dialects) {
  const server = dialect === 'mysql' ? mysqlServer() : null;
  const skipReason = server && 'reason' in server ? server.reason : null;
  const block = skipReason ? describe.skip : describe;
  block(`comment-to-DM rules [${dialect}]${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    commentSuite(dialect, server && 'url' in server ? server.url : null);
  });
}

function commentSuite(dialect: DialectName, mysqlUrl: string | null): void {
  let sandbox: Sandbox;
  let harness: CoreUnderTest;
  let dropDatabase: (() => Promise<void>) | null = null;
  let account: { view: AccountView; igId: string; appSecret: string };
  let rule: RuleView;

  const repos = () => harness.core.database.repositories;
  const privateReplies = (): SentRecord[] =>
    sandbox.sentMessages({ accountId: account.igId }).filter((s) => s.kind === 'private_reply');
  const repliesTo = (commentId: string) =>
    privateReplies().filter((s) => (s.body.recipient as { comment_id?: string }).comment_id === commentId);

  async function call<T>(method: string, input: unknown): Promise<T> {
    const result = await harness.core.dispatch(method, input, { transport: 'in-process' });
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value as T;
  }

  async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
    // A bound, not a timing assertion: a rule reply may wait for the delivery worker's safety-net pass.
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function quiesce(): Promise<void> {
    const { core } = harness;
    for (let round = 0; round < 2; round++) {
      await sandbox.drainWebhooks();
      await core.webhookReceiver.settle();
      core.ingest.notify();
      await core.ingest.whenIdle();
      await core.outbox.worker.whenIdle();
    }
  }

  /** A customer comments; resolves with the stored comment once ingest (and the rules) are done. */
  async function customerComments(igsid: string, text: string): Promise<StoredComment> {
    const event = sandbox.customerEvent(account.igId, igsid, { type: 'comment', text });
    expect(event.queued).toBe(true);
    let stored: StoredComment | null = null;
    await until(async () => {
      stored = await repos().comments.findByCommentId(account.view.id, event.commentId!);
      return stored !== null;
    }, `comment "${text}" to be stored`);
    return stored!;
  }

  /**
   * A `comments` change as Meta sends it (IG Login shape). Comment webhooks carry no creation time of
   * their own: `entry.time` (seconds) is when Meta sent it, which a late delivery makes old.
   */
  function commentBody(
    commentId: string,
    from: { id: string; username: string },
    text: string,
    sentAtMs = Date.now(),
  ): string {
    return JSON.stringify({
      object: 'instagram',
      entry: [
        {
          id: account.igId,
          time: Math.floor(sentAtMs / 1000),
          changes: [
            {
              field: 'comments',
              value: {
                id: commentId,
                from,
                text,
                media: { id: '17900000000000001', media_product_type: 'FEED' },
              },
            },
          ],
        },
      ],
    });
  }

  /** Posts `body` to the account's callback URL, signed with its app secret, as Meta does. */
  async function postSigned(body: string): Promise<number> {
    const signature = createHmac('sha256', account.appSecret).update(body).digest('hex');
    const response = await fetch(account.view.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
      body,
    });
    return response.status;
  }

  beforeAll(async () => {
    let databaseUrl: string | undefined;
    if (dialect === 'mysql') {
      const scratch = await createScratchDatabase(mysqlUrl!);
      databaseUrl = scratch.url;
      dropDatabase = scratch.drop;
    }
    sandbox = await startSandbox({ port: 0, seed: 65 });
    harness = await startCoreUnderTest({ config: { graphUrl: sandbox.url, databaseUrl } });
    const created = sandbox.createAccount({
      loginType: 'instagram',
      subscribedFields: ['messages', 'comments'],
    });
    const view = await call<AccountView>('accounts.create', {
      instagramAccountId: created.account.id,
      username: created.account.username,
      clientName: 'Comment client',
      loginType: 'instagram',
      accessToken: created.token,
      appSecret: created.app.secret,
    });
    sandbox.updateApp(created.app.id, {
      callbackUrl: view.callbackUrl,
      verifyToken: view.webhookVerifyToken,
    });
    await call('accounts.update', { id: view.id, settings: { ...view.settings, automationEnabled: true } });
    account = { view, igId: created.account.id, appSecret: created.app.secret };
    const draft = await call<RuleView>('rules.create', {
      accountId: view.id,
      rule: {
        name: 'Price in DM',
        priority: 10,
        trigger: { type: 'keyword', keywords: ['price'] },
        conditions: { eventTypes: ['comment'] },
        response: { kind: 'text', variants: ['Hi {{username}}, the price list is on its way!'] },
      },
    });
    await call('rules.publish', {
      accountId: view.id,
      rules: [{ id: draft.id, expectedVersion: draft.version }],
    });
    rule = await call<RuleView>('rules.get', { id: draft.id });
  });

  afterAll(async () => {
    await harness?.dispose();
    await sandbox?.dispose();
    await dropDatabase?.();
  });

  let first: StoredComment;

  it('stores a matching comment and sends ONE private reply to the Graph emulator with its comment_id', async () => {
    const customer = sandbox.createCustomer(account.igId, { username: 'comment_fan' }).igsid;
    first = await customerComments(customer, 'What is the price of this?');
    expect(first).toMatchObject({
      accountId: account.view.id,
      fromId: customer,
      fromUsername: 'comment_fan',
      text: 'What is the price of this?',
      field: 'comments',
      isOwn: false,
    });
    expect(first.mediaId).toBeTruthy();

    await until(() => repliesTo(first.commentId).length > 0, 'the private reply to reach the emulator');
    await quiesce();
    const [reply, ...more] = repliesTo(first.commentId);
    expect(more).toHaveLength(0);
    expect(reply!.body.recipient).toEqual({ comment_id: first.commentId });
    expect(reply!.message?.text).toBe('Hi comment_fan, the price list is on its way!');

    const [evaluation, ...moreEvaluations] = await repos().comments.listEvaluations(first.id);
    expect(moreEvaluations).toHaveLength(0);
    expect(evaluation).toMatchObject({ outcome: 'matched', ruleId: rule.id, commentId: first.id });
    const stored = await repos().comments.get(first.id);
    expect(stored!.privateReplyOutboxId).not.toBeNull();
    const outbox = await repos().outbox.get(stored!.privateReplyOutboxId!);
    expect(outbox).toMatchObject({
      state: 'sent',
      graphMessageId: reply!.messageId,
      createdBy: { kind: 'rule' },
    });
    const view = await call<RuleView>('rules.get', { id: rule.id });
    expect(view.counters).toMatchObject({ matched: 1, answered: 1, failed: 0 });
  });

  it('a Meta retry of the same comment delivery stores nothing twice and sends nothing more', async () => {
    const original = sandbox.deliveries.find(
      (d) => d.url === account.view.callbackUrl && d.body?.includes(first.commentId),
    );
    expect(original?.signature256).toBeTruthy();
    const response = await fetch(original!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': original!.signature256! },
      body: original!.body!,
    });
    expect(response.status).toBe(200);
    await quiesce();
    expect(
      (await repos().comments.list(account.view.id)).filter((c) => c.commentId === first.commentId),
    ).toHaveLength(1);
    expect(await repos().comments.listEvaluations(first.id)).toHaveLength(1);
    expect(repliesTo(first.commentId)).toHaveLength(1);
  });

  it("stores the account's own comment and never answers it", async () => {
    const commentId = `1790${Date.now()}`;
    const status = await postSigned(
      commentBody(
        commentId,
        { id: account.igId, username: account.view.username },
        'The price is in your DMs',
      ),
    );
    expect(status).toBe(200);
    await quiesce();
    const own = await repos().comments.findByCommentId(account.view.id, commentId);
    expect(own).toMatchObject({ isOwn: true, fromId: account.igId, privateReplyOutboxId: null });
    expect(await repos().comments.listEvaluations(own!.id)).toHaveLength(0);
    expect(repliesTo(commentId)).toHaveLength(0);
  });

  it('a comment older than 7 days gets no private reply, and the evaluation says why in plain words', async () => {
    // Delivered 8 days late (Meta's retries of an unreachable callback, say): entry.time is 8 days ago.
    const customer = sandbox.createCustomer(account.igId, { username: 'late_reader' }).igsid;
    const commentId = `1791${Date.now()}`;
    const status = await postSigned(
      commentBody(
        commentId,
        { id: customer, username: 'late_reader' },
        'price please',
        Date.now() - 8 * DAY_MS,
      ),
    );
    expect(status).toBe(200);
    await quiesce();
    const old = (await repos().comments.findByCommentId(account.view.id, commentId))!;
    expect(Date.now() - old.createdAt.getTime()).toBeGreaterThan(7 * DAY_MS);
    await quiesce();
    const [evaluation] = await repos().comments.listEvaluations(old.id);
    expect(evaluation).toMatchObject({ outcome: 'suppressed', ruleId: rule.id });
    const trace = evaluation!.trace as { suppressedBy: string; reason: string; outboxId: number | null };
    expect(trace.suppressedBy).toBe('comment_too_old');
    expect(trace.reason).toBe(
      'The comment is more than 7 days old: Instagram allows a private reply only within 7 days of a comment.',
    );
    expect(trace.outboxId).toBeNull();
    expect((await repos().comments.get(old.id))!.privateReplyOutboxId).toBeNull();
    expect(repliesTo(old.commentId)).toHaveLength(0);
  });

  it('a comment no rule matches is recorded as no_match and gets nothing', async () => {
    const customer = sandbox.createCustomer(account.igId, { username: 'just_looking' }).igsid;
    const plain = await customerComments(customer, 'Lovely photo!');
    await quiesce();
    expect(await repos().comments.listEvaluations(plain.id)).toMatchObject([
      { outcome: 'no_match', ruleId: null },
    ]);
    expect(repliesTo(plain.commentId)).toHaveLength(0);
  });

  it('a person who wrote STOP in DMs gets no private reply', async () => {
    const customer = sandbox.createCustomer(account.igId, { username: 'no_thanks' }).igsid;
    const stop = sandbox.customerSends(account.igId, customer, 'STOP');
    await until(
      async () => (await repos().conversations.getMessageByMid(account.view.id, stop.mid!)) !== null,
      'STOP to be stored',
    );
    await quiesce();
    const comment = await customerComments(customer, 'price?');
    await quiesce();
    expect(await repos().comments.listEvaluations(comment.id)).toMatchObject([{ outcome: 'suppressed' }]);
    expect(repliesTo(comment.commentId)).toHaveLength(0);
  });

  it('with automation off, a matching comment is recorded as suppressed and gets nothing', async () => {
    await call('accounts.update', {
      id: account.view.id,
      settings: { ...account.view.settings, automationEnabled: false },
    });
    const customer = sandbox.createCustomer(account.igId, { username: 'while_off' }).igsid;
    const comment = await customerComments(customer, 'price?');
    await quiesce();
    const [evaluation] = await repos().comments.listEvaluations(comment.id);
    expect(evaluation).toMatchObject({ outcome: 'suppressed', trace: { suppressedBy: 'automation_off' } });
    expect(repliesTo(comment.commentId)).toHaveLength(0);
  });
}
