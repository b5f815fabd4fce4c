/**
 * The whole loop over real HTTP: a customer writes in the sandbox, the webhook simulator delivers the
 * signed POST to the core's webhook endpoint, ingest stores it, the published rule answers, the outbox
 * sends the rendered reply to the Graph emulator, and the emulator's echo webhook comes back and is
 * reconciled as the app's own message.
 *
 * Waits are conditions polled with a deadline (never fixed sleeps); "nothing happened" is checked only
 * after the whole pipeline (simulator, ingest, evaluator, outbox) is idle, so it cannot pass by being early.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SentRecord } from '../../electron/main/sandbox';
import type { Message } from '../../electron/main/core/db/repositories/conversations-repository';
import type { AccountView, OutboxMessageView, RuleView } from '../../shared/contract';
import { startCoreUnderTest, type CoreUnderTest } from '../support/core-harness';

const RULE_REPLY = 'Looking up order {{capture.number}} for you';

let sandbox: Sandbox;
let harness: CoreUnderTest;
let account: { view: AccountView; igId: string; appSecret: string };
let rule: RuleView;

async function call<T>(method: string, input: unknown): Promise<T> {
  const result = await harness.core.dispatch(method, input, { transport: 'in-process' });
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/**
 * Polls `check` until it holds; fails after 20 s with what it waited for. Generous on purpose: a rule
 * reply is only picked up by the delivery worker's safety-net pass (up to 5 s, see the report), and
 * this is a bound, not a timing assertion.
 */
async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Lets every stage finish what it has: simulator deliveries, ingest, evaluation, sending. Twice, because
 * a send produces an echo webhook that goes round the loop once more.
 */
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

const repos = () => harness.core.database.repositories;
const sentTo = (igsid: string): SentRecord[] =>
  sandbox.sentMessages({ accountId: account.igId }).filter((s) => s.recipientId === igsid);

async function conversationOf(igsid: string) {
  const conversation = await repos().conversations.findConversation(account.view.id, igsid);
  if (!conversation) throw new Error(`no conversation with ${igsid}`);
  return conversation;
}

async function threadOf(igsid: string): Promise<Message[]> {
  const conversation = await repos().conversations.findConversation(account.view.id, igsid);
  return conversation ? repos().conversations.listThread(conversation.id, { limit: 200 }) : [];
}

/** The customer writes; resolves with the stored inbound message once ingest and evaluation are done. */
async function customerWrites(igsid: string, text: string): Promise<Message> {
  const event = sandbox.customerSends(account.igId, igsid, text);
  expect(event.queued).toBe(true);
  const mid = event.mid!;
  let stored: Message | null = null;
  await until(async () => {
    stored = await repos().conversations.getMessageByMid(account.view.id, mid);
    return stored !== null && (await repos().rules.listEvaluations(stored.id)).length > 0;
  }, `"${text}" to be stored and evaluated`);
  return stored!;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: 8 });
  // A Graph call gives up after 2 s (15 s in the app): the lost-answer case below waits for it.
  harness = await startCoreUnderTest({
    config: { graphUrl: sandbox.url },
    outbox: { graphTimeoutMs: 2_000 },
  });
  const created = sandbox.createAccount({ loginType: 'instagram', subscribedFields: ['messages'] });
  const view = await call<AccountView>('accounts.create', {
    instagramAccountId: created.account.id,
    username: created.account.username,
    clientName: 'Loop client',
    loginType: 'instagram',
    accessToken: created.token,
    appSecret: created.app.secret,
  });
  // The callback the core shows staff (webhook origin + /webhooks/instagram/<ig id>) is what Meta gets.
  expect(view.callbackUrl).toBe(
    `${harness.core.webhookServer.origin}/webhooks/instagram/${created.account.id}`,
  );
  sandbox.updateApp(created.app.id, { callbackUrl: view.callbackUrl, verifyToken: view.webhookVerifyToken });
  await call('accounts.update', {
    id: view.id,
    settings: { ...view.settings, automationEnabled: true },
  });
  account = { view, igId: created.account.id, appSecret: created.app.secret };
  const draft = await call<RuleView>('rules.create', {
    accountId: view.id,
    rule: {
      name: 'Order status',
      priority: 10,
      trigger: { type: 'pattern', pattern: 'order\\s*#?(?P<number>\\d+)' },
      response: { kind: 'text', variants: [RULE_REPLY] },
    },
  });
  await call('rules.publish', {
    accountId: view.id,
    rules: [{ id: draft.id, expectedVersion: draft.version }],
  });
  rule = await call<RuleView>('rules.get', { id: draft.id });
  expect(rule.status).toBe('published');
});

afterAll(async () => {
  await harness?.dispose();
  await sandbox?.dispose();
});

describe('the full loop against the sandbox', () => {
  let customer: string;
  let inbound: Message;
  let reply: SentRecord;

  it('answers a matching DM once with the rendered reply, and reconciles the echo as ours', async () => {
    customer = sandbox.createCustomer(account.igId, { username: 'loop_fan' }).igsid;
    inbound = await customerWrites(customer, 'Hi! Where is my order #4521?');
    expect(inbound.direction).toBe('inbound');
    const [evaluation] = await repos().rules.listEvaluations(inbound.id);
    expect(evaluation).toMatchObject({ outcome: 'matched', ruleId: rule.id });

    await until(() => sentTo(customer).length > 0, 'the reply to reach the Graph emulator');
    // The echo comes back as an outbound message carrying the mid the emulator gave the reply.
    await until(
      async () => (await threadOf(customer)).some((m) => m.mid === sentTo(customer)[0]?.messageId),
      'the echo of the reply to be stored',
    );
    await quiesce();

    const sent = sentTo(customer);
    expect(sent).toHaveLength(1);
    reply = sent[0]!;
    expect(reply.kind).toBe('message');
    expect(reply.message?.text).toBe('Looking up order 4521 for you');

    // The delivery came over HTTP from the simulator, signed, and was accepted.
    const deliveries = sandbox.deliveries.filter((d) => d.url === account.view.callbackUrl);
    expect(deliveries.length).toBeGreaterThanOrEqual(2); // the DM and the echo
    expect(deliveries.every((d) => d.outcome === 'delivered' && d.status === 200)).toBe(true);

    const conversation = await conversationOf(customer);
    const [outboxRow, ...moreOutbox] = await repos().outbox.listByConversation(conversation.id);
    expect(moreOutbox).toHaveLength(0);
    expect(outboxRow).toMatchObject({
      state: 'sent',
      graphMessageId: reply.messageId,
      text: 'Looking up order 4521 for you',
      createdBy: { kind: 'rule', id: rule.id },
    });

    const thread = await threadOf(customer);
    expect(thread).toHaveLength(2);
    const echo = thread.find((m) => m.mid === reply.messageId)!;
    expect(echo).toMatchObject({
      direction: 'outbound',
      isEcho: true,
      sentBy: 'app',
      text: 'Looking up order 4521 for you',
    });
    // Never counted as inbound: one inbound message, and the window still runs from the customer's.
    expect(thread.filter((m) => m.direction === 'inbound').map((m) => m.id)).toEqual([inbound.id]);
    expect(conversation.lastInboundAt?.getTime()).toBe(inbound.createdAt.getTime());
    // The echo is not evaluated as a customer message, so it cannot trigger a rule.
    expect(await repos().rules.listEvaluations(echo.id)).toHaveLength(0);
    const view = await call<RuleView>('rules.get', { id: rule.id });
    expect(view.counters).toMatchObject({ matched: 1, answered: 1, failed: 0 });
  });

  it('a Meta retry of the same bytes creates nothing and sends nothing', async () => {
    const original = sandbox.deliveries.find(
      (d) => d.url === account.view.callbackUrl && d.body?.includes(inbound.mid),
    );
    expect(original?.body).toBeTruthy();
    expect(original?.signature256).toBeTruthy();
    const conversation = await conversationOf(customer);
    const threadBefore = (await threadOf(customer)).map((m) => m.id);
    const evaluationsBefore = await repos().rules.listEvaluations(inbound.id);

    const response = await fetch(original!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': original!.signature256! },
      body: original!.body!,
    });
    expect(response.status).toBe(200);
    await quiesce();

    expect((await threadOf(customer)).map((m) => m.id)).toEqual(threadBefore);
    expect(await repos().rules.listEvaluations(inbound.id)).toEqual(evaluationsBefore);
    expect(await repos().outbox.listByConversation(conversation.id)).toHaveLength(1);
    expect(sentTo(customer)).toEqual([reply]);
  });

  // The echo of our own rule reply is stored `sent_by: 'app'`; it must not count as a person replying (which
  // would pause automation for this customer).
  it("the echo of our own reply is not a human takeover: the customer's next match is answered", async () => {
    const state = await repos().automationState.getState((await conversationOf(customer)).id);
    expect(state.lastHumanReplyAt).toBeNull();
    const next = await customerWrites(customer, 'and order 99?');
    await until(() => sentTo(customer).length >= 2, 'the second reply to reach the Graph emulator');
    await quiesce();
    expect((await repos().rules.listEvaluations(next.id))[0]).toMatchObject({ outcome: 'matched' });
    expect(sentTo(customer).map((s) => s.message?.text)).toEqual([
      'Looking up order 4521 for you',
      'Looking up order 99 for you',
    ]);
  });

  it('a message that matches no rule gets nothing', async () => {
    const other = sandbox.createCustomer(account.igId, { username: 'just_browsing' }).igsid;
    const message = await customerWrites(other, 'Love your shop, no question');
    await quiesce();
    expect((await repos().rules.listEvaluations(message.id))[0]).toMatchObject({
      outcome: 'no_match',
      ruleId: null,
    });
    expect(await repos().outbox.listByConversation((await conversationOf(other)).id)).toHaveLength(0);
    expect(sentTo(other)).toHaveLength(0);
  });

  it('a customer who wrote STOP gets nothing automatic', async () => {
    const stopper = sandbox.createCustomer(account.igId, { username: 'no_thanks' }).igsid;
    await customerWrites(stopper, 'STOP');
    const matching = await customerWrites(stopper, 'what about order 1234');
    await quiesce();
    const conversation = await conversationOf(stopper);
    expect((await repos().automationState.getState(conversation.id)).optedOut).toBe(true);
    expect((await repos().rules.listEvaluations(matching.id))[0]).toMatchObject({ outcome: 'suppressed' });
    expect(await repos().outbox.listByConversation(conversation.id)).toHaveLength(0);
    expect(sentTo(stopper)).toHaveLength(0);
  });

  // Meta sends the message and its echo, but its answer to our call never arrives (a cut connection): the echo,
  // linked to the send still in flight, proves it went. Not sent again, not left "unknown", one message shown.
  it('a reply whose answer from Meta is lost is proven sent by its echo: sent once, shown once', async () => {
    const person = sandbox.createCustomer(account.igId, { username: 'answer_lost' }).igsid;
    await customerWrites(person, 'Hello there');
    await quiesce();
    const conversation = await conversationOf(person);
    sandbox.injectFault(account.igId, { kind: 'lost_answer' }, 1);
    const queued = await call<OutboxMessageView>('outbox.send', {
      conversationId: conversation.id,
      text: 'We are on it',
    });
    await until(
      async () => (await repos().outbox.get(queued.id))?.state === 'sent',
      'the reply to be recorded as sent',
    );
    await quiesce();
    const sent = sentTo(person);
    expect(sent).toHaveLength(1);
    expect(await repos().outbox.get(queued.id)).toMatchObject({
      state: 'sent',
      attempts: 1,
      graphMessageId: sent[0]!.messageId,
    });
    const outbound = (await threadOf(person)).filter((m) => m.direction === 'outbound');
    expect(outbound.map((m) => [m.mid, m.sentBy])).toEqual([[sent[0]!.messageId, 'app']]);
  });
});
